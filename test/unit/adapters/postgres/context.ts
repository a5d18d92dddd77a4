import { systemClock } from '../../../../engine/run/clock.js';
import type { AdapterLogger, OperationContext } from '../../../../adapters/types.js';

/** A real-time operation context for adapter unit tests, recording what the adapter logs. */
export function makeContext(overrides: Partial<OperationContext> = {}): OperationContext & { logs: string[] } {
  const logs: string[] = [];
  const logger: AdapterLogger = {
    info: (_f, m) => void logs.push(`info ${m}`),
    warn: (_f, m) => void logs.push(`warn ${m}`),
    error: (_f, m) => void logs.push(`error ${m}`),
    debug: (_f, m) => void logs.push(`debug ${m}`),
  };
  return {
    runId: 'run-1',
    stepId: 'step-1',
    attempt: 1,
    idempotencyKey: 'run-1:step-1:1',
    signal: new AbortController().signal,
    logger,
    clock: systemClock,
    mode: 'planned',
    logs,
    ...overrides,
  };
}
