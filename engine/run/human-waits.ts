import type { NodeOutcome } from '../compile/compile-plan.js';
import { formatDuration } from '../model/duration.js';
import type { ExecStep } from '../model/execution.js';
import type { GateSpec } from '../model/plan.js';
import { stoppedByAbort, templateContext, type RunRuntime } from './run-runtime.js';
import { TemplateError } from '../model/template-renderer.js';

const AUTO_APPROVER = 'auto-approve';

/**
 * Gates and manual steps: record that the run waits (with an absolute deadline, so it survives a
 * restart), then wait for decisions to arrive in the journal. `--auto-approve` (dry-runs only)
 * decides at once and is recorded as simulated.
 */
export async function waitForPerson(rt: RunRuntime, step: ExecStep, signal: AbortSignal): Promise<NodeOutcome> {
  const source = step.step;
  if (source?.kind === 'gate') return waitForGate(rt, step, source.gate, signal);
  if (source?.kind === 'manual') return waitForManual(rt, step, source.manual.timeoutMs, source.manual.principals, signal);
  throw new Error(`internal: step ${step.id} is not a gate or manual step`);
}

interface Round {
  principals: string[];
  quorum: number;
  timeoutMs: number | undefined;
  escalated: boolean;
}

async function waitForGate(rt: RunRuntime, step: ExecStep, gate: GateSpec, signal: AbortSignal): Promise<NodeOutcome> {
  const h = rt.history.step(step.id);
  let round: Round = { principals: gate.principals, quorum: gate.quorum, timeoutMs: gate.timeoutMs, escalated: false };
  if (h.waiting && h.waiting.kind === 'gate' && typeof gate.onTimeout === 'object' && sameSet(h.waiting.principals, gate.onTimeout.escalate.principals) && !sameSet(gate.principals, gate.onTimeout.escalate.principals)) {
    round = { principals: gate.onTimeout.escalate.principals, quorum: gate.onTimeout.escalate.quorum, timeoutMs: gate.onTimeout.escalate.timeoutMs, escalated: true };
  }
  let deadline = h.status === 'waiting' && h.waiting ? h.waiting.deadline : null;
  const instructions = await renderInstructions(rt, step, gate.instructions, `${step.step?.pointer}/gate/instructions`);
  if (instructions.failed) return instructions.failed;
  if (h.status !== 'waiting') deadline = await announce(rt, step, 'gate', round, instructions.text);

  if (rt.autoApprove) {
    await rt.record([
      { type: 'gate.approved', data: { stepId: step.id, by: AUTO_APPROVER, simulated: true } },
      { type: 'step.succeeded', data: { stepId: step.id, attempt: 1, output: { approvedBy: [AUTO_APPROVER], simulated: true } } },
    ]);
    return { status: 'ok' };
  }

  {
    for (;;) {
      const s = rt.history.step(step.id);
      if (s.rejection) {
        const error = `gate "${step.id}" rejected by ${s.rejection.by}${s.rejection.comment ? `: ${s.rejection.comment}` : ''}`;
        await rt.record([{ type: 'step.failed', data: { stepId: step.id, attempt: 1, error, final: true } }]);
        return { status: 'abort', failedStep: step.id, error };
      }
      const approvers = distinctApprovers(s.approvals, round.principals);
      if (approvers.length >= round.quorum) {
        await rt.record([{ type: 'step.succeeded', data: { stepId: step.id, attempt: 1, output: { approvedBy: approvers } } }]);
        return { status: 'ok' };
      }
      // The timeout is recorded at the time that was found past the deadline (a replay checks it).
      const now = rt.clock.now();
      if (deadline !== null && now >= deadline) {
        const outcome = gate.onTimeout;
        if (outcome === 'approve' && !round.escalated) {
          await rt.record(
            [
              { type: 'gate.timedOut', data: { stepId: step.id, outcome: 'approved' } },
              { type: 'step.succeeded', data: { stepId: step.id, attempt: 1, output: { approvedBy: [], approvedByTimeout: true } } },
            ],
            now,
          );
          return { status: 'ok' };
        }
        if (typeof outcome === 'object' && !round.escalated) {
          round = { principals: outcome.escalate.principals, quorum: outcome.escalate.quorum, timeoutMs: outcome.escalate.timeoutMs, escalated: true };
          await rt.record([{ type: 'gate.timedOut', data: { stepId: step.id, outcome: 'escalated' } }], now);
          deadline = await announce(rt, step, 'gate', round, instructions.text);
          continue;
        }
        const error = `gate "${step.id}" timed out after ${formatDuration(round.timeoutMs ?? 0)} with ${approvers.length} of ${round.quorum} approvals`;
        await rt.record(
          [
            { type: 'gate.timedOut', data: { stepId: step.id, outcome: 'failed' } },
            { type: 'step.failed', data: { stepId: step.id, attempt: 1, error, final: true } },
          ],
          now,
        );
        return { status: 'abort', failedStep: step.id, error };
      }
      if (signal.aborted) return { status: 'abort', failedStep: step.id, error: 'cancelled' };
      if (await abandonedByAbort(rt, step)) return { status: 'abort' };
      await nextDecisionOrDeadline(rt, deadline, signal);
    }
  }
}

/** The run is failing because of another step: nobody needs to decide this one any more. */
async function abandonedByAbort(rt: RunRuntime, step: ExecStep): Promise<boolean> {
  if (!stoppedByAbort(rt, step)) return false;
  await rt.record([{ type: 'step.skipped', data: { stepId: step.id, reason: 'no longer waited for: the run is failing because of another step' } }]);
  return true;
}

async function waitForManual(rt: RunRuntime, step: ExecStep, timeoutMs: number | undefined, principals: string[] | null, signal: AbortSignal): Promise<NodeOutcome> {
  const h = rt.history.step(step.id);
  let deadline = h.status === 'waiting' && h.waiting ? h.waiting.deadline : null;
  const source = step.step?.kind === 'manual' ? step.step : undefined;
  const instructions = await renderInstructions(rt, step, source?.manual.instructions, `${source?.pointer}/manual/instructions`);
  if (instructions.failed) return instructions.failed;
  if (h.status !== 'waiting') deadline = await announce(rt, step, 'manual', { principals: principals ?? [], quorum: 1, timeoutMs, escalated: false }, instructions.text);
  if (rt.autoApprove) {
    await rt.record([
      { type: 'manual.done', data: { stepId: step.id, by: AUTO_APPROVER, simulated: true } },
      { type: 'step.succeeded', data: { stepId: step.id, attempt: 1, output: { doneBy: AUTO_APPROVER, simulated: true } } },
    ]);
    return { status: 'ok' };
  }
  {
    for (;;) {
      const s = rt.history.step(step.id);
      if (s.doneBy) {
        await rt.record([{ type: 'step.succeeded', data: { stepId: step.id, attempt: 1, output: { doneBy: s.doneBy } } }]);
        return { status: 'ok' };
      }
      if (deadline !== null && rt.clock.now() >= deadline) {
        const error = `manual step "${step.id}" was not marked done within ${formatDuration(timeoutMs ?? 0)}`;
        await rt.record([{ type: 'step.failed', data: { stepId: step.id, attempt: 1, error, final: true } }]);
        return { status: 'abort', failedStep: step.id, error };
      }
      if (signal.aborted) return { status: 'abort', failedStep: step.id, error: 'cancelled' };
      if (await abandonedByAbort(rt, step)) return { status: 'abort' };
      await nextDecisionOrDeadline(rt, deadline, signal);
    }
  }
}

async function announce(rt: RunRuntime, step: ExecStep, kind: 'gate' | 'manual', round: Round, instructions: string | undefined): Promise<number | null> {
  // Recorded at the time the deadline is counted from: a replay checks the deadline against the
  // record's own time and the plan's timeout (engine/run/replay-decisions.ts).
  const now = rt.clock.now();
  const deadline = round.timeoutMs === undefined ? null : now + round.timeoutMs;
  await rt.record(
    [{ type: 'step.waiting', data: { stepId: step.id, kind, deadline, principals: round.principals, quorum: round.quorum, ...(instructions === undefined ? {} : { instructions }) } }],
    now,
  );
  return deadline;
}

/**
 * People act on the instructions as rendered, so they are rendered (strictly) when the wait
 * starts; one that cannot render fails the step, exactly like a templated action input.
 */
async function renderInstructions(rt: RunRuntime, step: ExecStep, template: string | undefined, pointer: string): Promise<{ text?: string; failed?: NodeOutcome }> {
  if (template === undefined) return {};
  try {
    return { text: rt.renderer.renderString(template, templateContext(rt, step), pointer) };
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    const message = `${rt.where(error.pointer)}: ${error.message}`;
    await rt.record([{ type: 'step.failed', data: { stepId: step.id, attempt: 1, error: message, final: true } }]);
    return { failed: { status: 'abort', failedStep: step.id, error: message } };
  }
}

/**
 * Wakes on the next journal record or at the deadline, whichever comes first. Only this wait
 * counts as waiting for people: deciding and journaling around it are work.
 */
async function nextDecisionOrDeadline(rt: RunRuntime, deadline: number | null, signal: AbortSignal): Promise<void> {
  const end = rt.activity.waitForPerson();
  try {
    await wakeOnRecordOrDeadline(rt, deadline, signal);
  } finally {
    end();
  }
}

async function wakeOnRecordOrDeadline(rt: RunRuntime, deadline: number | null, signal: AbortSignal): Promise<void> {
  const stop = new AbortController();
  const both = AbortSignal.any([signal, stop.signal]);
  const waits: Promise<unknown>[] = [rt.signals.next(both)];
  if (deadline !== null) waits.push(rt.clock.sleep(Math.max(0, deadline - rt.clock.now()), both).catch(() => undefined));
  await Promise.race(waits);
  stop.abort();
}

function distinctApprovers(approvals: { by: string }[], allowed: string[]): string[] {
  const allowedSet = new Set(allowed);
  return [...new Set(approvals.map((a) => a.by))].filter((by) => allowedSet.has(by));
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
