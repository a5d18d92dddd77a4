import type { AdapterEnvironment, AdapterLogger, Clock, OperationContext } from '../../../../adapters/types.js';
import { SimulatedClock } from '../../../../engine/run/simulated-clock.js';

export const START = Date.parse('2024-05-01T08:00:00.000Z');

export const silentLogger: AdapterLogger = { info() {}, warn() {}, error() {}, debug() {} };

/** An environment for opening a simulator instance in tests. */
export function environment(clock: Clock, instance = 'site'): AdapterEnvironment {
  return { instance, planDir: '.', clock, random: Math.random, logger: silentLogger, env: {} };
}

/** A context for one call; `stepId` defaults to the VM operation id the engine would use. */
export function context(
  clock: Clock,
  overrides: Partial<OperationContext> & { vmName?: string; operation?: string } = {},
): OperationContext {
  const { vmName, operation = 'op', ...rest } = overrides;
  const stepId = rest.stepId ?? (vmName ? `database/${vmName}/${operation}` : operation);
  const attempt = rest.attempt ?? 1;
  return {
    runId: 'run-1',
    stepId,
    attempt,
    idempotencyKey: `run-1:${stepId}:${attempt}`,
    signal: new AbortController().signal,
    logger: silentLogger,
    clock,
    mode: 'planned',
    ...(vmName ? { vm: { name: vmName } } : {}),
    ...rest,
  };
}

export function simulatedClock(): SimulatedClock {
  return new SimulatedClock(START);
}
