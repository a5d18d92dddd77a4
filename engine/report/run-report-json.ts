import { describeProvenance, type ReportContext } from './run-report-evidence.js';
import { isoTime, rpoLine, rtoLine } from './run-report-text.js';
import type { RunFacts } from './run-summary.js';

/** Bumped when a field is renamed or removed (fields are only ever added otherwise). */
export const RUN_REPORT_VERSION = 1;

/**
 * `drplan report --format json`: the facts of the Markdown and HTML reports, structured for
 * tools (audit archives, dashboards). Times are ISO 8601 UTC; durations are milliseconds.
 */
export function runReportJson(facts: RunFacts, ctx: ReportContext) {
  const s = facts.started;
  const rto = rtoLine(facts);
  const rpo = rpoLine(facts);
  return {
    reportVersion: RUN_REPORT_VERSION,
    generatedAt: isoTime(ctx.generatedAt),
    drplanVersion: ctx.drplanVersion,
    run: {
      runId: facts.runId,
      plan: facts.plan,
      mode: facts.mode,
      state: facts.state,
      initiator: s?.initiator ?? null,
      params: s?.params ?? {},
      dryRun: s?.dryRun ?? null,
      simulatedTime: s?.simulated ?? null,
      /** Every call went to a simulator (always in a dry-run); null in journals that predate the field. */
      simulatorsOnly: s ? (s.simulatorsOnly ?? (s.dryRun ? true : null)) : null,
      autoApprove: s?.autoApprove ?? null,
      faults: s?.faults ?? [],
      seed: s?.seed ?? null,
      engineVersion: s?.engineVersion ?? null,
      startedAt: isoTime(facts.startedAt),
      finishedAt: isoTime(facts.endedAt),
      elapsedMs: facts.objectives.rto.elapsedMs,
      records: facts.records,
      failure: facts.failure,
    },
    plan: {
      name: facts.plan,
      file: s?.planFile ?? null,
      digest: s?.planDigest ?? null,
      available: facts.planAvailable,
      ...(ctx.source
        ? {
            path: ctx.source.path,
            exists: ctx.source.exists,
            digestNow: ctx.source.digestNow,
            matchesRun: ctx.source.matchesRun,
            unavailable: ctx.source.unavailable,
            git: ctx.source.git,
          }
        : {}),
      provenance: describeProvenance(ctx.source),
    },
    objectives: {
      rto: { ...facts.objectives.rto, verdict: rto.verdict, note: rto.note },
      rpo: { ...facts.objectives.rpo, verdict: rpo.verdict, note: rpo.note },
    },
    steps: facts.steps.map((st) => ({
      id: st.id,
      kind: st.kind,
      phase: st.phase,
      group: st.group,
      vm: st.vm,
      operation: st.operation,
      status: st.status,
      attempts: st.attempts,
      startedAt: isoTime(st.startedAt),
      finishedAt: isoTime(st.finishedAt),
      durationMs: st.durationMs,
      ...(st.error ? { error: st.error } : {}),
      ...(st.output ? { output: st.output } : {}),
      ...(st.inPlan ? {} : { inPlan: false }),
    })),
    gates: facts.gateDecisions.map((d) => ({ ...d, time: isoTime(d.time) })),
    manualSteps: facts.manual.map((m) => ({ ...m, time: isoTime(m.time) })),
    interventions: facts.interventions.map((i) => ({ ...i, time: isoTime(i.time) })),
    failures: facts.failures.map((f) => ({ ...f, time: isoTime(f.time) })),
    waiting: facts.waiting.map((w) => ({ ...w, since: isoTime(w.since), deadline: isoTime(w.deadline) })),
    untrusted: facts.untrusted.map((u) => ({ line: u.seq, type: u.type, reason: u.reason })),
  };
}

export function renderRunReportJson(facts: RunFacts, ctx: ReportContext): string {
  return JSON.stringify(runReportJson(facts, ctx), null, 2) + '\n';
}
