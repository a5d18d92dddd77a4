// Types of generate.js, for the TypeScript tests (test/unit/bench/peers-*.test.ts).
import type { Runbook } from './runbook.js';

export function sleepArgument(ms: number): string;
export function planName(runbook: Runbook): string;
export function toDrplanPlan(runbook: Runbook): string;
export function toAnsible(runbook: Runbook): { playbook: string; inventory: string; config: string };
export function toBash(runbook: Runbook): string;
export function writePrograms(
  runbook: Runbook,
  dir: string,
): { plan: string; playbook: string; inventory: string; ansibleConfig: string; script: string; runbook: string };
