// Types of runbook.js, for the TypeScript tests (test/unit/bench/peers-*.test.ts).

export interface RunbookStep {
  id: string;
  /** Duration in ms: the step runs `sleep <ms/1000>`. */
  ms: number;
}

export interface RunbookGroup {
  id: string;
  concurrency: number;
  dependsOn: string[];
  steps: RunbookStep[];
}

export interface Runbook {
  name: string;
  description: string;
  seed: number;
  groups: RunbookGroup[];
}

export interface RunbookOptions {
  name: string;
  description?: string;
  steps: number;
  groups: number;
  concurrency: number;
  minMs: number;
  maxMs: number;
  seed?: number;
  /** Group counts per layer of a DAG; without it the groups form a chain. */
  layers?: number[];
}

export function makeRunbook(options: RunbookOptions): Runbook;
export function stepsOf(runbook: Runbook): RunbookStep[];
export function groupsInOrder(runbook: Runbook): RunbookGroup[];
export function isChain(runbook: Runbook): boolean;
export function mulberry32(seed: number): () => number;
