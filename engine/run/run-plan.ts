import { createActor, fromPromise } from 'xstate';
import type { AdapterInstance, AdapterLogger, Clock } from '../../adapters/types.js';
import { compileExecution, type BatchActorInput, type NodeOutcome, type StepActorInput } from '../compile/compile-plan.js';
import type { ExecutionPlan } from '../model/execution.js';
import type { JournalRecord, NewRecord, RecordData, RunJournal } from '../store/journal.js';
import { Activity } from './activity.js';
import { runBatch } from './batch-runner.js';
import { RunSignals, type RunControl } from './run-control.js';
import { RunHistory, type RunState } from './run-history.js';
import type { RunRuntime } from './run-runtime.js';
import { executeStep } from './step-executor.js';
import { TemplateRenderer } from './template-renderer.js';

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

  const record = async (records: readonly NewRecord[]): Promise<JournalRecord[]> => {
    // Real I/O: keep simulated time still until the records are durable.
    const release = clock.hold?.();
    let written: JournalRecord[];
    try {
      written = await journal.append(records, clock.now());
    } finally {
      release?.();
    }
    for (const r of written) {
      history.apply(r);
      options.logger.info({ runId: journal.runId, seq: r.seq, type: r.type, ...r.data }, r.type);
      options.onRecord?.(r);
    }
    signals.notify();
    return written;
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
  };

  const control = createControl(rt, () => actor);
  const machine = compileExecution(exec).provide({
    actors: {
      runStep: fromPromise<NodeOutcome, StepActorInput>(({ input, signal }) => executeStep(rt, input.stepId, signal)),
      runBatch: fromPromise<NodeOutcome, BatchActorInput>(({ input, signal }) => runBatch(rt, input, signal)),
    },
  });
  let actor = createActor(machine);

  const result = (async (): Promise<RunResult> => {
    if (options.start && !history.started) await record([{ type: 'run.started', data: options.start }]);
    if (history.ended) return finish();
    const outcome = await new Promise<'done' | 'stopped' | Error>((resolve) => {
      quiescent = () => {
        if (options.stopWhenWaiting) resolve('stopped');
      };
      actor.subscribe({ complete: () => resolve('done'), error: (e) => resolve(e instanceof Error ? e : new Error(String(e))) });
      actor.start();
      if (history.cancelRequested) actor.send({ type: 'CANCEL' });
    });
    activity.dispose();
    if (outcome === 'stopped') {
      actor.stop();
      return finish();
    }
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

function createControl(rt: RunRuntime, actor: () => { send(e: { type: 'CANCEL' }): void }): RunControl {
  const gateStep = (stepId: string) => {
    const step = rt.steps.get(stepId);
    if (!step || step.step?.kind !== 'gate') throw new Error(`run ${rt.runId} has no gate "${stepId}"`);
    return step.step;
  };
  return {
    async approve(stepId, by, comment) {
      const gate = gateStep(stepId).gate;
      const waiting = rt.history.step(stepId).waiting;
      const allowed = waiting?.principals ?? gate.principals;
      if (!allowed.includes(by)) throw new Error(`${by} may not approve gate "${stepId}": it needs ${allowed.join(', ')}`);
      if (by === rt.initiator && !gate.allowInitiator) throw new Error(`${by} started run ${rt.runId} and may not approve its gate "${stepId}" (the gate does not set allowInitiator)`);
      if (rt.history.step(stepId).approvals.some((a) => a.by === by)) throw new Error(`${by} has already approved gate "${stepId}"`);
      await rt.record([{ type: 'gate.approved', data: { stepId, by, ...(comment ? { comment } : {}) } }]);
    },
    async reject(stepId, by, comment) {
      const gate = gateStep(stepId).gate;
      const allowed = rt.history.step(stepId).waiting?.principals ?? gate.principals;
      if (!allowed.includes(by)) throw new Error(`${by} may not reject gate "${stepId}": it needs ${allowed.join(', ')}`);
      await rt.record([{ type: 'gate.rejected', data: { stepId, by, ...(comment ? { comment } : {}) } }]);
    },
    async done(stepId, by, comment) {
      const step = rt.steps.get(stepId);
      if (step?.step?.kind !== 'manual') throw new Error(`run ${rt.runId} has no manual step "${stepId}"`);
      const allowed = step.step.manual.principals;
      if (allowed && !allowed.includes(by)) throw new Error(`${by} may not mark "${stepId}" done: it is assigned to ${allowed.join(', ')}`);
      await rt.record([{ type: 'manual.done', data: { stepId, by, ...(comment ? { comment } : {}) } }]);
    },
    async retry(stepId, by, reason) {
      await rt.record([{ type: 'operator.retry', data: { stepId, by, ...(reason ? { reason } : {}) } }]);
    },
    async skip(stepId, by, reason) {
      await rt.record([{ type: 'operator.skip', data: { stepId, by, reason } }, { type: 'step.skipped', data: { stepId, reason, by } }]);
    },
    async abort(stepId, by, reason) {
      await rt.record([{ type: 'operator.abort', data: { stepId, by, ...(reason ? { reason } : {}) } }]);
    },
    async cancel(by, reason) {
      await rt.record([{ type: 'run.cancelRequested', data: { by, ...(reason ? { reason } : {}) } }]);
      actor().send({ type: 'CANCEL' });
    },
  };
}
