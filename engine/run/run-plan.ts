import { createActor, fromPromise } from 'xstate';
import type { AdapterInstance, AdapterLogger, Clock, JsonObject } from '../../adapters/types.js';
import { compileExecution, type BatchActorInput, type NodeOutcome, type StepActorInput } from '../compile/compile-plan.js';
import type { ExecutionPlan } from '../model/execution.js';
import type { JournalRecord, NewRecord, RecordData, RunJournal } from '../store/journal.js';
import { Activity } from './activity.js';
import { runBatch } from './batch-runner.js';
import { answerRequest, isRefusalTally, takeRequests, type InboxRequest } from '../store/inbox.js';
import { dirname, resolve } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { approverKeysDir, loadPublicKeys } from '../approvals/keys.js';
import { judgeRequest, type OperatorRequest } from './operator-requests.js';
import { assertTrustedJournal } from './replay-decisions.js';
import { RunSignals, type RunControl } from './run-control.js';
import { RunHistory, type RunState } from './run-history.js';
import type { RunRuntime } from './run-runtime.js';
import { executeStep } from './step-executor.js';
import { TemplateRenderer } from '../model/template-renderer.js';

export interface StartRunOptions {
  exec: ExecutionPlan;
  journal: RunJournal;
  /** Opened adapter instances by plan instance name, and the one `run` steps use. */
  adapters: ReadonlyMap<string, AdapterInstance>;
  shell: AdapterInstance;
  clock: Clock;
  logger: AdapterLogger;
  /** For a new run: its `run.started` record. Omitted when resuming a journal that has one. */
  start?: RecordData['run.started'];
  /** Stop (leaving the journal resumable) as soon as only people can move the run on. */
  stopWhenWaiting: boolean;
  /** `file:line:col` of a plan JSON pointer, for run-time template errors. */
  where?: (pointer: string) => string;
  onRecord?: (record: JournalRecord) => void;
  /** The run's directory when its journal is on files: requests from other commands arrive in its inbox. */
  inboxDir?: string;
  /** Directory of the plan file (approver keys are found relative to it). Default: from `plan.file`. */
  planDir?: string;
  /** The journal's file, to name in errors (`<file>:<line>`). */
  journalFile?: string;
}

export interface RunResult {
  runId: string;
  state: RunState;
  failure: { stepId?: string; error?: string } | null;
  history: RunHistory;
}

export interface RunHandle {
  runId: string;
  control: RunControl;
  result: Promise<RunResult>;
}

/**
 * Runs (or resumes) a plan: compiles its machine, provides the step and batch actors, and
 * interprets it to the end, journaling every effect. The journal decides what already happened,
 * so starting this on an existing journal resumes exactly where the run was.
 *
 * @example
 * const run = startRun({ exec, journal, adapters, shell, clock, logger, start, stopWhenWaiting: false });
 * const { state } = await run.result;
 */
export function startRun(options: StartRunOptions): RunHandle {
  const { exec, journal, clock } = options;
  const history = RunHistory.of(journal.records());
  const signals = new RunSignals();
  let quiescent: () => void = () => {};
  const activity = new Activity(clock, () => quiescent());

  // Appends not yet applied to the history: a decision is judged only once there are none, so it
  // is judged against exactly the records before it in the journal — as a replay judges it.
  const writing = new Set<Promise<unknown>>();
  const write = async (records: readonly NewRecord[], time: number | undefined): Promise<JournalRecord[]> => {
    // Real I/O: keep simulated time still until the records are durable, and count it as work —
    // a run writing its journal is not a run that only waits for people.
    const release = clock.hold?.();
    const working = activity.begin();
    let written: JournalRecord[];
    try {
      written = await journal.append(records, time ?? clock.now());
    } finally {
      release?.();
      working();
    }
    for (const r of written) {
      history.apply(r);
      if (r.type === 'step.succeeded') rt.outputs[r.data.stepId] = { output: r.data.output };
      options.logger.info({ runId: journal.runId, seq: r.seq, type: r.type, ...r.data }, r.type);
      options.onRecord?.(r);
    }
    signals.notify();
    return written;
  };
  const record = (records: readonly NewRecord[], time?: number): Promise<JournalRecord[]> => {
    const pending = write(records, time);
    writing.add(pending);
    const done = () => void writing.delete(pending);
    pending.then(done, done);
    return pending;
  };
  const settled = async (): Promise<void> => {
    while (writing.size > 0) await Promise.allSettled([...writing]);
  };

  const initiator = options.start?.initiator ?? history.started?.initiator ?? 'unknown';
  const rt: RunRuntime = {
    exec,
    steps: new Map([...exec.steps, ...exec.onFailure].map((s) => [s.id, s])),
    runId: journal.runId,
    initiator,
    journal,
    history,
    clock,
    logger: options.logger,
    adapters: options.adapters,
    shell: options.shell,
    renderer: new TemplateRenderer(),
    activity,
    signals,
    autoApprove: options.start?.autoApprove ?? history.started?.autoApprove ?? false,
    where: options.where ?? ((pointer) => `${exec.plan.file}#${pointer}`),
    record,
    aborting: false,
    cancelling: history.cancelRequested !== undefined,
    inFlight: new Map(),
    outputs: Object.create(null) as Record<string, { output: JsonObject }>,
    groups: new Map(exec.plan.groups.map((g) => [g.id, g])),
    vms: new Map(exec.plan.groups.map((g) => [g.id, new Map(g.vms.map((v) => [v.name, v]))])),
  };
  for (const [id, h] of history.steps) if (h.status === 'succeeded' && h.output) rt.outputs[id] = { output: h.output };

  const planDir = options.planDir ?? dirname(resolve(exec.plan.file));
  const keysDir = approverKeysDir(planDir, exec.plan.approverKeys);
  const control = createControl(rt, () => actor, keysDir, settled);
  const machine = compileExecution(exec).provide({
    actors: {
      runStep: fromPromise<NodeOutcome, StepActorInput>(({ input, signal }) => executeStep(rt, input.stepId, signal)),
      runBatch: fromPromise<NodeOutcome, BatchActorInput>(({ input, signal }) => runBatch(rt, input, signal)),
    },
  });
  let actor = createActor(machine);

  const result = (async (): Promise<RunResult> => {
    // Resuming: every decision in the journal is judged again, as it was judged when it came.
    if (history.started) assertTrustedJournal(journal.runId, options.journalFile ?? 'journal.jsonl', journal.records(), { exec, keys: loadPublicKeys(keysDir).keys });
    if (options.start && !history.started) await record([{ type: 'run.started', data: options.start }]);
    if (history.ended) return finish();
    const inbox = options.inboxDir ? pollInbox(options.inboxDir, control.apply) : null;
    const outcome = await new Promise<'done' | 'stopped' | Error>((resolve) => {
      quiescent = () => {
        if (options.stopWhenWaiting) resolve('stopped');
      };
      actor.subscribe({ complete: () => resolve('done'), error: (e) => resolve(e instanceof Error ? e : new Error(String(e))) });
      actor.start();
      if (history.cancelRequested) actor.send({ type: 'CANCEL' });
    });
    activity.dispose();
    inbox?.stop();
    if (outcome === 'stopped') {
      actor.stop();
      await settle(rt);
      return finish();
    }
    // Stopped actors (cancel) may still be journaling the attempt they were in: the terminal
    // record comes after everything they write.
    await settle(rt);
    const snapshot = actor.getSnapshot();
    const failure = snapshot.context.failure;
    if (outcome instanceof Error) {
      await record([{ type: 'run.failed', data: { error: `internal error in the engine: ${outcome.message}` } }]);
    } else if (snapshot.value === 'succeeded') {
      await record([{ type: 'run.succeeded', data: {} }]);
    } else if (snapshot.value === 'cancelled') {
      await record([{ type: 'run.cancelled', data: { ...(history.cancelRequested ?? {}) } }]);
    } else {
      await record([{ type: 'run.failed', data: { ...(failure?.stepId ? { stepId: failure.stepId } : {}), ...(failure?.error ? { error: failure.error } : {}) } }]);
    }
    return finish();
  })();

  function finish(): RunResult {
    const failure = history.ended?.state === 'failed' ? { ...(history.ended.stepId ? { stepId: history.ended.stepId } : {}), ...(history.ended.error ? { error: history.ended.error } : {}) } : null;
    return { runId: journal.runId, state: history.state, failure, history };
  }

  return { runId: journal.runId, control, result };
}

function createControl(
  rt: RunRuntime,
  actor: () => { send(e: { type: 'CANCEL' }): void },
  keysDir: string,
  settled: () => Promise<void>,
): RunControl & { apply(request: InboxRequest): Promise<void> } {
  let keys: Map<string, KeyObject> | null = null;
  const apply = async (request: InboxRequest): Promise<void> => {
    if (request.type === 'refusals') {
      // Refusals `drplan serve` counted in a flood: recorded as counted, there is nothing to judge.
      if (!isRefusalTally(request)) throw new Error('a malformed tally of refused requests');
      if (!rt.history.ended) await rt.record([{ type: 'request.refused', data: request.record }]);
      return;
    }
    // Keys are read when first needed and again when a signer is unknown (a key added mid-run).
    const signer = 'signed' in request ? request.signed?.statement.principal : undefined;
    if (signer && (!keys || !keys.has(signer))) keys = loadPublicKeys(keysDir).keys;
    // Judged against every record before it and recorded at the time it was judged (nothing
    // awaited in between), so a replay of the journal judges it exactly alike.
    await settled();
    const now = rt.clock.now();
    const trust = { requireSignatures: !rt.history.started?.dryRun, keys: keys ?? new Map<string, KeyObject>(), now };
    const verdict = judgeRequest(rt.exec, rt.history, request, trust);
    if (!verdict.ok) {
      // A run that has ended keeps its terminal record last: refusals after it are only answered.
      if (!rt.history.ended) await rt.record([{ type: 'request.refused', data: { request: { ...request }, reason: verdict.refusal } }], now);
      throw new Error(verdict.refusal);
    }
    // Known at once, before the record is durable: no step may start after the request.
    if (request.type === 'cancel') rt.cancelling = true;
    await rt.record(verdict.records, now);
    if (request.type === 'cancel') actor().send({ type: 'CANCEL' });
  };
  return {
    apply,
    approve: (stepId, by, comment) => apply({ type: 'approve', stepId, by, ...(comment ? { comment } : {}) }),
    reject: (stepId, by, comment) => apply({ type: 'reject', stepId, by, ...(comment ? { comment } : {}) }),
    done: (stepId, by, comment) => apply({ type: 'done', stepId, by, ...(comment ? { comment } : {}) }),
    retry: (stepId, by, reason) => apply({ type: 'retry', stepId, by, ...(reason ? { reason } : {}) }),
    skip: (stepId, by, reason) => apply({ type: 'skip', stepId, by, reason }),
    abort: (stepId, by, reason) => apply({ type: 'abort', stepId, by, ...(reason ? { reason } : {}) }),
    cancel: (by, reason) => apply({ type: 'cancel', by, ...(reason ? { reason } : {}) }),
  };
}

/** Applies requests other commands drop in the run's inbox, answering each. Real time: this is I/O polling, not plan time. */
function pollInbox(dir: string, apply: (request: InboxRequest) => Promise<void>): { stop(): void } {
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      for (const { id, request } of takeRequests(dir)) {
        try {
          await apply(request);
          answerRequest(dir, id, { accepted: true, message: 'applied' });
        } catch (error) {
          answerRequest(dir, id, { accepted: false, message: error instanceof Error ? error.message : String(error) });
        }
      }
    } finally {
      busy = false;
    }
  };
  void tick();
  // Deliberately not unref'd: while a run waits for people this timer is what keeps the process
  // alive, and it stops when the run ends.
  const timer = setInterval(() => void tick(), 200);
  return { stop: () => clearInterval(timer) };
}

/** Waits until no step execution is under way (including ones whose actor was stopped). */
async function settle(rt: RunRuntime): Promise<void> {
  while (rt.inFlight.size > 0) await Promise.allSettled([...rt.inFlight.values()]);
}
