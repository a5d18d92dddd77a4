import type { Phase } from '../model/execution.js';
import type { StepStatus } from '../run/run-history.js';
import { DEFAULT_MAX_VMS_PER_GROUP } from './graph-model.js';
import type { RunFacts, StepFacts } from './run-summary.js';

/**
 * The timeline both report charts draw (Mermaid gantt in Markdown, SVG in HTML): one bar per
 * step that ran, in sections per phase; the VM operations of a crowded group collapse into one
 * bar per group and operation, spanning the first start to the last finish, so a 200-VM group
 * stays one readable line.
 */

export type BarStatus = 'succeeded' | 'failed' | 'running' | 'waiting' | 'skipped' | 'cancelled';

export interface TimelineBar {
  label: string;
  /** The step ids the bar stands for (one, or a collapsed group's VMs). */
  steps: string[];
  start: number;
  end: number;
  status: BarStatus;
  /** Still running or waiting when the report was made: the bar ends at the report's "now". */
  open: boolean;
}

export interface TimelineSection {
  /** Phase title, or "steps" when the plan is unavailable and the phase cannot be told. */
  title: string;
  phase: Phase | null;
  bars: TimelineBar[];
}

export interface Timeline {
  start: number;
  end: number;
  sections: TimelineSection[];
  /** Groups whose VM operations were collapsed, with their VM counts. */
  collapsed: { group: string; vms: number }[];
}

export const PHASE_LABELS: Record<Phase, string> = {
  prechecks: 'prechecks',
  shutdown: 'shutdown (source)',
  sync: 'final sync',
  groups: 'recovery',
  finalize: 'finalize',
  cleanup: 'test cleanup',
  onFailure: 'on failure',
};

const PHASE_ORDER: (Phase | null)[] = ['prechecks', 'shutdown', 'sync', 'groups', 'finalize', 'cleanup', 'onFailure', null];

/** The run's timeline. Bars of steps still running or waiting end at the run's last record. */
export function timelineOf(facts: RunFacts, maxVmsPerGroup = DEFAULT_MAX_VMS_PER_GROUP): Timeline {
  const horizon = facts.endedAt ?? facts.lastRecordAt ?? facts.startedAt ?? 0;
  const ran = facts.steps.filter((s) => s.startedAt !== null);
  const { crowded, vmsPerGroup } = crowdedGroups(facts.steps, maxVmsPerGroup);

  const sections: TimelineSection[] = [];
  for (const phase of PHASE_ORDER) {
    const inPhase = ran.filter((s) => s.phase === phase);
    if (inPhase.length === 0) continue;
    const bars: TimelineBar[] = [];
    const merged = new Map<string, TimelineBar>();
    for (const s of inPhase) {
      const bar = barOf(s, horizon);
      if (s.group !== null && s.vm !== null && crowded.has(s.group)) {
        const what = s.operation ?? baseId(s);
        const key = `${s.group}\u0000${what}`;
        const existing = merged.get(key);
        if (existing) {
          existing.steps.push(s.id);
          existing.start = Math.min(existing.start, bar.start);
          existing.end = Math.max(existing.end, bar.end);
          existing.status = worse(existing.status, bar.status);
          existing.open ||= bar.open;
          existing.label = `${s.group} ${what} ×${existing.steps.length}`;
        } else {
          const first: TimelineBar = { ...bar, label: `${s.group} ${what} ×1`, steps: [s.id] };
          merged.set(key, first);
          bars.push(first);
        }
        continue;
      }
      bars.push(bar);
    }
    bars.sort((a, b) => a.start - b.start || a.end - b.end);
    sections.push({ title: phase === null ? 'steps' : PHASE_LABELS[phase], phase, bars });
  }
  const all = sections.flatMap((s) => s.bars);
  const start = all.reduce((min, b) => Math.min(min, b.start), facts.startedAt ?? Infinity);
  const end = all.reduce((max, b) => Math.max(max, b.end), horizon);
  return {
    start: Number.isFinite(start) ? start : 0,
    end: Number.isFinite(end) ? end : 0,
    sections,
    collapsed: [...crowded].map((group) => ({ group, vms: vmsPerGroup.get(group)?.size ?? 0 })),
  };
}

/** Groups with more VMs than `max`: their VM operations are summarised, not listed one by one. */
function crowdedGroups(steps: readonly StepFacts[], max: number): { crowded: Set<string>; vmsPerGroup: Map<string, Set<string>> } {
  const vmsPerGroup = new Map<string, Set<string>>();
  for (const s of steps) {
    if (s.group === null || s.vm === null) continue;
    const vms = vmsPerGroup.get(s.group) ?? new Set<string>();
    vms.add(s.vm);
    vmsPerGroup.set(s.group, vms);
  }
  return { crowded: new Set([...vmsPerGroup].filter(([, vms]) => vms.size > max).map(([g]) => g)), vmsPerGroup };
}

function barOf(s: StepFacts, horizon: number): TimelineBar {
  const start = s.startedAt ?? horizon;
  const open = s.finishedAt === null;
  return { label: s.id, steps: [s.id], start, end: Math.max(start, s.finishedAt ?? horizon), status: barStatus(s.status), open };
}

function barStatus(status: StepStatus): BarStatus {
  return status === 'pending' ? 'cancelled' : status;
}

/** A forEach step runs as `<step-id>/<vm>`: its bar name is the step id. */
function baseId(s: StepFacts): string {
  return s.vm !== null && s.id.endsWith(`/${s.vm}`) ? s.id.slice(0, -s.vm.length - 1) : s.id;
}

const SEVERITY: BarStatus[] = ['skipped', 'succeeded', 'cancelled', 'running', 'waiting', 'failed'];

/** A collapsed bar shows the worst of its steps: one failed VM makes the group's bar red. */
function worse(a: BarStatus, b: BarStatus): BarStatus {
  return SEVERITY.indexOf(a) >= SEVERITY.indexOf(b) ? a : b;
}

/** A row of a steps table: one step, or the VM operations of a crowded group summarised. */
export type StepRow = { kind: 'step'; step: StepFacts } | { kind: 'collapsed'; group: string; what: string; steps: StepFacts[] };

export interface StepSection {
  title: string;
  phase: Phase | null;
  rows: StepRow[];
}

/**
 * Every step by phase, for tables: a crowded group's VM operations become one summary row per
 * operation, followed by the ones that did not succeed (those are what a reader looks for).
 */
export function stepSections(facts: RunFacts, maxVmsPerGroup = DEFAULT_MAX_VMS_PER_GROUP): StepSection[] {
  const { crowded } = crowdedGroups(facts.steps, maxVmsPerGroup);
  const sections: StepSection[] = [];
  for (const phase of PHASE_ORDER) {
    const inPhase = facts.steps.filter((s) => s.phase === phase);
    if (inPhase.length === 0) continue;
    const rows: StepRow[] = [];
    const merged = new Map<string, Extract<StepRow, { kind: 'collapsed' }>>();
    for (const s of inPhase) {
      if (s.group !== null && s.vm !== null && crowded.has(s.group)) {
        const what = s.operation ?? baseId(s);
        const key = `${s.group}\u0000${what}`;
        const row = merged.get(key);
        if (row) row.steps.push(s);
        else {
          const created = { kind: 'collapsed' as const, group: s.group, what, steps: [s] };
          merged.set(key, created);
          rows.push(created);
        }
        continue;
      }
      rows.push({ kind: 'step', step: s });
    }
    // After each summary row, the VMs that did not simply succeed (or were skipped by mode).
    const expanded: StepRow[] = [];
    for (const row of rows) {
      expanded.push(row);
      if (row.kind === 'collapsed') for (const s of row.steps) if (s.status !== 'succeeded' && s.status !== 'skipped' && s.status !== 'pending') expanded.push({ kind: 'step', step: s });
    }
    sections.push({ title: phase === null ? 'steps' : PHASE_LABELS[phase], phase, rows: expanded });
  }
  return sections;
}

/** "20 succeeded, 1 failed" for a summary row. */
export function countStatuses(steps: readonly StepFacts[]): string {
  const counts = new Map<string, number>();
  for (const s of steps) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
}
