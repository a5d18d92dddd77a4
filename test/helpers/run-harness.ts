/**
 * Runs a plan in-process the way `drplan run --dry-run` does — simulator adapters, simulated
 * clock, in-memory journal — and hands back the journal for assertions.
 */
import { resolveExecution } from '../../engine/compile/resolve-execution.js';
import type { ModeName, Plan, Scalar } from '../../engine/model/plan.js';
import { openAdapters } from '../../engine/app/open-adapters.js';
import { replayJournal } from '../../engine/run/replay-decisions.js';
import { startRun, type RunHandle, type RunResult } from '../../engine/run/run-plan.js';
import { SimulatedClock } from '../../engine/run/simulated-clock.js';
import type { JournalRecord } from '../../engine/store/journal.js';
import { MemoryStore } from '../../engine/store/memory-store.js';
import type { Adapter, AdapterLogger, Clock } from '../../adapters/types.js';
import { parseFaultOption } from '../../adapters/simulator/index.js';

export const silentLogger: AdapterLogger = { info() {}, warn() {}, error() {}, debug() {} };

export interface HarnessOptions {
  params?: Record<string, Scalar>;
  autoApprove?: boolean;
  stopWhenWaiting?: boolean;
  faults?: string[];
  initiator?: string;
  dryRun?: boolean;
  adapters?: ReadonlyMap<string, Adapter<any>>;
  /** Default: a fresh SimulatedClock at EPOCH. */
  clock?: Clock;
}

export interface Harness {
  handle: RunHandle;
  clock: Clock;
  records: () => readonly JournalRecord[];
  result: Promise<RunResult>;
}

export const EPOCH = Date.parse('2026-01-01T00:00:00Z');

export async function startHarness(plan: Plan, mode: ModeName, options: HarnessOptions = {}): Promise<Harness> {
  const exec = resolveExecution(plan, mode, options.params ?? defaultParams(plan));
  const clock = options.clock ?? new SimulatedClock(EPOCH);
  const faults = (options.faults ?? []).map((f) => {
    const parsed = parseFaultOption(f);
    if (!parsed.ok) throw new Error(parsed.message);
    return { fault: parsed.fault, ...(parsed.instance ? { instance: parsed.instance } : {}) };
  });
  const opened = await openAdapters(plan, { dryRun: options.dryRun ?? true, faults, seed: 1, clock, logger: silentLogger, env: process.env, ...(options.adapters ? { adapters: options.adapters } : {}) });
  const journal = await new MemoryStore().create('run-1');
  const handle = startRun({
    exec,
    journal,
    adapters: opened.adapters,
    shell: opened.shell,
    clock,
    logger: silentLogger,
    stopWhenWaiting: options.stopWhenWaiting ?? false,
    start: {
      runId: 'run-1',
      plan: plan.name,
      planFile: plan.file,
      planPath: plan.file,
      planDigest: 'test',
      mode,
      params: exec.params,
      initiator: options.initiator ?? 'tester',
      engineVersion: 'test',
      dryRun: true,
      autoApprove: options.autoApprove ?? false,
      faults: options.faults ?? [],
      seed: 1,
      simulated: true,
    },
  });
  const result = handle.result
    .then((r) => {
      // Whatever the engine wrote, a resume must accept: every record counts when replayed.
      const { untrusted } = replayJournal(journal.records(), { exec, keys: new Map() });
      if (untrusted.length > 0) throw new Error(`the journal does not replay: ${untrusted.map((u) => `seq ${u.seq}: ${u.reason}`).join('; ')}`);
      return r;
    })
    .finally(() => opened.close());
  return { handle, clock, records: () => journal.records(), result };
}

export async function runToEnd(plan: Plan, mode: ModeName, options: HarnessOptions = {}) {
  const harness = await startHarness(plan, mode, { autoApprove: true, ...options });
  const result = await harness.result;
  return { result, records: harness.records(), clock: harness.clock };
}

export function defaultParams(plan: Plan): Record<string, Scalar> {
  const out: Record<string, Scalar> = {};
  for (const p of Object.values(plan.parameters)) if (p.default !== undefined) out[p.name] = p.default;
  return out;
}

/** `type stepId` lines, for asserting on the event sequence. */
export function eventLines(records: readonly JournalRecord[]): string[] {
  return records.map((r) => ('stepId' in r.data ? `${r.type} ${(r.data as { stepId: string }).stepId}` : r.type));
}

export function indexOf(records: readonly JournalRecord[], type: string, stepId: string): number {
  return records.findIndex((r) => r.type === type && 'stepId' in r.data && (r.data as { stepId: string }).stepId === stepId);
}
