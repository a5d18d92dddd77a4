import type { CriticalPath, ExecStep } from '../model/execution.js';
import { BinaryHeap } from './binary-heap.js';
import { schedulingUnits, type SchedulingUnit } from './scheduling-units.js';

export interface EstimatedSchedule {
  /** Expected end of the whole run, in ms from its start. */
  makespanMs: number;
  criticalPath: CriticalPath;
}

/**
 * Plays the run forward on estimates with the runner's own policy — a step starts when all it
 * waits for is done and, for pooled work, a slot of its group's concurrency is free, longest
 * estimate first — and traces the chain of waits that decides the end: the critical path.
 */
export function scheduleByEstimates(steps: readonly ExecStep[], pools: Record<string, number>): EstimatedSchedule {
  const units = schedulingUnits(steps);
  const unitOf = new Map<string, SchedulingUnit>();
  for (const u of units) for (const s of u.steps) unitOf.set(s.id, u);

  // Phase and group boundaries make every step of one side wait for every step of the other
  // (all shutdowns before any sync, say). The resolver hands such fan-ins over as one shared
  // `after` array, so each distinct array becomes one barrier here: linear, not n².
  interface Barrier {
    waiting: number;
    units: SchedulingUnit[];
  }
  const waiting = new Map<SchedulingUnit, number>();
  const barrierOf = new Map<readonly string[], Barrier>();
  const feeds = new Map<SchedulingUnit, Barrier[]>();
  for (const u of units) {
    if (u.after.length === 0) {
      waiting.set(u, 0);
      continue;
    }
    waiting.set(u, 1);
    let barrier = barrierOf.get(u.after);
    if (!barrier) {
      const deps = new Set(u.after.map((id) => unitOf.get(id)).filter((d): d is SchedulingUnit => d !== undefined && d !== u));
      barrier = { waiting: deps.size, units: [] };
      barrierOf.set(u.after, barrier);
      for (const d of deps) {
        const list = feeds.get(d);
        if (list) list.push(barrier);
        else feeds.set(d, [barrier]);
      }
    }
    barrier.units.push(u);
  }
  // Barriers with nothing to wait for (dependencies outside this schedule) are open from the start.
  for (const barrier of barrierOf.values()) if (barrier.waiting === 0) for (const u of barrier.units) waiting.set(u, 0);
  const release = (done: SchedulingUnit): SchedulingUnit[] => {
    const ready: SchedulingUnit[] = [];
    for (const barrier of feeds.get(done) ?? []) {
      // Not push(...units): a barrier can hold every VM of a 200,000-VM group, past the argument limit.
      if (--barrier.waiting === 0) for (const u of barrier.units) ready.push(u);
    }
    return ready;
  };
  const start = new Map<SchedulingUnit, number>();
  const finish = new Map<SchedulingUnit, number>();
  const cause = new Map<SchedulingUnit, SchedulingUnit | null>();
  const readyAt = new Map<SchedulingUnit, { time: number; by: SchedulingUnit | null }>();
  const free = new Map(Object.entries(pools).map(([p, n]) => [p, Math.max(1, n)]));
  const queues = new Map<string, BinaryHeap<SchedulingUnit>>();
  const running = new BinaryHeap<SchedulingUnit>((a, b) => finish.get(a)! < finish.get(b)! || (finish.get(a) === finish.get(b) && a.order < b.order));
  const lastRelease = new Map<string, SchedulingUnit>();

  const begin = (u: SchedulingUnit, time: number, by: SchedulingUnit | null) => {
    start.set(u, time);
    finish.set(u, time + u.durationMs);
    cause.set(u, by);
    running.push(u);
  };
  const offer = (u: SchedulingUnit) => {
    const ready = readyAt.get(u)!;
    if (u.pool === null) return begin(u, ready.time, ready.by);
    let queue = queues.get(u.pool);
    if (!queue) queues.set(u.pool, (queue = new BinaryHeap((a, b) => a.durationMs > b.durationMs || (a.durationMs === b.durationMs && a.order < b.order))));
    queue.push(u);
  };
  const fill = (pool: string, time: number) => {
    const queue = queues.get(pool);
    while (queue && queue.size > 0 && (free.get(pool) ?? 1) > 0) {
      const u = queue.pop()!;
      free.set(pool, (free.get(pool) ?? 1) - 1);
      const ready = readyAt.get(u)!;
      // Started later than it was ready: the slot, not a dependency, decided its start.
      begin(u, time, time > ready.time ? lastRelease.get(pool) ?? ready.by : ready.by);
    }
  };

  for (const u of units) {
    if (waiting.get(u) === 0) {
      readyAt.set(u, { time: 0, by: null });
      offer(u);
    }
  }
  for (const pool of queues.keys()) fill(pool, 0);

  while (running.size > 0) {
    const done = running.pop()!;
    const now = finish.get(done)!;
    const touched = new Set<string>();
    if (done.pool !== null) {
      free.set(done.pool, (free.get(done.pool) ?? 0) + 1);
      lastRelease.set(done.pool, done);
      touched.add(done.pool);
    }
    for (const next of release(done)) {
      waiting.set(next, 0);
      readyAt.set(next, { time: now, by: done });
      offer(next);
      if (next.pool !== null) touched.add(next.pool);
    }
    for (const pool of touched) fill(pool, now);
  }

  let end: SchedulingUnit | null = null;
  for (const u of units) if (end === null || finish.get(u)! > finish.get(end)!) end = u;
  // Walk back from the last unit to finish, then read the chain forwards (unshift would be n²).
  const chain: SchedulingUnit[] = [];
  for (let u = end; u; u = cause.get(u) ?? null) chain.push(u);
  const path = chain.reverse().flatMap((u) => u.steps.map((s) => s.id));

  const makespanMs = end ? finish.get(end)! : 0;
  return { makespanMs, criticalPath: { steps: path, estimateMs: makespanMs } };
}
