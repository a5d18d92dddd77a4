import { randomBytes } from 'node:crypto';
import type { ExecutionPlan } from '../model/execution.js';
import { runsOnSimulatorsOnly } from '../run/simulators-only.js';
import type { FileStore } from '../store/file-store.js';
import type { RecordData, RunJournal } from '../store/journal.js';
import { digestOf } from './plan-digest.js';
import type { CheckedPlan } from './read-plans.js';

export interface CreateRunOptions {
  /** Who starts the run (recorded as its initiator). */
  by: string;
  engineVersion: string;
  dryRun: boolean;
  autoApprove: boolean;
  /** The `--fault` options as given (recorded, so a resume simulates the same faults). */
  faults: readonly string[];
  seed: number;
}

/** A new run: its id, its journal (holding the run's lock, still empty), and the start record to drive it with. */
export interface CreatedRun {
  outcome: 'created';
  code: 'CREATED';
  message: string;
  runId: string;
  journal: RunJournal;
  start: RecordData['run.started'];
}

/**
 * Makes a new run of a resolved plan in the store. Its start record is written by the engine as
 * the run's first act (app/drive-run.ts), so a journal never holds a start that did not run.
 *
 * @example
 * const created = await createRun(store, exec, checked, { by: 'alice', engineVersion, dryRun: true, autoApprove: true, faults: [], seed: 1 });
 */
export async function createRun(store: FileStore, exec: ExecutionPlan, checked: CheckedPlan, o: CreateRunOptions): Promise<CreatedRun> {
  const runId = newRunId(exec.plan.name, Date.now());
  const journal = await store.create(runId);
  const start: RecordData['run.started'] = {
    runId,
    plan: exec.plan.name,
    planFile: checked.file,
    planPath: checked.path,
    planDigest: digestOf(checked.bytes),
    mode: exec.mode,
    params: exec.params,
    initiator: o.by,
    engineVersion: o.engineVersion,
    dryRun: o.dryRun,
    autoApprove: o.autoApprove,
    faults: [...o.faults],
    seed: o.seed,
    simulated: o.dryRun,
    simulatorsOnly: runsOnSimulatorsOnly(exec, o.dryRun),
  };
  return { outcome: 'created', code: 'CREATED', message: `run ${runId} created`, runId, journal, start };
}

/** Sortable, unique, readable: `<plan>-20261123-101500-3fa9`. */
export function newRunId(plan: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${plan.slice(0, 40)}-${stamp}-${randomBytes(2).toString('hex')}`;
}
