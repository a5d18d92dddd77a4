import type { ExecStep } from '../model/execution.js';

/**
 * What holds one slot of a group's concurrency: a single step, or one VM's pipeline of
 * operations in a phase (`failover` then `start` on the same VM keep the slot between them).
 */
export interface SchedulingUnit {
  steps: ExecStep[];
  /** What the first step waits for. */
  after: string[];
  pool: string | null;
  durationMs: number;
  /** Position in the resolved order: the tie-breaker that keeps scheduling deterministic. */
  order: number;
}

export function schedulingUnits(steps: readonly ExecStep[]): SchedulingUnit[] {
  const units: SchedulingUnit[] = [];
  let last: SchedulingUnit | null = null;
  for (const step of steps) {
    // The resolver emits a VM's operations of one phase back to back: extend the unit in hand.
    const previous = last?.steps[last.steps.length - 1];
    if (last && step.kind === 'vm' && previous?.kind === 'vm' && previous.vm === step.vm && previous.group === step.group && previous.phase === step.phase) {
      last.steps.push(step);
      last.durationMs += step.estimateMs;
      continue;
    }
    last = { steps: [step], after: step.after, pool: step.pool, durationMs: step.estimateMs, order: units.length };
    units.push(last);
  }
  return units;
}
