/**
 * Properties of whole runs: random valid plans (test/helpers/arbitrary-run-plan.ts) in every mode
 * with random faults, run to the end the way `drplan run --dry-run --auto-approve` runs them
 * (simulator adapters, simulated clock, in-memory journal), then judged by their journal.
 *
 * Every check is a function from a run to a list of problems, so one run is judged by all of
 * them, and each check is itself shown to fail on a journal that breaks it (bottom of the file).
 * Simulated time makes a run take milliseconds; each still gets a real-time guard so that a run
 * that never ends fails the property instead of hanging the suite.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveExecution } from '../../engine/compile/resolve-execution.js';
import type { ExecStep, ExecutionPlan } from '../../engine/model/execution.js';
import type { ModeName, Plan, PlanStep, RetryPolicy } from '../../engine/model/plan.js';
import { openAdapters } from '../../engine/app/open-adapters.js';
import { replayJournal } from '../../engine/run/replay-decisions.js';
import { startRun, type RunResult } from '../../engine/run/run-plan.js';
import { SimulatedClock } from '../../engine/run/simulated-clock.js';
import type { JournalRecord } from '../../engine/store/journal.js';
import { MemoryStore } from '../../engine/store/memory-store.js';
import { parseFaultOption } from '../../adapters/simulator/index.js';
import { arbitraryRunCase, type RunCase } from '../helpers/arbitrary-run-plan.js';
import { validPlan } from '../helpers/pipeline.js';
import { EPOCH, silentLogger } from '../helpers/run-harness.js';

const RUNS = Number(process.env.DRPLAN_ENGINE_PROPERTY_RUNS ?? 60);
/** Replay a failure: DRPLAN_ENGINE_PROPERTY_SEED=<seed> [DRPLAN_ENGINE_PROPERTY_PATH=<path>] (both printed by fast-check). */
const REPLAY = process.env.DRPLAN_ENGINE_PROPERTY_SEED
  ? { seed: Number(process.env.DRPLAN_ENGINE_PROPERTY_SEED), ...(process.env.DRPLAN_ENGINE_PROPERTY_PATH ? { path: process.env.DRPLAN_ENGINE_PROPERTY_PATH } : {}) }
  : {};
const params = (numRuns: number) => ({ numRuns, ...REPLAY });
/** Real time one simulated run may take before it counts as stuck. */
const GUARD_MS = 15_000;

// ---------------------------------------------------------------------------------------------
// Running a case

interface Ran {
  plan: Plan;
  exec: ExecutionPlan;
  mode: ModeName;
  result: RunResult;
  records: readonly JournalRecord[];
  /** Set when the run was cancelled by the test at this record's seq. */
  cancelAt?: number;
}

const planCache = new Map<string, Plan>();
function planOf(yaml: string): Plan {
  let plan = planCache.get(yaml);
  if (!plan) {
    plan = validPlan(yaml, 'generated.yaml');
    planCache.set(yaml, plan);
  }
  return plan;
}

/**
 * Runs a case like `drplan run --dry-run --auto-approve`: what test/helpers/run-harness.ts does,
 * plus a hook on each record (to cancel at a chosen one) and a real-time guard.
 */
async function runCase(c: RunCase, options: { cancelAtSeq?: number } = {}): Promise<Ran> {
  const plan = planOf(c.built.yaml);
  const exec = resolveExecution(plan, c.mode, {});
  const clock = new SimulatedClock(EPOCH);
  const faults = c.faults.map((f) => {
    const parsed = parseFaultOption(f);
    if (!parsed.ok) throw new Error(parsed.message);
    return { fault: parsed.fault, ...(parsed.instance ? { instance: parsed.instance } : {}) };
  });
  const opened = await openAdapters(plan, { dryRun: true, faults, seed: 1, clock, logger: silentLogger, env: {} });
  const journal = await new MemoryStore().create('run-1');
  let cancelled = false;
  const handle = startRun({
    exec,
    journal,
    adapters: opened.adapters,
    shell: opened.shell,
    clock,
    logger: silentLogger,
    stopWhenWaiting: false,
    onRecord: (r) => {
      if (options.cancelAtSeq !== undefined && r.seq === options.cancelAtSeq && !cancelled) {
        cancelled = true;
        // As an operator's cancel arrives: from outside, on a later turn of the event loop. (A cancel
        // landing in the same turn as a step's start is a known bug, reproduced on its own in
        // test/unit/engine/engine-stopping.test.ts, "requested as a step is being started".)
        // The run may have ended by then (the rest was instantaneous): the engine refuses, and the case is discarded.
        setImmediate(() => void handle.control.cancel('operator', 'called off').catch(() => undefined));
      }
    },
    start: {
      runId: 'run-1',
      plan: plan.name,
      planFile: plan.file,
      planDigest: 'test',
      mode: c.mode,
      params: {},
      initiator: 'tester',
      engineVersion: 'test',
      dryRun: true,
      autoApprove: true,
      faults: c.faults,
      simulated: true,
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`run did not end within ${GUARD_MS} ms of real time; last records:\n${tail(journal.records())}`)), GUARD_MS);
  });
  try {
    const result = await Promise.race([handle.result, guard]);
    // Let anything still in flight after the end (it should not be) reach the journal.
    await new Promise((r) => setTimeout(r, 5));
    return { plan, exec, mode: c.mode, result, records: [...journal.records()], ...(options.cancelAtSeq !== undefined ? { cancelAt: options.cancelAtSeq } : {}) };
  } finally {
    clearTimeout(timer);
    await opened.close();
  }
}

function tail(records: readonly JournalRecord[]): string {
  return records
    .slice(-8)
    .map((r) => `  ${line(r)}`)
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// Reading a journal

type StepRecord = Extract<JournalRecord, { data: { stepId: string } }>;
const stepIdOf = (r: JournalRecord): string | undefined => ('stepId' in r.data ? (r.data as { stepId: string }).stepId : undefined);
const attemptOf = (r: JournalRecord): number | undefined => ('attempt' in r.data ? (r.data as { attempt: number }).attempt : undefined);
const line = (r: JournalRecord) => `${r.seq} +${r.time - EPOCH} ${r.type}${stepIdOf(r) ? ` ${stepIdOf(r)}` : ''}${attemptOf(r) ? `#${attemptOf(r)}` : ''}`;

/** A record that says a step began: an attempt started, or it started waiting for a person. */
const isBegin = (r: JournalRecord) => r.type === 'step.started' || r.type === 'step.waiting';
/** A record that says a step is over for good. */
const isTerminal = (r: JournalRecord) => r.type === 'step.succeeded' || r.type === 'step.skipped' || (r.type === 'step.failed' && r.data.final);

class Journal {
  readonly begins = new Map<string, number[]>();
  readonly terminals = new Map<string, number[]>();
  readonly starts = new Map<string, StepRecord[]>();
  constructor(readonly records: readonly JournalRecord[]) {
    records.forEach((r, i) => {
      const id = stepIdOf(r);
      if (id === undefined) return;
      if (isBegin(r)) push(this.begins, id, i);
      if (isTerminal(r)) push(this.terminals, id, i);
      if (r.type === 'step.started') push(this.starts, id, r as StepRecord);
    });
  }
  firstBegin(id: string): number | undefined {
    return this.begins.get(id)?.[0];
  }
  /** Index of the first record that ends `id` for good, if any. */
  firstTerminal(id: string): number | undefined {
    return this.terminals.get(id)?.[0];
  }
  startCount(id: string): number {
    return this.starts.get(id)?.length ?? 0;
  }
  finishedBefore(id: string, index: number): boolean {
    const t = this.firstTerminal(id);
    return t !== undefined && t < index;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** SPEC §2.1: `abort` unless the step says otherwise; unplanned prechecks tolerate failure. */
function policyOf(step: ExecStep, mode: ModeName): 'abort' | 'continue' | 'pause' {
  if (step.phase === 'cleanup' || step.phase === 'onFailure') return 'continue';
  if (!step.step) return 'abort';
  return step.step.onFailure ?? (step.step.section === 'prechecks' && mode === 'unplanned' ? 'continue' : 'abort');
}

function stepsById(exec: ExecutionPlan): Map<string, ExecStep> {
  return new Map([...exec.steps, ...exec.onFailure].map((s) => [s.id, s]));
}

/** Index of the record after which the run is stopping: a final failure that aborts, or the cancel. */
function stopIndex(ran: Ran): number {
  const byId = stepsById(ran.exec);
  const i = ran.records.findIndex((r) => {
    if (r.type === 'run.cancelRequested') return true;
    if (r.type !== 'step.failed' || !r.data.final) return false;
    const step = byId.get(r.data.stepId);
    return step !== undefined && policyOf(step, ran.mode) === 'abort';
  });
  return i === -1 ? Number.POSITIVE_INFINITY : i;
}

const live = (exec: ExecutionPlan) => exec.steps.filter((s) => !s.skipped);

// ---------------------------------------------------------------------------------------------
// The checks. Each returns the problems it finds (empty: the property holds for this run).

type Check = (ran: Ran) => string[];

/** The run ended: succeeded, failed or cancelled, and its outcome agrees with its journal. */
const terminates: Check = (ran) => {
  const problems: string[] = [];
  const state = ran.result.state;
  if (state !== 'succeeded' && state !== 'failed' && state !== 'cancelled') problems.push(`run ended in state ${state}`);
  const byId = stepsById(ran.exec);
  const aborting = ran.records.some((r) => {
    if (r.type !== 'step.failed' || !r.data.final) return false;
    const step = byId.get(r.data.stepId);
    return step !== undefined && step.phase !== 'onFailure' && (policyOf(step, ran.mode) === 'abort' || step.phase === 'cleanup');
  });
  if (ran.cancelAt === undefined && state === 'succeeded' && aborting) problems.push('run succeeded although a step failed for good with policy abort (or a cleanup failed)');
  if (ran.cancelAt === undefined && state === 'failed' && !aborting) problems.push('run failed although no step failed for good with policy abort');
  return problems;
};

/** Journal shape: gapless seq from 1, run.started first, one terminal run record, last; time never goes back. */
const wellFormed: Check = (ran) => {
  const problems: string[] = [];
  const { records } = ran;
  records.forEach((r, i) => {
    if (r.seq !== i + 1) problems.push(`record ${i} has seq ${r.seq}`);
    if (i > 0 && r.time < records[i - 1]!.time) problems.push(`time goes back at seq ${r.seq}`);
  });
  if (records[0]?.type !== 'run.started') problems.push(`first record is ${records[0]?.type}`);
  const ends = records.filter((r) => r.type === 'run.succeeded' || r.type === 'run.failed' || r.type === 'run.cancelled');
  if (ends.length !== 1) problems.push(`${ends.length} terminal run records`);
  else if (records.at(-1) !== ends[0]) problems.push(`terminal ${ends[0]!.type} is not last: followed by ${records.slice(records.indexOf(ends[0]!) + 1).map(line).join(', ')}`);
  if (ends[0] && ends[0].type.slice(4) !== ran.result.state) problems.push(`journal ends ${ends[0].type}, result says ${ran.result.state}`);

  // Attempts: started once each, numbered 1..n, each with one result, and the result after the start.
  const byId = stepsById(ran.exec);
  const open = new Map<string, number>();
  const results = new Set<string>();
  const waited = new Set<string>();
  const lastAttempt = new Map<string, number>();
  for (const r of records) {
    const id = stepIdOf(r);
    if (id === undefined) continue;
    if (!byId.has(id)) problems.push(`seq ${r.seq}: unknown step ${id}`);
    if (r.type === 'step.waiting') waited.add(id);
    if (r.type === 'step.started') {
      const expected = (lastAttempt.get(id) ?? 0) + 1;
      if (r.data.attempt !== expected) problems.push(`seq ${r.seq}: ${id} starts attempt ${r.data.attempt}, expected ${expected}`);
      if (open.has(id)) problems.push(`seq ${r.seq}: ${id} attempt ${r.data.attempt} starts while attempt ${open.get(id)} is running`);
      lastAttempt.set(id, r.data.attempt);
      open.set(id, r.data.attempt);
    }
    if (r.type === 'step.succeeded' || r.type === 'step.failed') {
      const key = `${id}#${r.data.attempt}`;
      if (results.has(key)) problems.push(`seq ${r.seq}: second result for ${key}`);
      results.add(key);
      const person = byId.get(id)?.kind === 'gate' || byId.get(id)?.kind === 'manual';
      if (person ? !waited.has(id) : open.get(id) !== r.data.attempt) problems.push(`seq ${r.seq}: ${r.type} ${key} without its ${person ? 'step.waiting' : 'step.started'}`);
      open.delete(id);
    }
  }
  for (const [id, attempt] of open) problems.push(`${id} attempt ${attempt} was started and never finished`);
  return problems;
};

/** onFailure handlers: only when the run failed or was cancelled, then each (not skipped) once. */
/** A journal the engine wrote replays with every record counting (engine/run/replay-decisions.ts): resume never refuses it. */
const replaysTrusted: Check = (ran) => replayJournal(ran.records, { exec: ran.exec, keys: new Map() }).untrusted.map((u) => `seq ${u.seq} does not count on replay: ${u.reason}`);

const handlersOnce: Check = (ran) => {
  const problems: string[] = [];
  const j = new Journal(ran.records);
  const ended = ran.result.state === 'failed' || ran.result.state === 'cancelled';
  for (const h of ran.exec.onFailure) {
    const begins = j.begins.get(h.id)?.length ?? 0;
    const waits = ran.records.filter((r) => r.type === 'step.waiting' && r.data.stepId === h.id).length;
    const firstAttempts = ran.records.filter((r) => r.type === 'step.started' && r.data.stepId === h.id && r.data.attempt === 1).length;
    if (!ended && begins > 0) problems.push(`handler ${h.id} ran in a run that ${ran.result.state}`);
    if (firstAttempts > 1 || waits > 1) problems.push(`handler ${h.id} ran ${Math.max(firstAttempts, waits)} times`);
    if (ended && !h.skipped && begins === 0) problems.push(`handler ${h.id} did not run although the run ${ran.result.state}`);
    if (h.skipped && begins > 0) problems.push(`handler ${h.id} is skipped in ${ran.mode} but ran`);
  }
  return problems;
};

/** Groups: a VM's failover waits for its group's `pre` steps; a group waits for the groups it depends on. */
const groupOrder: Check = (ran) => {
  const problems: string[] = [];
  const j = new Journal(ran.records);
  const steps = live(ran.exec).filter((s) => s.phase === 'groups');
  const ofGroup = (g: string) => steps.filter((s) => s.group === g);
  // Dependencies from the plan (not from the resolved execution), transitively: an empty group passes its own on.
  const ancestors = new Map<string, Set<string>>();
  for (const g of ran.plan.groups) ancestors.set(g.id, new Set(g.dependsOn.flatMap((d) => [d, ...(ancestors.get(d) ?? [])])));
  for (const g of ran.plan.groups) {
    const own = ofGroup(g.id);
    const preIds = own.filter((s) => s.step?.section === 'pre').map((s) => s.id);
    for (const vmOp of own.filter((s) => s.kind === 'vm' && (s.operation === 'failover' || s.operation === 'testFailover'))) {
      const at = j.firstBegin(vmOp.id);
      if (at === undefined) continue;
      for (const pre of preIds) if (!j.finishedBefore(pre, at)) problems.push(`${vmOp.id} started (seq ${at + 1}) before pre step ${pre} finished`);
    }
    const begins = own.map((s) => j.firstBegin(s.id)).filter((i): i is number => i !== undefined);
    if (begins.length === 0) continue;
    const first = Math.min(...begins);
    for (const dep of ancestors.get(g.id) ?? []) {
      for (const s of ofGroup(dep)) if (!j.finishedBefore(s.id, first)) problems.push(`group ${g.id} began (seq ${first + 1}) before ${s.id} of group ${dep} finished`);
    }
  }
  return problems;
};

/** Until the run starts stopping, every step waits for what the resolved execution says it waits for. */
const respectsAfter: Check = (ran) => {
  const problems: string[] = [];
  const j = new Journal(ran.records);
  const stop = stopIndex(ran);
  const byId = stepsById(ran.exec);
  for (const s of live(ran.exec)) {
    const at = j.firstBegin(s.id);
    if (at === undefined || at > stop) continue;
    for (const dep of s.after) {
      if (byId.get(dep)?.skipped) continue;
      if (!j.finishedBefore(dep, at)) problems.push(`${s.id} began (seq ${at + 1}) before ${dep} finished`);
    }
  }
  return problems;
};

/** A group never has more units of work running than its concurrency. */
const concurrency: Check = (ran) => {
  const problems: string[] = [];
  const byId = stepsById(ran.exec);
  const running = new Map<string, Set<string>>();
  for (const r of ran.records) {
    const id = stepIdOf(r);
    const step = id === undefined ? undefined : byId.get(id);
    if (!step?.pool) continue;
    const key = `${step.phase}:${step.pool}`;
    const set = running.get(key) ?? new Set<string>();
    running.set(key, set);
    if (r.type === 'step.started') {
      set.add(step.id);
      const limit = ran.exec.pools[step.pool]!;
      if (set.size > limit) problems.push(`seq ${r.seq}: ${set.size} of ${key} running, concurrency ${limit}`);
    }
    if (r.type === 'step.succeeded' || r.type === 'step.failed') set.delete(step.id);
  }
  return problems;
};

/** Whether some group ran as many units at once as its concurrency allows (and fewer than its VMs). */
function concurrencyPeakReached(ran: Ran): boolean {
  const byId = stepsById(ran.exec);
  const running = new Map<string, number>();
  for (const r of ran.records) {
    const step = byId.get(stepIdOf(r) ?? '');
    if (!step?.pool || step.kind !== 'vm') continue;
    const n = (running.get(step.pool) ?? 0) + (r.type === 'step.started' ? 1 : r.type === 'step.succeeded' || r.type === 'step.failed' ? -1 : 0);
    running.set(step.pool, n);
    const group = ran.plan.groups.find((g) => g.id === step.group)!;
    if (n === ran.exec.pools[step.pool] && n < group.vms.length) return true;
  }
  return false;
}

/** Planned mode: every shutdown and every sync succeeded before any failover started. */
const plannedOrder: Check = (ran) => {
  if (ran.mode !== 'planned') return [];
  const problems: string[] = [];
  const j = new Journal(ran.records);
  const ops = (op: string) => live(ran.exec).filter((s) => s.kind === 'vm' && s.operation === op);
  const failoverStarts = ops('failover')
    .map((s) => j.firstBegin(s.id))
    .filter((i): i is number => i !== undefined);
  if (failoverStarts.length === 0) return [];
  const first = Math.min(...failoverStarts);
  for (const s of [...ops('shutdown'), ...ops('sync')]) {
    const ok = ran.records.findIndex((r) => r.type === 'step.succeeded' && r.data.stepId === s.id);
    if (ok === -1 || ok > first) problems.push(`failover started (seq ${first + 1}) but ${s.id} had not succeeded`);
  }
  if (ran.records.some((r) => r.type === 'step.failed' && ops('sync').some((s) => s.id === r.data.stepId))) problems.push('a sync failed, yet a failover started');
  return problems;
};

const PRODUCTION = new Set(['shutdown', 'sync', 'failover', 'start']);

/** Test mode: production is never touched; with `cleanup: always`, every test copy made is cleaned up. */
const testCleanup: Check = (ran) => {
  if (ran.mode !== 'test') return [];
  const problems: string[] = [];
  const byId = stepsById(ran.exec);
  const j = new Journal(ran.records);
  for (const r of ran.records) {
    const step = r.type === 'step.started' ? byId.get(r.data.stepId) : undefined;
    if (step?.operation && PRODUCTION.has(step.operation)) problems.push(`test mode started production operation ${step.id}`);
  }
  const setting = ran.plan.modes.test?.cleanup;
  for (const g of ran.plan.groups) {
    for (const vm of g.vms) {
      const created = j.firstBegin(`${g.id}/${vm.name}/testFailover`);
      const cleaned = j.firstBegin(`${g.id}/${vm.name}/cleanupTest`);
      if (setting === 'always' && created !== undefined && (cleaned === undefined || cleaned < created)) {
        problems.push(`${g.id}/${vm.name}: test copy created (seq ${created + 1}) but never cleaned up (run ${ran.result.state})`);
      }
      if (created === undefined && cleaned !== undefined) problems.push(`${g.id}/${vm.name}: cleanupTest started though no test copy was made`);
      if (setting === 'manual' && cleaned !== undefined) problems.push(`${g.id}/${vm.name}: cleanupTest ran although cleanup is manual`);
    }
  }
  if (setting === 'on-success' && stopIndex(ran) < Number.POSITIVE_INFINITY) {
    const cleanupBegan = live(ran.exec).some((s) => s.phase === 'cleanup' && (j.firstBegin(s.id) ?? -1) > stopIndex(ran));
    if (cleanupBegan) problems.push('cleanup: on-success, yet cleanup began after the run started failing');
  }
  return problems;
};

/** Retries: at most `attempts` starts; each retry exactly backoff × factor^(n−1), capped, after the failure. */
const retries: Check = (ran) => {
  const problems: string[] = [];
  const byId = stepsById(ran.exec);
  for (const step of byId.values()) {
    const retry: RetryPolicy = step.step && step.kind !== 'gate' && step.kind !== 'manual' ? step.step.retry : { attempts: 1, backoffMs: 0, factor: 1 };
    const starts = ran.records.filter((r): r is Extract<JournalRecord, { type: 'step.started' }> => r.type === 'step.started' && r.data.stepId === step.id);
    const interruptedByCancel = ran.records.some((r) => r.type === 'step.failed' && r.data.stepId === step.id && /cancel/.test(r.data.error));
    if (starts.length > retry.attempts && !interruptedByCancel) problems.push(`${step.id} started ${starts.length} times, policy allows ${retry.attempts}`);
    for (const r of ran.records) {
      if (r.type !== 'step.failed' || r.data.stepId !== step.id) continue;
      const n = r.data.attempt;
      const next = starts.find((s) => s.data.attempt === n + 1);
      const permanent = /cancel/.test(r.data.error);
      if (!permanent && r.data.final !== n >= retry.attempts) problems.push(`${step.id} attempt ${n} of ${retry.attempts} failed with final=${r.data.final}`);
      if (r.data.final || !next) continue;
      const expected = Math.min(retry.backoffMs * retry.factor ** (n - 1), retry.maxBackoffMs ?? Infinity);
      if (next.time - r.time !== expected) problems.push(`${step.id} attempt ${n + 1} started ${next.time - r.time} ms after attempt ${n} failed, policy says ${expected} ms`);
      const announced = ran.records.find((x) => x.type === 'step.retrying' && x.data.stepId === step.id && x.data.attempt === n + 1);
      if (!announced || announced.type !== 'step.retrying' || announced.data.at !== r.time + expected) problems.push(`${step.id}: step.retrying for attempt ${n + 1} missing or at the wrong time`);
    }
  }
  return problems;
};

/** Deadlines: an attempt never outlives its step's timeout, and a timed-out attempt fails exactly at it. */
const deadlines: Check = (ran) => {
  const problems: string[] = [];
  const byId = stepsById(ran.exec);
  const started = new Map<string, Extract<JournalRecord, { type: 'step.started' }>>();
  for (const r of ran.records) {
    if (r.type === 'step.started') {
      started.set(`${r.data.stepId}#${r.data.attempt}`, r);
      const timeout = byId.get(r.data.stepId)?.step?.timeoutMs;
      if (r.data.deadline !== (timeout === undefined ? null : r.time + timeout)) problems.push(`${r.data.stepId}#${r.data.attempt}: deadline ${r.data.deadline} for a ${timeout} ms timeout`);
    }
    if (r.type !== 'step.succeeded' && r.type !== 'step.failed') continue;
    const start = started.get(`${r.data.stepId}#${r.data.attempt}`);
    const timeout = byId.get(r.data.stepId)?.step?.timeoutMs;
    if (!start || timeout === undefined) continue;
    if (r.time - start.time > timeout) problems.push(`${r.data.stepId}#${r.data.attempt} took ${r.time - start.time} ms, timeout ${timeout} ms`);
    if (r.type === 'step.failed' && /timed out/.test(r.data.error) && r.time - start.time !== timeout) problems.push(`${r.data.stepId}#${r.data.attempt} timed out after ${r.time - start.time} ms, timeout ${timeout} ms`);
  }
  return problems;
};

/** The batch a step runs in (a group's VM operations of one phase, or one forEach step's VMs), or null. */
const batchOf = (s: ExecStep) => (s.pool === null ? null : s.kind === 'vm' ? `${s.phase}:${s.group}:vm` : `${s.phase}:${s.group}:${s.step?.id}`);

/**
 * After an aborting failure nothing new starts: only retries and the rest of in-flight VM
 * pipelines (a unit is failover + start), then cleanup and handlers.
 *
 * Two KNOWN BUGS are tolerated here, each reproduced on its own in
 * test/unit/engine/engine-stopping.test.ts; remove the tolerance with the fix:
 * - "a failure inside a batch is not seen until the batch drains": when the failing step is one
 *   unit of a batch, the rest of the run learns of the abort only when the batch's other running
 *   units have finished; until then other lanes go on starting steps.
 * - "a batch in another group ignores the abort": a batch already running in another group's
 *   lane keeps starting its queued units after the abort.
 * Starts in the failing step's own batch, and every other new start, are still flagged.
 */
const abortStartsNothingNew: Check = (ran) => {
  const stop = stopIndex(ran);
  if (!Number.isFinite(stop)) return [];
  const problems: string[] = [];
  const byId = stepsById(ran.exec);
  const stopStep = byId.get(stepIdOf(ran.records[stop]!) ?? '');
  const stoppingBatch = stopStep ? batchOf(stopStep) : null;
  // Where the machine learns of the stop: when the failing batch's running units (failover and start) have finished.
  const j = new Journal(ran.records);
  const sameBatch = stoppingBatch === null ? [] : [...byId.values()].filter((b) => batchOf(b) === stoppingBatch).map((b) => b.id);
  const seen = Math.max(stop, ...sameBatch.map((id) => Math.max(...(j.terminals.get(id) ?? [stop]))));
  ran.records.slice(stop + 1).forEach((r, k) => {
    const index = stop + 1 + k;
    if (!isBegin(r)) return;
    const step = byId.get(stepIdOf(r)!);
    // A step is judged where it first began: later attempts are retries of in-flight work.
    if (!step || step.phase === 'cleanup' || step.phase === 'onFailure' || (j.firstBegin(step.id) ?? index) < index) return;
    // The next operation of a VM whose pipeline was under way (failover then start): the pipeline's
    // first operation is the one judged.
    const previous = step.kind === 'vm' ? ran.exec.steps.find((s) => s.kind === 'vm' && s.vm === step.vm && s.group === step.group && s.phase === step.phase && step.after.includes(s.id)) : undefined;
    if (previous && (j.firstBegin(previous.id) ?? Infinity) < index) return;
    const batch = batchOf(step);
    if (ran.cancelAt === undefined) {
      if (index < seen && batch !== stoppingBatch) return; // KNOWN BUG: failure inside a batch not seen until it drains
      const batchRunning = batch !== null && [...byId.values()].some((b) => batchOf(b) === batch && (j.firstBegin(b.id) ?? index) < index);
      if (batch !== stoppingBatch && batchRunning) return; // KNOWN BUG: batch in another group ignores the abort
    }
    problems.push(`${line(r)} after the run began stopping at seq ${stop + 1}`);
  });
  return problems;
};

const ALL_CHECKS = { terminates, wellFormed, handlersOnce, groupOrder, respectsAfter, concurrency, plannedOrder, testCleanup, retries, deadlines, abortStartsNothingNew };

function judge(ran: Ran, checks: Check[]): void {
  const problems = checks.flatMap((c) => c(ran));
  if (problems.length > 0) {
    throw new Error(`${problems.slice(0, 12).join('\n')}\n--- journal (${ran.mode}, ${ran.result.state}) ---\n${ran.records.map(line).join('\n')}`);
  }
}

const describeCase = (c: RunCase) => `mode ${c.mode}, faults [${c.faults.join(' ')}]\n${c.built.yaml}`;

// ---------------------------------------------------------------------------------------------

// A guard, not a speed target: RUNS cases take seconds; a slow CI machine must not fail them.
const PROPERTY_TIMEOUT_MS = 240_000;

describe('random runs (simulated time, --auto-approve, random faults)', () => {
  it('terminate succeeded, failed or cancelled, with an outcome that agrees with the journal', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryRunCase, async (c) => {
        judge(await runCase(c), [terminates]);
      }),
      params(RUNS),
    );
  }, PROPERTY_TIMEOUT_MS);

  it('keep the order of work: pre steps before failovers, dependencies before groups, every `after`, concurrency', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryRunCase, async (c) => {
        judge(await runCase(c), [groupOrder, respectsAfter, concurrency, abortStartsNothingNew]);
      }),
      params(RUNS),
    );
  }, PROPERTY_TIMEOUT_MS);

  it('planned: shutdowns and syncs all succeed before any failover; test: never production, cleanup as configured', async () => {
    const planned = arbitraryRunCase.map((c) => ({ ...c, mode: c.mode === 'unplanned' ? ('test' as const) : c.mode }));
    await fc.assert(
      fc.asyncProperty(planned, async (c) => {
        judge(await runCase(c), [plannedOrder, testCleanup]);
      }),
      params(RUNS),
    );
  }, PROPERTY_TIMEOUT_MS);

  it('retry and follow the policy: attempts, exact backoff (factor, maxBackoff), deadlines', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryRunCase, async (c) => {
        judge(await runCase(c), [retries, deadlines]);
      }),
      params(RUNS),
    );
  }, PROPERTY_TIMEOUT_MS);

  it('write a well-formed journal, and run onFailure handlers once, only after a failure', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryRunCase, async (c) => {
        judge(await runCase(c), [wellFormed, handlersOnce, replaysTrusted]);
      }),
      params(RUNS),
    );
  }, PROPERTY_TIMEOUT_MS);

  it('are deterministic: the same plan, mode, seed and faults give the same records at the same times', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryRunCase, async (c) => {
        const a = await runCase(c);
        const b = await runCase(c);
        const key = (r: JournalRecord) => `${line(r)}`;
        expect(b.records.map(key)).toEqual(a.records.map(key));
        expect(b.result.state).toBe(a.result.state);
      }),
      params(Math.ceil(RUNS / 2)),
    );
  }, PROPERTY_TIMEOUT_MS);

  it('cancelled at any record end cancelled, with test cleanup (always) and every handler run once', async () => {
    const cases = arbitraryRunCase.chain((c) => fc.record({ c: fc.constant(c), at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }) }));
    await fc.assert(
      fc.asyncProperty(cases, async ({ c, at }) => {
        const whole = await runCase(c);
        const byId = stepsById(whole.exec);
        // Main work (everything but the handlers) ends with its last terminal record.
        const lastMain = whole.records.findLastIndex((r) => isTerminal(r) && byId.get(stepIdOf(r)!)?.phase !== 'onFailure');
        const stoppedAlready = stopIndex(whole);
        // KNOWN BUG (test/unit/engine/engine-stopping.test.ts, "during test cleanup"): a cancel while the
        // main path cleans up runs the cleanup a second time alongside the interrupted attempts. Cancel
        // before cleanup begins; remove this limit with the fix.
        const cleanupBegins = whole.records.findIndex((r) => isBegin(r) && byId.get(stepIdOf(r)!)?.phase === 'cleanup');
        const end = Math.min(lastMain, stoppedAlready, cleanupBegins === -1 ? Infinity : cleanupBegins - 1);
        fc.pre(end >= 1);
        const seq = 1 + Math.floor(at * end); // cancel after record 1..end, while main work remains
        const ran = tolerateCancelledFirst(await runCase(c, { cancelAtSeq: seq }));
        const requested = ran.records.findIndex((r) => r.type === 'run.cancelRequested');
        fc.pre(requested !== -1 || ran.result.state === 'cancelled');
        expect(requested, 'the cancel was journaled').toBeGreaterThan(0);
        // Up to the cancel the run is the same run as without it (determinism), so main work was left.
        expect(ran.records.slice(0, requested).map(line)).toEqual(whole.records.slice(0, requested).map(line));
        fc.pre(requested <= lastMain && requested <= stoppedAlready && (cleanupBegins === -1 || requested < cleanupBegins));
        judge(ran, [wellFormed, handlersOnce, testCleanup, abortStartsNothingNew, groupOrder, concurrency, replaysTrusted]);
        expect(ran.result.state, `cancelled after seq ${seq}`).toBe('cancelled');
      }),
      params(RUNS),
    );
  }, PROPERTY_TIMEOUT_MS);

  it('reach the cases the properties are about (a fixed sample: successes, failures, retries, timeouts, cancels of handlers, cleanup after failure)', async () => {
    const seen = { succeeded: 0, failed: 0, retried: 0, timedOut: 0, continued: 0, cleanedAfterFailure: 0, forEach: 0, batchAtConcurrency: 0, handlers: 0, gates: 0 };
    for (const c of fc.sample(arbitraryRunCase, { seed: 20_260_101, numRuns: 80 })) {
      const ran = await runCase(c);
      const byId = stepsById(ran.exec);
      if (ran.result.state === 'succeeded') seen.succeeded++;
      if (ran.result.state === 'failed') seen.failed++;
      if (ran.records.some((r) => r.type === 'step.retrying')) seen.retried++;
      if (ran.records.some((r) => r.type === 'step.failed' && /timed out/.test(r.data.error))) seen.timedOut++;
      if (ran.records.some((r) => r.type === 'step.failed' && r.data.final && byId.get(r.data.stepId)?.step?.onFailure === 'continue')) seen.continued++;
      if (ran.mode === 'test' && ran.result.state === 'failed' && ran.records.some((r) => r.type === 'step.started' && r.data.stepId.endsWith('/cleanupTest'))) seen.cleanedAfterFailure++;
      if (ran.records.some((r) => r.type === 'step.started' && byId.get(r.data.stepId)?.step?.forEach)) seen.forEach++;
      if (concurrencyPeakReached(ran)) seen.batchAtConcurrency++;
      if (ran.records.some((r) => isBegin(r) && byId.get(stepIdOf(r)!)?.phase === 'onFailure')) seen.handlers++;
      if (ran.records.some((r) => r.type === 'gate.approved')) seen.gates++;
    }
    for (const [what, count] of Object.entries(seen)) expect(count, what).toBeGreaterThanOrEqual(3);
  }, PROPERTY_TIMEOUT_MS);
});

/**
 * KNOWN BUG tolerated here (test/unit/engine/engine-stopping.test.ts, "journals the interrupted
 * attempt before the run’s terminal record"): when nothing runs after a cancel, `run.cancelled`
 * is journaled before the `step.failed` of the attempts the cancel interrupted. Those records
 * are moved back before the terminal record so the other checks can judge the rest. Remove with the fix.
 */
function tolerateCancelledFirst(ran: Ran): Ran {
  const end = ran.records.findIndex((r) => r.type === 'run.cancelled');
  if (end === -1 || end === ran.records.length - 1) return ran;
  const late = ran.records.slice(end + 1);
  if (!late.every((r) => r.type === 'step.failed' && r.data.error === 'cancelled while running')) return ran;
  const records = [...ran.records.slice(0, end), ...late, ran.records[end]!].map((r, i) => ({ ...r, seq: i + 1 }) as JournalRecord);
  return { ...ran, records };
}

describe('the checks themselves fail on journals that break them', () => {
  // One small plan, run for real, then its journal tampered with: each check must object.
  const c: RunCase = {
    built: {
      yaml: `
apiVersion: drplan/v1
kind: RecoveryPlan
metadata: { name: tamper }
spec:
  adapters:
    site: { type: simulator, config: { operations: { check: { estimate: 10s } } } }
  sites: { source: site, target: site }
  modes: { planned: {}, unplanned: {}, test: { cleanup: always } }
  groups:
    - id: a
      vms: [a-1, a-2]
      concurrency: 1
      pre:
        - { id: a-pre, action: site.replicationHealth }
    - id: b
      vms: [b-1]
      post:
        - { id: b-post, action: site.check, timeout: 30s, retry: { attempts: 3, backoff: 5s, factor: 2 } }
  onFailure:
    - { id: handler, action: site.check }
`,
      doc: {},
      vms: {},
      instances: ['site'],
      operations: [],
    },
    mode: 'planned',
    faults: ['check:2'],
  };
  const tamper = (ran: Ran, edit: (records: JournalRecord[]) => JournalRecord[]): Ran => {
    const records = edit(ran.records.map((r) => ({ ...r, data: { ...r.data } }) as JournalRecord));
    return { ...ran, records: records.map((r, i) => ({ ...r, seq: i + 1 }) as JournalRecord) };
  };
  const find = (records: JournalRecord[], type: string, stepId: string, attempt = 1) =>
    records.findIndex((r) => r.type === type && stepIdOf(r) === stepId && (attemptOf(r) ?? 1) === attempt);
  const move = (records: JournalRecord[], from: number, to: number) => {
    const [r] = records.splice(from, 1);
    records.splice(to, 0, r!);
    return records;
  };

  it('every check passes on the untouched run', async () => {
    const ran = await runCase(c);
    expect(ran.result.state).toBe('succeeded');
    expect(Object.values(ALL_CHECKS).flatMap((check) => check(ran))).toEqual([]);
    // The faults did hit: b-post failed twice, then succeeded.
    expect(ran.records.filter((r) => r.type === 'step.failed').length).toBe(2);
  });

  it('each check objects to its kind of damage', async () => {
    const ran = await runCase(c);
    const problemsOf = (check: Check, edit: (rs: JournalRecord[]) => JournalRecord[]) => check(tamper(ran, edit));
    // A failover before its group's pre step finished.
    expect(problemsOf(groupOrder, (rs) => move(rs, find(rs, 'step.started', 'a/a-1/failover'), find(rs, 'step.started', 'a-pre')))).not.toEqual([]);
    expect(problemsOf(respectsAfter, (rs) => move(rs, find(rs, 'step.started', 'a/a-1/failover'), find(rs, 'step.started', 'a-pre')))).not.toEqual([]);
    // Group b before group a finished.
    expect(problemsOf(groupOrder, (rs) => move(rs, find(rs, 'step.started', 'b/b-1/failover'), find(rs, 'step.succeeded', 'a/a-2/start')))).not.toEqual([]);
    // Two VMs of a concurrency-1 group at once.
    expect(problemsOf(concurrency, (rs) => move(rs, find(rs, 'step.started', 'a/a-2/failover'), find(rs, 'step.started', 'a/a-1/failover') + 1))).not.toEqual([]);
    // A failover before the last sync succeeded.
    expect(problemsOf(plannedOrder, (rs) => move(rs, find(rs, 'step.started', 'a/a-1/failover'), find(rs, 'step.succeeded', 'b/b-1/sync')))).not.toEqual([]);
    // A retry one second early; a retry announced for the wrong time.
    expect(problemsOf(retries, (rs) => rs.map((r) => (r.type === 'step.started' && r.data.stepId === 'b-post' && r.data.attempt === 2 ? { ...r, time: r.time - 1000 } : r)))).not.toEqual([]);
    expect(problemsOf(retries, (rs) => rs.map((r) => (r.type === 'step.retrying' ? { ...r, data: { ...r.data, at: r.data.at + 1 } } : r)))).not.toEqual([]);
    // A fourth attempt of a three-attempt step.
    expect(problemsOf(retries, (rs) => [...rs.slice(0, -1), { ...rs[find(rs, 'step.started', 'b-post', 3)]!, data: { stepId: 'b-post', attempt: 4, idempotencyKey: 'k', deadline: null } } as JournalRecord, rs.at(-1)!])).not.toEqual([]);
    // An attempt outliving its deadline.
    expect(problemsOf(deadlines, (rs) => rs.map((r) => (r.type === 'step.succeeded' && r.data.stepId === 'b-post' ? { ...r, time: r.time + 60_000 } : r)))).not.toEqual([]);
    // Journal shape: a gap, a result without its start, a record after the end, two ends.
    expect(wellFormed({ ...ran, records: ran.records.filter((_, i) => i !== 3) })).not.toEqual([]);
    expect(problemsOf(wellFormed, (rs) => rs.filter((r) => !(r.type === 'step.started' && r.data.stepId === 'a-pre')))).not.toEqual([]);
    expect(problemsOf(wellFormed, (rs) => move(rs, rs.length - 1, rs.length - 2))).not.toEqual([]);
    expect(problemsOf(wellFormed, (rs) => [...rs, { ...rs.at(-1)! }])).not.toEqual([]);
    // A handler in a run that succeeded.
    expect(problemsOf(handlersOnce, (rs) => [...rs.slice(0, -1), { ...rs[1]!, type: 'step.started', data: { stepId: 'handler', attempt: 1, idempotencyKey: 'k', deadline: null } } as JournalRecord, rs.at(-1)!])).not.toEqual([]);
    // A succeeded run whose journal holds an aborting failure.
    expect(problemsOf(terminates, (rs) => rs.map((r) => (r.type === 'step.failed' ? { ...r, data: { ...r.data, final: true } } : r)))).not.toEqual([]);
  });

  it('the test-mode and abort checks object to production work, a missed cleanup and new work after an abort', async () => {
    const ran = await runCase({ ...c, mode: 'test', faults: [] });
    expect(ran.result.state).toBe('succeeded');
    expect(testCleanup(ran)).toEqual([]);
    const problemsOf = (check: Check, edit: (rs: JournalRecord[]) => JournalRecord[]) => check(tamper(ran, edit));
    expect(problemsOf(testCleanup, (rs) => rs.filter((r) => !(r.type === 'step.started' && r.data.stepId === 'a/a-2/cleanupTest')))).not.toEqual([]);
    const exec = resolveExecution(ran.plan, 'planned', {});
    expect(testCleanup({ ...ran, exec, records: [...ran.records.slice(0, 2), { ...ran.records[1]!, type: 'step.started', data: { stepId: 'a/a-1/failover', attempt: 1, idempotencyKey: 'k', deadline: null } } as JournalRecord] })).not.toEqual([]);
    // A final, aborting failure of a-pre, and then the group's VMs start anyway.
    expect(problemsOf(abortStartsNothingNew, (rs) => rs.map((r) => (r.type === 'step.succeeded' && r.data.stepId === 'a-pre' ? ({ ...r, type: 'step.failed', data: { stepId: 'a-pre', attempt: 1, error: 'x', final: true } } as JournalRecord) : r)))).not.toEqual([]);
  });
});
