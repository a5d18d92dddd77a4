// Where a drplan run's time went, read off its journal: start-up before the first record, each
// group's site operations (the 0 ms simulator calls every VM gets) and its steps, against the
// ideal span of those steps (longest first: the plan estimates each step at its duration, and
// drplan starts the longest first), and the exit after the last record. Journal times are wall-clock
// ms taken when each record was appended (before its fsync).

import { lptSpan } from './schedule.js';

/**
 * @param {string} journalText the run's journal.jsonl
 * @param {import('./runbook.js').Runbook} runbook
 * @param {{ startedAt: number, wallMs: number }} measured when the process was spawned (Date.now) and how long it ran
 */
export function explainDrplanRun(journalText, runbook, measured) {
  const records = journalText
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  const first = records[0];
  const last = records.at(-1);
  const groups = runbook.groups.map((g) => {
    const siteOps = records.filter((r) => r.type.startsWith('step.') && r.data.stepId.startsWith(`${g.id}/`));
    const steps = records.filter((r) => r.type.startsWith('step.') && r.data.stepId.startsWith(`${g.id}-steps/`));
    const span = (list) => (list.length === 0 ? 0 : list.at(-1).time - list[0].time);
    const ideal = lptSpan(
      g.steps.map((s) => s.ms),
      g.concurrency,
    );
    const stepsSpan = span(steps);
    return {
      group: g.id,
      siteOpsMs: span(siteOps),
      stepsMs: stepsSpan,
      idealStepsMs: ideal,
      // Each slot runs steps/concurrency steps one after the other: the gap spread over them.
      overheadPerStepMs: (stepsSpan - ideal) / Math.ceil(g.steps.length / g.concurrency),
    };
  });
  const succeeded = records.filter((r) => r.type === 'step.succeeded' && r.data.stepId.includes('-steps/'));
  // Per step: from its step.started record to its step.succeeded record, less the sleep itself —
  // the started record's fsync, the spawn, the exit and output handling.
  const startedAt = new Map(records.filter((r) => r.type === 'step.started').map((r) => [r.data.stepId, r.time]));
  const msOf = new Map(runbook.groups.flatMap((g) => g.steps.map((s) => [`${g.id}-steps/${s.id}`, s.ms])));
  const inStep = succeeded.map((r) => r.time - (startedAt.get(r.data.stepId) ?? r.time) - (msOf.get(r.data.stepId) ?? 0)).sort((a, b) => a - b);
  const at = (q) => (inStep.length === 0 ? null : inStep[Math.min(inStep.length - 1, Math.floor(q * inStep.length))]);
  return {
    records: records.length,
    stepsSucceeded: succeeded.length,
    inStepOverheadMs: { p50: at(0.5), p90: at(0.9), max: inStep.at(-1) ?? null },
    siteOpsMs: groups.reduce((sum, g) => sum + g.siteOpsMs, 0),
    stepsOverIdealMs: groups.reduce((sum, g) => sum + g.stepsMs - g.idealStepsMs, 0),
    startupMs: first ? first.time - measured.startedAt : null,
    runMs: first && last ? last.time - first.time : null,
    exitMs: last ? measured.startedAt + measured.wallMs - last.time : null,
    groups,
  };
}
