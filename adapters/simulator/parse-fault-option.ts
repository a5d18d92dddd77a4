import type { SimulatorFault } from './declaration.js';

/** A parsed `--fault`: the fault, and the adapter instance it names, if any. */
export type ParsedFaultOption =
  | { ok: true; fault: SimulatorFault; instance?: string }
  | { ok: false; message: string };

const INSTANCE = /^[A-Za-z][A-Za-z0-9_-]*$/;
const OPERATION = /^[A-Za-z][A-Za-z0-9_]*$/;
const VM = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const TIMES = /^\d+$/;
const SYNTAX = 'expected [instance.]operation[:vm][:times], e.g. failover, failover:pg-1, failover:pg-1:2 or site.failover:3';

/**
 * Parses the CLI's `--fault [instance.]operation[:vm][:times]` into a simulator fault. Bad
 * syntax is a result, not an exception, so the CLI can print it like any other usage error.
 *
 * A lone number after the operation is a count (`failover:2` fails failover twice on whichever
 * VMs come first), so a VM whose name is all digits needs the count too (`failover:42:1`);
 * `failover::2` leaves the VM out explicitly. `instance.` limits the fault to one adapter instance
 * of a dry-run; without it the fault applies to every instance that has the operation.
 *
 * @example
 * ```ts
 * parseFaultOption('site.failover:pg-1:2');
 * // { ok: true, instance: 'site', fault: { operation: 'failover', vm: 'pg-1', times: 2 } }
 * parseFaultOption('failover:pg-1:0');
 * // { ok: false, message: '--fault "failover:pg-1:0": times must be a whole number from 1, got "0"' }
 * ```
 */
export function parseFaultOption(text: string): ParsedFaultOption {
  const fail = (why: string): ParsedFaultOption => ({ ok: false, message: `--fault "${text}": ${why}` });
  const parts = text.trim().split(':');
  if (parts.length > 3) return fail(`too many ":"-separated parts; ${SYNTAX}`);
  const [target = '', second, third] = parts;
  if (target === '') return fail(`the operation is missing; ${SYNTAX}`);

  const dot = target.indexOf('.');
  const instance = dot === -1 ? undefined : target.slice(0, dot);
  const operation = dot === -1 ? target : target.slice(dot + 1);
  if (instance !== undefined && !INSTANCE.test(instance)) {
    return fail(`"${instance}" is not an adapter instance name (letters, digits, "_" and "-", starting with a letter)`);
  }
  if (!OPERATION.test(operation)) {
    return fail(`"${operation}" is not an operation name (letters, digits and "_", starting with a letter); ${SYNTAX}`);
  }

  let vm: string | undefined;
  let times: string | undefined;
  if (third !== undefined) {
    vm = second === '' ? undefined : second;
    times = third;
  } else if (second !== undefined && TIMES.test(second)) {
    times = second;
  } else {
    vm = second;
  }
  if (vm === '') return fail(`the VM after ":" is empty; ${SYNTAX}`);
  if (vm !== undefined && !VM.test(vm)) {
    return fail(`"${vm}" is not a VM name (letters, digits, ".", "_" and "-", starting with a letter or digit)`);
  }
  const fault: SimulatorFault = { operation };
  if (vm !== undefined) fault.vm = vm;
  if (times !== undefined) {
    const count = TIMES.test(times) ? Number(times) : Number.NaN;
    if (!Number.isSafeInteger(count) || count < 1) return fail(`times must be a whole number from 1, got "${times}"`);
    fault.times = count;
  }
  return instance === undefined ? { ok: true, fault } : { ok: true, fault, instance };
}
