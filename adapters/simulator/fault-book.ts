import type { SimulatorFault } from './declaration.js';

/** A fault that fires on this attempt. */
export interface InjectedFault {
  message: string;
  /** Which of the fault's failures this is, 1-based. */
  failure: number;
  times: number;
}

/** Counts down the configured faults of one simulator instance. */
export interface FaultBook {
  /**
   * The fault this attempt of `operation` (in step `stepId`, on `vm`) must fail with, if any.
   * Each matching attempt uses up one failure of the first matching fault that has some left.
   */
  take(operation: string, stepId: string, vm: string | undefined): InjectedFault | undefined;
}

/**
 * The faults of `config.faults`, each failing `times` matching attempts (default 1) and then
 * letting them succeed. A fault without `vm` matches every VM and shares its count among them: a
 * fault is "failover fails twice", not "failover fails twice on every VM" (name the VM for that).
 * `step` matches the step id or any id under it, so `step: database` catches the VM operations of
 * group `database` (`database/pg-1/failover`) and `step: smoke` the `forEach` steps `smoke/<vm>`.
 *
 * @example
 * ```ts
 * const book = createFaultBook([{ operation: 'failover', vm: 'pg-1', times: 2 }]);
 * book.take('failover', 'database/pg-1/failover', 'pg-1'); // { failure: 1, times: 2, ... }
 * ```
 */
export function createFaultBook(faults: readonly SimulatorFault[]): FaultBook {
  const entries = faults.map((fault) => ({ fault, times: fault.times ?? 1, used: 0 }));
  return {
    take(operation, stepId, vm) {
      const entry = entries.find(
        ({ fault, times, used }) =>
          used < times &&
          fault.operation === operation &&
          (fault.vm === undefined || fault.vm === vm) &&
          (fault.step === undefined || stepId === fault.step || stepId.startsWith(`${fault.step}/`)),
      );
      if (!entry) return undefined;
      entry.used++;
      return {
        message: entry.fault.error ?? defaultMessage(operation, vm, entry.used, entry.times),
        failure: entry.used,
        times: entry.times,
      };
    },
  };
}

function defaultMessage(operation: string, vm: string | undefined, failure: number, times: number): string {
  const target = vm === undefined ? operation : `${operation} on ${vm}`;
  return `${target} failed: injected fault (${failure} of ${times})`;
}
