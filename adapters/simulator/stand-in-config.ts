import type { JsonObject, OperationDeclaration } from '../types.js';
import { SITE_OPERATION_DECLARATIONS, type SimulatedOperationConfig, type SimulatorConfig } from './declaration.js';
import { placeholderOutput } from './placeholder-output.js';

/**
 * The simulator config with which a simulator instance stands in for any other adapter instance
 * in `drplan run --dry-run` (SPEC §3): the same operation names, `with` schemas and idempotency,
 * durations from `estimatesMs` (by operation name; e.g. the plan's step estimates) or else the
 * operation's declared `estimateMs`, and outputs synthesised from each declared output schema so
 * that templates reading them still render. Site operations keep the simulator's own outputs
 * (recovery point, data-loss window, …); placeholders only fill the keys those lack.
 *
 * @example
 * ```ts
 * const config = simulatorConfigFor(pgAdapter.operations(pgConfig), { promote: 45_000 }, 7);
 * const instance = await simulatorAdapter.open(config, env);
 * ```
 */
export function simulatorConfigFor(
  operations: Record<string, OperationDeclaration>,
  estimatesMs: Record<string, number>,
  seed: number,
): SimulatorConfig {
  const simulated: Record<string, SimulatedOperationConfig> = {};
  for (const [name, declaration] of Object.entries(operations)) {
    const config: SimulatedOperationConfig = {
      description: declaration.description,
      idempotent: declaration.idempotent,
      with: declaration.with,
    };
    const estimateMs = Object.hasOwn(estimatesMs, name) ? estimatesMs[name] : declaration.estimateMs;
    if (estimateMs !== undefined && Number.isFinite(estimateMs)) config.estimate = `${Math.max(0, Math.round(estimateMs))}ms`;
    const output = withoutSimulatedKeys(name, placeholderOutput(declaration.output));
    if (Object.keys(output).length > 0) config.output = output;
    simulated[name] = config;
  }
  return { seed, operations: simulated };
}

/** Drops the placeholder keys a site operation's simulation produces for real. */
function withoutSimulatedKeys(operation: string, output: JsonObject): JsonObject {
  const site = (SITE_OPERATION_DECLARATIONS as Record<string, OperationDeclaration | undefined>)[operation];
  const simulatedKeys = Object.keys((site?.output?.properties as object | undefined) ?? {});
  return Object.fromEntries(Object.entries(output).filter(([key]) => !simulatedKeys.includes(key)));
}
