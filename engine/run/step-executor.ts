import { buildScriptArgv } from '../model/script-argv.js';
import type { AdapterInstance, JsonObject, OperationContext, OperationDeclaration } from '../../adapters/types.js';
import type { NodeOutcome } from '../compile/compile-plan.js';
import { formatDuration } from '../model/duration.js';
import type { ExecStep } from '../model/execution.js';
import { effectiveFailurePolicy, type FailurePolicy, type RetryPolicy } from '../model/plan.js';
import { waitForPerson } from './human-waits.js';
import { stoppedByAbort, templateContext, vmOf, type RunRuntime } from './run-runtime.js';
import { TemplateError } from '../model/template-renderer.js';

const NO_RETRY: RetryPolicy = { attempts: 1, backoffMs: 0, factor: 1 };

/**
 * Runs one step to an outcome, journaling every effect: `step.started` (durable) before the
 * adapter is called, the result after. Replays from the journal: a step that already finished
 * is not called again; an attempt that was started but never finished is in doubt and is re-run
 * only when its operation is idempotent or the adapter can tell it did not happen.
 */
export async function executeStep(rt: RunRuntime, stepId: string, signal: AbortSignal): Promise<NodeOutcome> {
  // One execution of a step at a time: a second one (a cancel path reaching a step whose stopped
  // attempt is still journaling) waits for the first and then sees its outcome in the history.
  const earlier = rt.inFlight.get(stepId);
  if (earlier) await earlier.catch(() => undefined);
  const execution = executeOnce(rt, stepId, signal);
  rt.inFlight.set(stepId, execution);
  try {
    const outcome = await execution;
    if (outcome.status === 'abort' && !rt.aborting) {
      rt.aborting = true;
      rt.signals.notify();
    }
    return outcome;
  } finally {
    if (rt.inFlight.get(stepId) === execution) rt.inFlight.delete(stepId);
  }
}

async function executeOnce(rt: RunRuntime, stepId: string, signal: AbortSignal): Promise<NodeOutcome> {
  const step = rt.steps.get(stepId);
  if (!step) throw new Error(`internal: unknown step ${stepId}`);
  if (step.skipped) return { status: 'ok' };
  const h = rt.history.step(stepId);
  if (h.status === 'succeeded' || h.status === 'skipped') return { status: 'ok' };
  // Failed for good (after its retries, or a gate rejected or timed out): replay the outcome,
  // never the step — the journal says it failed and that stands.
  if (h.status === 'failed' && h.finalFailure) {
    const replayed = replayFailure(rt, step, h.error ?? 'failed');
    if (replayed) return replayed;
  }
  if (stoppedByAbort(rt, step)) return { status: 'abort' };
  if (step.kind === 'gate' || step.kind === 'manual') return waitForPerson(rt, step, signal);
  return runEffect(rt, step, signal);
}

function policyOf(step: ExecStep, mode: Parameters<typeof effectiveFailurePolicy>[1]): { policy: FailurePolicy; markFailed: boolean } {
  // Cleanup and failure handlers are best effort: one that fails must not stop the others, but
  // the run must not look clean either.
  if (step.phase === 'cleanup' || step.phase === 'onFailure') return { policy: 'continue', markFailed: true };
  if (!step.step) return { policy: 'abort', markFailed: false };
  return { policy: effectiveFailurePolicy(step.step, mode), markFailed: false };
}

async function runEffect(rt: RunRuntime, step: ExecStep, signal: AbortSignal): Promise<NodeOutcome> {
  const retry = step.step?.retry ?? NO_RETRY;
  const { policy, markFailed } = policyOf(step, rt.exec.mode);
  const h = rt.history.step(step.id);
  let attempt = h.attempts;
  let budget = retry.attempts;

  if (h.status === 'waiting' && h.waiting?.kind === 'pause') {
    // Paused when the engine stopped: it stays paused until an operator decides.
    const inDoubt = h.waiting.inDoubt;
    const decision = await pauseForOperator(rt, step, h.waiting.reason ?? '', signal);
    if (decision === 'skip') return { status: 'ok' };
    if (decision === 'abort') return abortOutcome(step, h.error ?? 'aborted by an operator');
    if (inDoubt) {
      // The operator checked: the attempt did not happen. Re-run it under its own key.
      attempt = inDoubt.attempt - 1;
      budget = Math.max(budget, inDoubt.attempt);
    } else {
      budget = attempt + retry.attempts;
    }
  } else if (h.status === 'failed' && h.finalFailure) {
    // onFailure: pause, and the engine died before the pause was recorded.
    const decision = await pauseForOperator(rt, step, `step "${step.id}" failed after ${h.attempts} attempt${h.attempts === 1 ? '' : 's'}: ${h.error ?? 'failed'}`, signal);
    if (decision === 'skip') return { status: 'ok' };
    if (decision === 'abort') return abortOutcome(step, h.error ?? 'aborted by an operator');
    budget = attempt + retry.attempts;
  } else if (h.inFlight) {
    const decision = await settleInDoubt(rt, step, signal);
    if (decision === 'done') return { status: 'ok' };
    if (decision === 'skip') return { status: 'ok' };
    if (decision === 'abort') return abortOutcome(step, rt.history.step(step.id).error ?? 'aborted by an operator');
    attempt = rt.history.step(step.id).attempts - 1; // re-run the in-doubt attempt under its own key
    budget = Math.max(budget, attempt + 1);
  } else if (h.retry) {
    await sleepUntil(rt, h.retry.at, signal);
    attempt = h.retry.attempt - 1;
  }

  for (;;) {
    attempt++;
    const result = await attemptOnce(rt, step, attempt, signal);
    if (signal.aborted) return { status: 'abort', failedStep: step.id, error: 'cancelled' };
    if (result.ok) return { status: 'ok' };
    const final = attempt >= budget || result.permanent;
    await rt.record([{ type: 'step.failed', data: { stepId: step.id, attempt, error: result.error, final } }]);
    if (!final) {
      const delay = backoffDelay(retry, attempt);
      await rt.record([{ type: 'step.retrying', data: { stepId: step.id, attempt: attempt + 1, at: rt.clock.now() + delay } }]);
      await sleepUntil(rt, rt.clock.now() + delay, signal);
      if (signal.aborted) return { status: 'abort', failedStep: step.id, error: 'cancelled' };
      if (stoppedByAbort(rt, step)) {
        await rt.record([{ type: 'step.skipped', data: { stepId: step.id, reason: `retry abandoned: the run is failing (after attempt ${attempt}: ${result.error})` } }]);
        return { status: 'abort' };
      }
      continue;
    }
    if (policy === 'continue') return { status: 'ok', ...(markFailed ? { markFailed: true, failedStep: step.id, error: result.error } : {}) };
    if (policy === 'abort') return abortOutcome(step, result.error);
    const decision = await pauseForOperator(rt, step, `step "${step.id}" failed after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${result.error}`, signal);
    if (decision === 'skip') return { status: 'ok' };
    if (decision === 'abort') return abortOutcome(step, result.error);
    budget = attempt + retry.attempts;
  }
}

/**
 * What a step that already failed for good means for the run, as its policy says; null for
 * `pause`, whose pause (perhaps never recorded: the engine died first) the step executor takes up.
 */
function replayFailure(rt: RunRuntime, step: ExecStep, error: string): NodeOutcome | null {
  const { policy, markFailed } = step.kind === 'gate' || step.kind === 'manual' ? { policy: 'abort' as const, markFailed: false } : policyOf(step, rt.exec.mode);
  if (policy === 'continue') return { status: 'ok', ...(markFailed ? { markFailed: true, failedStep: step.id, error } : {}) };
  if (policy === 'pause') return null;
  return abortOutcome(step, error);
}

function abortOutcome(step: ExecStep, error: string): NodeOutcome {
  return { status: 'abort', failedStep: step.id, error };
}

/** The wait before attempt `attempt + 1`: backoff × factor^(attempt-1), capped. */
export function backoffDelay(retry: RetryPolicy, attempt: number): number {
  const raw = retry.backoffMs * retry.factor ** (attempt - 1);
  return Math.round(Math.min(raw, retry.maxBackoffMs ?? Number.POSITIVE_INFINITY));
}

type AttemptResult = { ok: true } | { ok: false; error: string; permanent: boolean };

async function attemptOnce(rt: RunRuntime, step: ExecStep, attempt: number, signal: AbortSignal): Promise<AttemptResult> {
  let input: JsonObject;
  try {
    input = buildInput(rt, step);
  } catch (error) {
    if (error instanceof TemplateError) {
      // A template that cannot render will not render on a retry either.
      return { ok: false, error: `${rt.where(error.pointer)}: ${error.message}`, permanent: true };
    }
    throw error;
  }
  const timeoutMs = step.step?.timeoutMs;
  const deadline = timeoutMs === undefined ? null : rt.clock.now() + timeoutMs;
  const idempotencyKey = `${rt.runId}:${step.id}:${attempt}`;
  // Cancelled (or the run is failing) before it started: nothing happened, so nothing is journaled.
  if (signal.aborted || stoppedByAbort(rt, step)) return { ok: false, error: 'cancelled', permanent: true };
  await rt.record([{ type: 'step.started', data: { stepId: step.id, attempt, idempotencyKey, deadline } }]);
  const end = rt.activity.begin();
  try {
    const output = await callWithDeadline(rt, step, input, attempt, idempotencyKey, deadline, signal);
    // The effect happened, cancel or not: the journal says so.
    await rt.record([{ type: 'step.succeeded', data: { stepId: step.id, attempt, output } }]);
    return { ok: true };
  } catch (error) {
    if (signal.aborted) {
      await rt.record([{ type: 'step.failed', data: { stepId: step.id, attempt, error: 'cancelled while running', final: true } }]);
      return { ok: false, error: 'cancelled', permanent: true };
    }
    // An adapter that says retrying cannot help is believed: no attempt is wasted on it.
    const permanent = (error as { details?: { retryable?: boolean } } | null)?.details?.retryable === false;
    return { ok: false, error: error instanceof Error ? error.message : String(error), permanent };
  } finally {
    end();
  }
}

/** Calls the adapter; the attempt fails at its absolute deadline even if the adapter ignores the abort. */
async function callWithDeadline(
  rt: RunRuntime,
  step: ExecStep,
  input: JsonObject,
  attempt: number,
  idempotencyKey: string,
  deadline: number | null,
  runSignal: AbortSignal,
): Promise<JsonObject> {
  const { instance, operation } = target(rt, step);
  // Without a deadline the run's own signal is all the adapter needs.
  if (deadline === null) return instance.call(operation, input, operationContext(rt, step, attempt, idempotencyKey, runSignal));
  const controller = new AbortController();
  const onRunAbort = () => controller.abort(runSignal.reason ?? new Error('cancelled'));
  if (runSignal.aborted) onRunAbort();
  else runSignal.addEventListener('abort', onRunAbort, { once: true });
  const timer = new AbortController();
  try {
    const ctx = operationContext(rt, step, attempt, idempotencyKey, controller.signal);
    const call = instance.call(operation, input, ctx);
    const timeout = rt.clock.sleep(Math.max(0, deadline - rt.clock.now()), timer.signal).then(() => {
      const error = new Error(`timed out after ${formatDuration(step.step?.timeoutMs ?? 0)} (attempt ${attempt})`);
      // Named like AbortSignal.timeout's reason, so adapters can tell a timeout from a cancel.
      error.name = 'TimeoutError';
      controller.abort(error);
      throw error;
    });
    return await Promise.race([call, timeout]);
  } finally {
    timer.abort();
    runSignal.removeEventListener('abort', onRunAbort);
  }
}

function target(rt: RunRuntime, step: ExecStep): { instance: AdapterInstance; operation: string } {
  if (step.kind === 'run') return { instance: rt.shell, operation: 'exec' };
  const instance = rt.adapters.get(step.adapter ?? '');
  if (!instance) throw new Error(`internal: adapter "${step.adapter}" was not opened`);
  return { instance, operation: step.operation ?? '' };
}

function operationContext(rt: RunRuntime, step: ExecStep, attempt: number, idempotencyKey: string, signal: AbortSignal): OperationContext {
  const { vm } = vmOf(rt, step);
  return {
    runId: rt.runId,
    stepId: step.id,
    attempt,
    idempotencyKey,
    signal,
    logger: rt.logger,
    clock: rt.clock,
    mode: rt.exec.mode,
    // The copy's own estimate: a forEach step's may differ per VM.
    ...(step.estimated && (step.step?.estimateMs !== undefined || step.step?.estimateTemplate !== undefined) ? { estimateMs: step.estimateMs } : {}),
    ...(vm ? { vm: { ...vm.attributes, name: vm.name } } : {}),
  };
}

/** The adapter input: rendered `with`, rendered argv, or what the engine gives a VM operation. */
function buildInput(rt: RunRuntime, step: ExecStep): JsonObject {
  const source = step.step;
  if (step.kind === 'vm') {
    const { vm } = vmOf(rt, step);
    const input: JsonObject = { vm: { ...(vm?.attributes ?? {}), name: step.vm ?? '' } };
    if (rt.exec.mode === 'unplanned' && step.operation === 'failover') input.recoveryPoint = rt.exec.plan.modes.unplanned?.recoveryPoint ?? 'latest';
    if (rt.exec.mode === 'test' && rt.exec.plan.modes.test?.network) input.network = rt.exec.plan.modes.test.network;
    return input;
  }
  const context = templateContext(rt, step);
  if (source?.kind === 'action') return rt.renderer.renderValue(source.with, context, `${source.pointer}/with`) as JsonObject;
  if (source?.kind === 'run') {
    const rendered = source.argv.map((arg, i) =>
      rt.renderer.renderString(arg, context, source.script ? (i === 0 ? `${source.pointer}/run/script` : `${source.pointer}/run/args/${i - 1}`) : `${source.pointer}/run/${i}`),
    );
    // Each element is rendered on its own and passed as one argv element: never joined, never re-split.
    return { argv: source.script ? buildScriptArgv(rendered[0] ?? '', rendered.slice(1)) : rendered };
  }
  throw new Error(`internal: step ${step.id} has no effect to run`);
}

function declarationOf(rt: RunRuntime, step: ExecStep): OperationDeclaration | undefined {
  if (step.kind === 'run') return undefined;
  return rt.exec.plan.adapters[step.adapter ?? '']?.operations[step.operation ?? ''];
}

/**
 * An attempt was recorded as started but never finished (the engine died). Re-run it only when
 * that is safe; otherwise ask an operator, saying exactly what to check.
 */
async function settleInDoubt(rt: RunRuntime, step: ExecStep, signal: AbortSignal): Promise<'rerun' | 'done' | 'skip' | 'abort'> {
  const h = rt.history.step(step.id);
  const inFlight = h.inFlight!;
  const declaration = declarationOf(rt, step);
  if (declaration?.idempotent) return 'rerun';
  const { instance, operation } = target(rt, step);
  if (declaration?.reconcilable && instance.reconcile) {
    const ctx = operationContext(rt, step, inFlight.attempt, inFlight.idempotencyKey, signal);
    const verdict = await instance.reconcile(operation, buildInput(rt, step), ctx).catch(() => 'unknown' as const);
    if (verdict === 'not-happened') return 'rerun';
    if (verdict === 'happened' || (typeof verdict === 'object' && verdict.happened)) {
      const output = typeof verdict === 'object' ? { ...verdict.output, reconciled: true } : { reconciled: true };
      await rt.record([{ type: 'step.succeeded', data: { stepId: step.id, attempt: inFlight.attempt, output } }]);
      return 'done';
    }
  }
  const what = step.kind === 'run' ? `the command of step "${step.id}"` : `${step.adapter}.${step.operation}${step.vm ? ` on ${step.vm}` : ''}`;
  const decision = await pauseForOperator(
    rt,
    step,
    `step "${step.id}" was started (attempt ${inFlight.attempt}, key ${inFlight.idempotencyKey}) but drplan stopped before it finished, and it is not idempotent. ` +
      `Check whether ${what} took effect: if it did not, run \`drplan retry ${rt.runId} ${step.id}\`; if it did, run \`drplan skip ${rt.runId} ${step.id} --reason "..."\`.`,
    signal,
    { attempt: inFlight.attempt, idempotencyKey: inFlight.idempotencyKey },
  );
  return decision === 'retry' ? 'rerun' : decision;
}

/** Pauses the step until an operator retries, skips or aborts it (`onFailure: pause`, in-doubt steps). */
export async function pauseForOperator(
  rt: RunRuntime,
  step: ExecStep,
  reason: string,
  signal: AbortSignal,
  inDoubt?: { attempt: number; idempotencyKey: string },
): Promise<'retry' | 'skip' | 'abort'> {
  if (rt.history.step(step.id).status !== 'waiting') {
    await rt.record([{ type: 'step.waiting', data: { stepId: step.id, kind: 'pause', deadline: null, principals: [], reason, ...(inDoubt ? { inDoubt } : {}) } }]);
  }
  for (;;) {
    const decision = rt.history.step(step.id).operator;
    if (decision === 'retry' || decision === 'abort') return decision;
    if (decision === 'skip' || rt.history.step(step.id).status === 'skipped') return 'skip';
    if (signal.aborted) return 'abort';
    const end = rt.activity.waitForPerson();
    try {
      await rt.signals.next(signal);
    } finally {
      end();
    }
  }
}

async function sleepUntil(rt: RunRuntime, at: number, signal: AbortSignal): Promise<void> {
  const end = rt.activity.begin();
  try {
    await rt.clock.sleep(Math.max(0, at - rt.clock.now()), signal);
  } catch {
    // aborted: the caller sees the signal
  } finally {
    end();
  }
}
