// What the best possible run of a runbook takes, from its durations, concurrency and DAG alone:
// no process start-up, no bookkeeping. The benchmark divides each program's wall time by
// `lowerBound`; the other figures tell how much of a gap is scheduling and how much overhead.
//
// Each group has a pool of its own (its concurrency), and groups only wait for the groups they
// depend on, so a group's span never depends on what other groups do: the whole runbook takes
// the longest path through the DAG, each group weighted by its own span.

import { groupsInOrder } from './runbook.js';

/**
 * A lower bound on one group's span (P||Cmax): no schedule of `durations` on `slots` slots
 * finishes before the longest job, before the total work spread evenly over the slots, or
 * before the (slots)th and (slots+1)th longest jobs run one after the other (two of the
 * slots+1 longest must share a slot).
 *
 * @param {number[]} durations
 * @param {number} slots
 */
export function groupLowerBound(durations, slots) {
  if (durations.length === 0) return 0;
  const sorted = [...durations].sort((a, b) => b - a);
  const sum = sorted.reduce((a, b) => a + b, 0);
  const pair = sorted.length > slots ? sorted[slots - 1] + sorted[slots] : 0;
  return Math.max(sorted[0], sum / slots, pair);
}

/**
 * The span of a greedy list schedule: jobs start in the given order, each on the first slot to
 * free up. This is what `xargs -P`, Ansible's forks and drplan's pool do with zero overhead.
 *
 * @param {number[]} durations
 * @param {number} slots
 */
export function listScheduleSpan(durations, slots) {
  const free = new Array(Math.min(slots, Math.max(1, durations.length))).fill(0);
  let span = 0;
  for (const d of durations) {
    let best = 0;
    for (let i = 1; i < free.length; i++) if (free[i] < free[best]) best = i;
    free[best] += d;
    span = Math.max(span, free[best]);
  }
  return durations.length === 0 ? 0 : span;
}

/** The span of the longest-processing-time-first list schedule (within 4/3 of the optimum). */
export function lptSpan(durations, slots) {
  return listScheduleSpan([...durations].sort((a, b) => b - a), slots);
}

/**
 * The runbook's span when each group takes `spanOf(group)`: the longest path through the DAG.
 * With `sequential`, the groups run one after the other in dependency order, as Ansible's plays do.
 *
 * @param {import('./runbook.js').Runbook} runbook
 * @param {(group: import('./runbook.js').RunbookGroup) => number} spanOf
 * @param {{ sequential?: boolean }} [options]
 */
export function runbookSpan(runbook, spanOf, options = {}) {
  const ordered = groupsInOrder(runbook);
  if (options.sequential) return ordered.reduce((sum, g) => sum + spanOf(g), 0);
  const finish = new Map();
  for (const g of ordered) {
    const start = Math.max(0, ...g.dependsOn.map((d) => finish.get(d) ?? 0));
    finish.set(g.id, start + spanOf(g));
  }
  return Math.max(0, ...finish.values());
}

/**
 * The reference figures for one runbook, in ms:
 * - `lowerBound`: no schedule can be faster (the ratio's denominator);
 * - `documentOrder`: a perfect list scheduler taking steps in the runbook's order (what all three
 *   programs do: none of them knows a step's duration before it runs);
 * - `longestFirst`: a perfect scheduler that knew every duration (LPT in each group);
 * - `sequentialGroups`: `documentOrder` with the groups one after the other (Ansible's plays);
 * - `work`: the sum of all durations (one slot, one group at a time).
 *
 * @param {import('./runbook.js').Runbook} runbook
 */
export function idealSchedule(runbook) {
  const durations = (g) => g.steps.map((s) => s.ms);
  return {
    lowerBound: runbookSpan(runbook, (g) => groupLowerBound(durations(g), g.concurrency)),
    documentOrder: runbookSpan(runbook, (g) => listScheduleSpan(durations(g), g.concurrency)),
    longestFirst: runbookSpan(runbook, (g) => lptSpan(durations(g), g.concurrency)),
    sequentialGroups: runbookSpan(runbook, (g) => listScheduleSpan(durations(g), g.concurrency), { sequential: true }),
    work: runbook.groups.reduce((sum, g) => sum + durations(g).reduce((a, b) => a + b, 0), 0),
  };
}
