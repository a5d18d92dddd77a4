import type { Adapter } from '../types.js';
import { simulatorDeclaration, type SimulatorConfig } from './declaration.js';
import { openSimulator } from './open-simulator.js';

/**
 * The simulator adapter (`type: simulator`, SPEC §4): the site operations plus every operation
 * in `config.operations`, in simulated time, with seeded durations and injected faults. Vendor
 * plans use it until a real adapter exists, and `drplan run --dry-run` puts it in place of every
 * adapter instance (see `simulatorConfigFor`).
 *
 * @example
 * ```ts
 * const site = await simulatorAdapter.open({ seed: 7, operations: { setAlias: {} } }, env);
 * const { recoveryPoint } = await site.call('failover', { vm: { name: 'pg-1' }, recoveryPoint: 'latest' }, ctx);
 * ```
 */
export const simulatorAdapter: Adapter<SimulatorConfig> = {
  ...simulatorDeclaration,
  open: openSimulator,
};

export { simulatorDeclaration, SITE_OPERATION_DECLARATIONS } from './declaration.js';
export type { SimulatorConfig, SimulatorFault, SimulatedOperationConfig } from './declaration.js';
export { openSimulator } from './open-simulator.js';
export { parseFaultOption, type ParsedFaultOption } from './parse-fault-option.js';
export { simulatorConfigFor } from './stand-in-config.js';
export { placeholderOutput } from './placeholder-output.js';
export { resolveRecoveryPoint, APP_CONSISTENT_EXTRA_MS, type RecoveryOutcome } from './recovery-point.js';
