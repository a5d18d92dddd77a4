import type { SimulatorFault } from '../../adapters/simulator/index.js';
import type { ExecStep, ExecutionPlan } from '../model/execution.js';
import { formatDidYouMean, quoteNames } from '../model/did-you-mean.js';
import { RUN_STEP_INSTANCE } from './open-adapters.js';

/** A `--fault` as given and as parsed. */
export interface FaultOption {
  text: string;
  fault: SimulatorFault;
  instance?: string;
}

/** Why a `--fault` can never fire in this run, and what would. */
export interface FaultProblem {
  text: string;
  message: string;
  hint: string;
}

/** One simulated call the run will make: where a fault can land. */
interface Target {
  instance: string;
  operation: string;
  /** The VM the call acts on; null when none; `ANY_VM` when only known at run time (a templated `with.vm`). */
  vm: string | null;
}

const ANY_VM = '\u0000any';

/**
 * Checks each `--fault` against the run it is meant for, before anything runs: a fault that names
 * an instance, operation or VM no simulated step of this mode calls would never fire, and the
 * rehearsal would "succeed" having proved nothing. Faults land only on simulators: in a dry-run
 * every instance and the `run` steps (instance `run`, operation `exec`); in a real run only the
 * instances declared `type: simulator` (see open-adapters.ts). Pure.
 *
 * @example
 * ```ts
 * checkFaultOptions(exec, [{ text: 'failover:pg-9', fault: { operation: 'failover', vm: 'pg-9' } }], true);
 * // [{ text: 'failover:pg-9', message: 'no step of mode planned calls failover on VM "pg-9"',
 * //    hint: 'did you mean "pg-1"? failover runs on the VMs: "pg-1", "pg-2"' }]
 * ```
 */
export function checkFaultOptions(exec: ExecutionPlan, faults: readonly FaultOption[], dryRun: boolean): FaultProblem[] {
  const targets = faultTargets(exec, dryRun);
  // What a dry-run of the same plan and mode would simulate: to point a real run's mistake there.
  const dryTargets = dryRun ? targets : faultTargets(exec, true);
  const problems: FaultProblem[] = [];
  for (const option of faults) {
    const problem = checkOne(exec, targets, dryTargets, option, dryRun);
    if (problem) problems.push({ text: option.text, ...problem });
  }
  return problems;
}

function checkOne(exec: ExecutionPlan, targets: readonly Target[], dryTargets: readonly Target[], { fault, instance }: FaultOption, dryRun: boolean): Omit<FaultProblem, 'text'> | undefined {
  // Said only when a dry-run would take the fault: --dry-run is no cure for a misspelt name.
  const orDryRun = (wouldHit: (t: Target) => boolean) => (!dryRun && dryTargets.some(wouldHit) ? '; or add --dry-run to rehearse the plan with every adapter simulated' : '');
  if (targets.length === 0) {
    return {
      message: dryRun ? `no step of mode ${exec.mode} calls an adapter or runs a command, so there is nothing for a fault to fail` : `a real run injects faults only into instances of \`type: simulator\`, and no step of mode ${exec.mode} calls one`,
      hint: dryRun ? `\`drplan plan <file> --mode ${exec.mode}\` lists the steps` : 'add --dry-run to rehearse the plan with every adapter simulated',
    };
  }

  let inInstance = targets;
  if (instance !== undefined) {
    inInstance = targets.filter((t) => t.instance === instance);
    if (inInstance.length === 0) {
      const instances = unique(targets.map((t) => t.instance));
      const declared = exec.plan.adapters[instance];
      const message =
        declared && !dryRun && declared.type !== 'simulator'
          ? `instance "${instance}" is a ${declared.type} adapter, not a simulator: a real run calls it for real and injects no faults into it`
          : instance === RUN_STEP_INSTANCE && !dryRun
            ? 'a real run runs the commands of `run` steps for real and injects no faults into them'
            : `no step of mode ${exec.mode} calls a simulated instance "${instance}"`;
      return { message, hint: hintFor(instance, instances, 'simulated instances this run calls') + orDryRun((t) => t.instance === instance) };
    }
  }

  const onOperation = inInstance.filter((t) => t.operation === fault.operation);
  if (onOperation.length === 0) {
    const operations = unique(inInstance.map((t) => t.operation));
    const where = instance === undefined ? 'a simulated instance' : `instance "${instance}"`;
    return {
      message: `no step of mode ${exec.mode} calls operation "${fault.operation}" on ${where}`,
      hint:
        hintFor(fault.operation, operations, `operations this run calls on ${instance === undefined ? 'simulated instances' : `"${instance}"`}`) +
        orDryRun((t) => t.operation === fault.operation && (instance === undefined || t.instance === instance)),
    };
  }

  if (fault.vm !== undefined && !onOperation.some((t) => t.vm === fault.vm || t.vm === ANY_VM)) {
    const vms = unique(onOperation.flatMap((t) => (t.vm === null ? [] : [t.vm])));
    if (vms.length === 0) {
      return { message: `operation "${fault.operation}" is called on no VM in this run, so no call is on VM "${fault.vm}"`, hint: `leave the VM out: --fault ${instance === undefined ? '' : `${instance}.`}${fault.operation}` };
    }
    return {
      message: `no step of mode ${exec.mode} calls ${fault.operation} on VM "${fault.vm}"`,
      hint: hintFor(fault.vm, vms, `${fault.operation} runs on the VMs`),
    };
  }
  return undefined;
}

/** `did you mean "x"?`, always followed by every valid value (`label: "a", "b"`). */
function hintFor(input: string, candidates: readonly string[], label: string): string {
  const guess = formatDidYouMean(input, candidates);
  const all = `${label}: ${quoteNames(candidates)}`;
  return guess ? `${guess} ${all}` : all;
}

/** Every simulated call of the run: steps of this mode (onFailure included) on simulated instances. */
function faultTargets(exec: ExecutionPlan, dryRun: boolean): Target[] {
  const targets: Target[] = [];
  for (const step of [...exec.steps, ...exec.onFailure]) {
    if (step.skipped) continue;
    if (step.kind === 'run') {
      if (dryRun) targets.push({ instance: RUN_STEP_INSTANCE, operation: 'exec', vm: step.vm });
      continue;
    }
    if (step.adapter === null || step.operation === null) continue; // gates, manual steps
    const simulated = dryRun || exec.plan.adapters[step.adapter]?.type === 'simulator';
    if (simulated) targets.push({ instance: step.adapter, operation: step.operation, vm: vmOfCall(step) });
  }
  return targets;
}

/** The VM name the simulator will see for this call (site-outputs.ts `vmNameOf`). */
function vmOfCall(step: ExecStep): string | null {
  if (step.vm !== null) return step.vm;
  const given = step.step?.kind === 'action' ? step.step.with.vm : undefined;
  if (given === undefined) return null;
  if (typeof given === 'string') return given.includes('{{') ? ANY_VM : given;
  if (given !== null && typeof given === 'object' && !Array.isArray(given)) {
    const name = given.name;
    if (typeof name === 'string') return name.includes('{{') ? ANY_VM : name;
  }
  return ANY_VM;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
