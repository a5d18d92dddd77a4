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
  const pipelines = new Map<string, SchedulingUnit>();
  for (const step of steps) {
    if (step.kind === 'vm') {
      const key = `${step.phase}\u0000${step.group}\u0000${step.vm}`;
      const unit = pipelines.get(key);
      if (unit) {
        unit.steps.push(step);
        unit.durationMs += step.estimateMs;
        continue;
      }
      const created: SchedulingUnit = { steps: [step], after: step.after, pool: step.pool, durationMs: step.estimateMs, order: units.length };
      pipelines.set(key, created);
      units.push(created);
    } else {
      units.push({ steps: [step], after: step.after, pool: step.pool, durationMs: step.estimateMs, order: units.length });
    }
  }
  return units;
}
