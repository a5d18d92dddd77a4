import type { JsonObject } from '../../adapters/types.js';
import type { SignedDecision } from '../approvals/decision-statement.js';

/**
 * The journal is the run (STYLE "Durability"): every effect is preceded by a `step.started`
 * record and followed by its result, and the state of a run is a function of its records.
 * Record types are dotted lowercase; their data shapes are below.
 */
export interface RecordData {
  'run.started': {
    runId: string;
    plan: string;
    planFile: string;
    /** Absolute path of the plan file, for resume (older journals: resolve `planFile`). */
    planPath?: string;
    /** sha256 of the plan file's bytes. */
    planDigest: string;
    mode: string;
    params: Record<string, string | number | boolean>;
    initiator: string;
    engineVersion: string;
    dryRun: boolean;
    autoApprove: boolean;
    faults: string[];
    /** Seed of simulated durations (default 1). */
    seed?: number;
    /** Whether the run's clock is simulated (dry-runs). */
    simulated: boolean;
    /**
     * Whether every call of the run goes to a simulator (`runsOnSimulatorsOnly`): always in a
     * dry-run; in a real run, when the plan has only simulator instances and runs no commands.
     * Absent in journals written before it was recorded.
     */
    simulatorsOnly?: boolean;
  };
  'step.started': { stepId: string; attempt: number; idempotencyKey: string; deadline: number | null };
  'step.succeeded': { stepId: string; attempt: number; output: JsonObject };
  'step.failed': { stepId: string; attempt: number; error: string; final: boolean };
  'step.retrying': { stepId: string; attempt: number; at: number };
  'step.skipped': { stepId: string; reason: string; by?: string };
  'step.waiting': {
    stepId: string;
    kind: 'gate' | 'manual' | 'pause';
    deadline: number | null;
    principals: string[];
    quorum?: number;
    reason?: string;
    /** The gate's or manual step's instructions, rendered: what the people asked to act read. */
    instructions?: string;
    /** A pause for an attempt that was started but never finished: a retry re-runs that attempt. */
    inDoubt?: { attempt: number; idempotencyKey: string };
  };
  'gate.approved': { stepId: string; by: string; simulated?: boolean; comment?: string; signed?: SignedDecision };
  'gate.rejected': { stepId: string; by: string; comment?: string; signed?: SignedDecision };
  'gate.timedOut': { stepId: string; outcome: 'failed' | 'approved' | 'escalated' };
  'manual.done': { stepId: string; by: string; simulated?: boolean; comment?: string; signed?: SignedDecision };
  'operator.retry': { stepId: string; by: string; reason?: string };
  'operator.skip': { stepId: string; by: string; reason: string };
  'operator.abort': { stepId: string; by: string; reason?: string };
  'run.cancelRequested': { by: string; reason?: string };
  /** An engine took the run up again from its journal. */
  'run.resumed': { by: string; engineVersion: string; pid: number; planChanged?: { previousDigest: string; digest: string } };
  /**
   * A request someone made that the run refused, and why. With `repeats`, the record stands for
   * that many refused requests in a flood, counted by `drplan serve` instead of recorded one by one
   * (the first of each kind has a record of its own); `request` and `reason` are the last one's.
   */
  'request.refused': { request: Record<string, unknown>; reason: string; repeats?: RefusalRepeats };
  'run.succeeded': Record<string, never>;
  'run.failed': { stepId?: string; error?: string };
  'run.cancelled': { by?: string; reason?: string };
}

/** How many refused requests one `request.refused` record stands for, and over what time. */
export interface RefusalRepeats {
  /** Requests this record stands for (at least 1). */
  count: number;
  /** Of those, how many were turned away unchecked (429: too many refusals in that name on that run). */
  unchecked: number;
  /** Epoch ms of the first and the last of them. */
  from: number;
  to: number;
}

export type RecordType = keyof RecordData;
export const RECORD_TYPES = [
  'run.started',
  'step.started',
  'step.succeeded',
  'step.failed',
  'step.retrying',
  'step.skipped',
  'step.waiting',
  'gate.approved',
  'gate.rejected',
  'gate.timedOut',
  'manual.done',
  'operator.retry',
  'operator.skip',
  'operator.abort',
  'run.cancelRequested',
  'run.resumed',
  'request.refused',
  'run.succeeded',
  'run.failed',
  'run.cancelled',
] as const satisfies readonly RecordType[];

export type NewRecord = { [T in RecordType]: { type: T; data: RecordData[T] } }[RecordType];

export type JournalRecord = NewRecord & {
  /** 1-based, gapless. */
  seq: number;
  /** Epoch ms from the run's clock (virtual in dry-runs). */
  time: number;
};

/** One run's journal. `append` resolves once the records are durable. */
export interface RunJournal {
  readonly runId: string;
  append(records: readonly NewRecord[], time: number): Promise<JournalRecord[]>;
  /** Every record so far, in order. */
  records(): readonly JournalRecord[];
  close(): Promise<void>;
}

export interface RunSummary {
  runId: string;
  plan: string;
  mode: string;
  startedAt: number;
  /** In the index line written when the run ended: its terminal record (engine/store/run-head.ts). */
  head?: { seq: number; hash: string };
}

/** Where journals live. The file store (default) and the in-memory store implement it. */
export interface RunStore {
  create(runId: string): Promise<RunJournal>;
  open(runId: string): Promise<RunJournal>;
  list(): Promise<RunSummary[]>;
}
