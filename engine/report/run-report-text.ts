import { formatDuration } from '../model/duration.js';
import type { GateDecision, Intervention, RunFacts, StepFacts } from './run-summary.js';

/**
 * Sentences shared by the run's text renderings (status, Markdown, HTML), so the terminal and
 * the auditor's copy say the same thing in the same words.
 */

/** `2026-11-23 17:56:53Z`, or `17:56:53.620Z` with `precise`. UTC: evidence must not depend on a reader's zone. */
export function formatTime(t: number | null, precise = false): string {
  if (t === null) return '-';
  const iso = new Date(t).toISOString();
  return precise ? `${iso.slice(0, 10)} ${iso.slice(11, 23)}Z` : `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`;
}

export function isoTime(t: number | null): string | null {
  return t === null ? null : new Date(t).toISOString();
}

/** What a real run on simulators alone is called (status, report, the run's first line). */
export const SIMULATORS_ONLY = 'real run on simulators only (no real system touched)';

/** The report's note on such a run: what was real in it, and what was not. */
export const SIMULATORS_ONLY_NOTE =
  'every adapter of the plan is a simulator and no step ran a command, so no real system was touched. It ran on the real clock, with real approvals and notifications: a rehearsal of the plan, which recovered nothing.';

/**
 * "real run", "real run on simulators only (no real system touched)", or "dry-run against the
 * simulator (simulated time, auto-approved)".
 */
export function describeRunKind(facts: RunFacts): string {
  const s = facts.started;
  if (!s) return 'unknown';
  if (!s.dryRun) return s.simulatorsOnly ? SIMULATORS_ONLY : 'real run';
  const extras = [s.simulated ? 'simulated time' : 'real time', ...(s.autoApprove ? ['gates and manual steps auto-approved'] : []), ...(s.faults.length ? [`faults injected: ${s.faults.join(', ')}`] : [])];
  return `dry-run against the simulator (${extras.join('; ')})`;
}

export function describeParams(facts: RunFacts): string {
  const params = Object.entries(facts.started?.params ?? {});
  return params.length === 0 ? 'none' : params.map(([k, v]) => `${k}=${String(v)}`).join(', ');
}

export type Verdict = 'met' | 'missed' | 'n/a' | 'unknown' | 'pending';

export interface ObjectiveLine {
  objective: string;
  achieved: string;
  verdict: Verdict;
  note: string;
}

export function rtoLine(facts: RunFacts): ObjectiveLine {
  const r = facts.objectives.rto;
  const objective = r.objectiveMs === null ? 'none set' : formatDuration(r.objectiveMs);
  const unknownObjective = !facts.planAvailable ? 'the plan is unavailable, so its objective is unknown' : 'the plan sets no RTO';
  if (r.achievedMs !== null) {
    const to = r.measuredTo === 'finalize' ? 'start to the end of finalize' : r.measuredTo === 'last recovery step' ? 'start to the end of the last recovery step' : 'start to the end of the run';
    const verdict: Verdict = r.met === null ? 'unknown' : r.met ? 'met' : 'missed';
    return { objective, achieved: formatDuration(r.achievedMs), verdict, note: r.objectiveMs === null ? `${to}; ${unknownObjective}` : to };
  }
  if (facts.endedAt === null) {
    return { objective, achieved: `not yet (${formatDuration(r.elapsedMs)} elapsed)`, verdict: r.met === false ? 'missed' : 'pending', note: `the run is ${facts.state}` };
  }
  return { objective, achieved: `not recovered (run ${facts.state} after ${formatDuration(r.elapsedMs)})`, verdict: r.objectiveMs === null ? 'unknown' : 'missed', note: 'a run that did not succeed has not recovered the service' };
}

export function rpoLine(facts: RunFacts): ObjectiveLine {
  const r = facts.objectives.rpo;
  const objective = r.objectiveMs === null ? 'none set' : formatDuration(r.objectiveMs);
  const verdict: Verdict = r.met === null ? (r.basis === 'test' ? 'n/a' : 'unknown') : r.met ? 'met' : 'missed';
  switch (r.basis) {
    case 'planned':
      return { objective, achieved: '0s', verdict, note: 'planned failover: the final sync must leave nothing to replicate before anything is promoted, so no data is lost by design' };
    case 'test':
      return { objective, achieved: 'not applicable', verdict: 'n/a', note: 'test failover: production and its replication are not touched' };
    case 'unplanned': {
      if (r.achievedMs === null) return { objective, achieved: 'not reported', verdict: 'unknown', note: 'no failover step reported a data-loss window' };
      const worst = r.reportedBy.reduce((a, b) => (b.dataLossWindowSeconds > a.dataLossWindowSeconds ? b : a));
      return { objective, achieved: formatDuration(r.achievedMs), verdict, note: `largest data-loss window reported by ${r.reportedBy.length} failover step${r.reportedBy.length === 1 ? '' : 's'} (${worst.stepId}${worst.recoveryPoint ? `, recovery point ${worst.recoveryPoint}` : ''})` };
    }
  }
}

export function describeDecision(d: GateDecision): string {
  const who = d.by ?? 'timeout';
  switch (d.decision) {
    case 'approved':
      return `approved by ${who}${d.simulated ? ' (simulated)' : ''}${d.comment ? `: ${d.comment}` : ''}`;
    case 'rejected':
      return `rejected by ${who}${d.comment ? `: ${d.comment}` : ''}`;
    case 'timedOut':
      return `timed out → ${d.outcome === 'failed' ? 'gate failed' : d.outcome === 'approved' ? 'approved by policy (onTimeout: approve)' : 'escalated'}${d.simulated ? ' (simulated time)' : ''}`;
  }
}

export function describeIntervention(i: Intervention): string {
  const by = i.by ?? 'someone';
  const reason = i.reason ? `: ${i.reason}` : '';
  switch (i.type) {
    case 'operator.retry':
      return `${by} asked to retry ${i.stepId}${reason}`;
    case 'operator.skip':
      return `${by} skipped ${i.stepId}${reason}`;
    case 'operator.abort':
      return `${by} aborted at ${i.stepId}${reason}`;
    case 'run.cancelRequested':
      return `${by} requested cancellation${reason}`;
    case 'run.resumed':
      return `${by} resumed the run${i.planChanged ? ` with a changed plan (--force-plan): digest ${i.planChanged.previousDigest.slice(0, 12)}… → ${i.planChanged.digest.slice(0, 12)}…` : ''}`;
    case 'request.refused': {
      const what = typeof i.request?.type === 'string' ? i.request.type : 'a request';
      // A folded record's reason says how many, in whose name and when.
      if (i.repeats) return `refused ${what}${i.stepId ? ` of ${i.stepId}` : ''} ×${i.repeats.count}${reason}`;
      return `refused ${what}${i.stepId ? ` of ${i.stepId}` : ''} by ${by}${reason}`;
    }
  }
}

/** What a reader of one step's row wants besides the timing: the error, who, data lost. */
export function stepNote(s: StepFacts): string {
  const notes: string[] = [];
  if (s.error) notes.push(s.error);
  if (s.skippedByMode) notes.push('not in this mode');
  if (!s.inPlan) notes.push('not in the plan as it is now');
  const window = s.output?.dataLossWindowSeconds;
  if (s.operation === 'failover' && typeof window === 'number') notes.push(`data-loss window ${window}s`);
  return notes.join('; ');
}
