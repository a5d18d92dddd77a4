import { httpCall } from '../../adapters/http/http-call.js';
import type { AdapterLogger, Clock } from '../../adapters/types.js';
import type { ExecutionPlan } from '../model/execution.js';
import type { JournalRecord } from '../store/journal.js';

export interface WaitingNotifier {
  onRecord(record: JournalRecord): void;
  /** Resolves when every notification sent so far has finished (sent or failed). */
  settle(): Promise<void>;
}

/**
 * Tells people that a gate or manual step waits on them: POSTs to `spec.notifications.webhook`
 * with the step, its rendered instructions, who may act and the approval link. A failed
 * notification is logged, never fails the run: the run must not depend on a chat service.
 */
export function createWaitingNotifier(exec: ExecutionPlan, runId: string, options: { clock: Clock; logger: AdapterLogger; env: Readonly<Record<string, string | undefined>>; dryRun: boolean }): WaitingNotifier {
  const webhook = exec.plan.notifications?.webhook;
  const pending = new Set<Promise<void>>();
  return {
    onRecord(record) {
      if (record.type !== 'step.waiting' || record.data.kind === 'pause' || !webhook) return;
      const data = record.data;
      const base = exec.plan.notifications?.approvalUrl?.replace(/\/$/, '');
      const payload = {
        event: 'drplan.waiting',
        runId,
        plan: exec.plan.name,
        mode: exec.mode,
        step: data.stepId,
        kind: data.kind,
        instructions: data.instructions ?? null,
        principals: data.principals,
        quorum: data.quorum ?? 1,
        deadline: data.deadline === null ? null : new Date(data.deadline).toISOString(),
        approvalUrl: base ? `${base}/runs/${encodeURIComponent(runId)}` : null,
        commands: data.kind === 'gate' ? [`drplan approve ${runId} ${data.stepId}`, `drplan reject ${runId} ${data.stepId} --comment "..."`] : [`drplan done ${runId} ${data.stepId}`],
      };
      if (options.dryRun) {
        options.logger.info({ runId, stepId: data.stepId, url: webhook.url }, 'notification not sent: dry-run');
        return;
      }
      const sent = httpCall({ retries: { attempts: 3, backoff: '1s' }, ...(webhook.timeout ? { timeout: webhook.timeout } : {}) }, { method: 'POST', url: webhook.url, ...(webhook.headers ? { headers: webhook.headers } : {}), body: payload }, { env: options.env, clock: options.clock, signal: new AbortController().signal })
        .then((out) => options.logger.info({ runId, stepId: data.stepId, status: out.status }, 'notification sent'))
        .catch((error: unknown) => options.logger.warn({ runId, stepId: data.stepId, error: error instanceof Error ? error.message : String(error) }, 'notification failed'))
        .finally(() => pending.delete(sent));
      pending.add(sent);
    },
    async settle() {
      await Promise.allSettled([...pending]);
    },
  };
}
