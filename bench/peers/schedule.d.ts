// Types of schedule.js, for the TypeScript tests (test/unit/bench/peers-*.test.ts).
import type { Runbook, RunbookGroup } from './runbook.js';

export function groupLowerBound(durations: number[], slots: number): number;
export function listScheduleSpan(durations: number[], slots: number): number;
export function lptSpan(durations: number[], slots: number): number;
export function runbookSpan(runbook: Runbook, spanOf: (group: RunbookGroup) => number, options?: { sequential?: boolean }): number;
export function idealSchedule(runbook: Runbook): {
  lowerBound: number;
  documentOrder: number;
  longestFirst: number;
  sequentialGroups: number;
  work: number;
};
