import { formatDuration } from '../model/duration.js';
import { describeProvenance, type ReportContext } from './run-report-evidence.js';
import { renderGanttMermaid } from './run-report-mermaid.js';
import { describeDecision, describeIntervention, describeParams, describeRunKind, formatTime, rpoLine, rtoLine, SIMULATORS_ONLY_NOTE, stepNote, type ObjectiveLine, type Verdict } from './run-report-text.js';
import { countStatuses, stepSections, timelineOf, type StepRow } from './run-report-timeline.js';
import type { RunFacts } from './run-summary.js';

/**
 * `drplan report --format md`: the evidence an auditor asks for after a DR test, as Markdown
 * that reads well in a pull request or wiki and draws its timeline with Mermaid on the forge.
 * Pure: facts in, text out.
 */
export function renderRunReportMarkdown(facts: RunFacts, ctx: ReportContext): string {
  const s = facts.started;
  const out: string[] = [];
  out.push(`# DR run report: ${text(facts.plan)} (${text(facts.mode)})`, '');
  if (s?.dryRun) out.push(`> **Dry-run** against the simulator${s.simulated ? ': every time below is on the simulated clock, not the wall clock' : ''}. It rehearses the plan; it recovered nothing.`, '');
  else if (s?.simulatorsOnly) out.push(`> **Real run on simulators only:** ${SIMULATORS_ONLY_NOTE}`, '');
  if (facts.untrusted.length > 0) {
    out.push(`> **The journal holds ${facts.untrusted.length} record${facts.untrusted.length === 1 ? '' : 's'} that do${facts.untrusted.length === 1 ? 'es' : ''} not count**, left out of this report: no decision judged live could have produced ${facts.untrusted.length === 1 ? 'it' : 'them'} (\`drplan verify\` lists each; the run cannot be resumed).`, '>');
    for (const u of facts.untrusted) out.push(`> - journal.jsonl:${u.seq}: ${text(u.reason)}`);
    out.push('');
  }
  if (!facts.planAvailable) out.push(`> **From the journal alone:** ${text(ctx.source?.unavailable ?? 'the plan could not be resolved again')}. Steps that never ran and the plan's objectives are unknown.`, '');

  out.push('| | |', '|---|---|');
  const row = (k: string, v: string) => out.push(`| ${k} | ${v} |`);
  row('Run', code(facts.runId));
  row('Result', `**${facts.state}**${facts.failure ? ` at ${code(facts.failure.stepId ?? '?')}: ${cell(facts.failure.error ?? '')}` : ''}`);
  row('Plan', `${code(facts.plan)}${s ? ` from ${code(s.planFile)}` : ''}`);
  row('Plan digest', s ? code(`sha256:${s.planDigest}`) : '-');
  row('Plan version', cell(describeProvenance(ctx.source)));
  row('Mode', cell(facts.mode));
  row('Kind', cell(describeRunKind(facts)));
  row('Initiator', cell(s?.initiator ?? '-'));
  row('Parameters', cell(describeParams(facts)));
  row('Started', formatTime(facts.startedAt));
  row('Finished', facts.endedAt === null ? `not yet (${facts.state})` : formatTime(facts.endedAt));
  row('Elapsed', formatDuration(facts.objectives.rto.elapsedMs));
  row('Engine', `drplan ${cell(s?.engineVersion ?? '?')}; report by drplan ${cell(ctx.drplanVersion)} at ${formatTime(ctx.generatedAt)}`);
  out.push('');

  out.push('## Objectives', '', '| Objective | Target | Achieved | Verdict | How it was measured |', '|---|---|---|---|---|');
  const objective = (name: string, l: ObjectiveLine) => out.push(`| ${name} | ${cell(l.objective)} | ${cell(l.achieved)} | ${VERDICT[l.verdict]} | ${cell(l.note)} |`);
  objective('RTO', rtoLine(facts));
  objective('RPO', rpoLine(facts));
  out.push('');

  const timeline = timelineOf(facts);
  out.push('## Timeline', '', '```mermaid', renderGanttMermaid(facts, timeline).trimEnd(), '```', '');
  const notes = ['The chart shows times in your browser’s time zone; the tables are in UTC.'];
  if (timeline.collapsed.length) notes.push(`Groups with many VMs are drawn as one bar per operation: ${timeline.collapsed.map((c) => `${c.group} (${c.vms} VMs)`).join(', ')}.`);
  out.push(notes.join(' '), '');

  out.push('## Steps', '');
  for (const section of stepSections(facts)) {
    out.push(`### ${text(section.title)}`, '', '| Step | Status | Attempts | Started | Duration | Notes |', '|---|---|---|---|---|---|');
    for (const r of section.rows) out.push(stepRow(r));
    out.push('');
  }
  if (facts.steps.length === 0) out.push('No step has run.', '');

  out.push('## Gate decisions', '');
  if (facts.gateDecisions.length === 0) out.push('None.', '');
  else {
    out.push('| Gate | Decision | By | At |', '|---|---|---|---|');
    for (const d of facts.gateDecisions) out.push(`| ${code(d.stepId)} | ${cell(describeDecision(d))} | ${cell(d.by ?? '(timeout)')}${d.simulated ? ' *(simulated)*' : d.signed ? ' (signed)' : ''} | ${formatTime(d.time)} |`);
    out.push('');
  }

  out.push('## Manual steps', '');
  if (facts.manual.length === 0) out.push('None.', '');
  else {
    out.push('| Step | Done by | At | Comment |', '|---|---|---|---|');
    for (const m of facts.manual) out.push(`| ${code(m.stepId)} | ${cell(m.by)}${m.simulated ? ' *(simulated)*' : m.signed ? ' (signed)' : ''} | ${formatTime(m.time)} | ${cell(m.comment ?? '')} |`);
    out.push('');
  }

  out.push('## Operator interventions', '');
  if (facts.interventions.length === 0) out.push('None.', '');
  else {
    out.push('| At | Record | What |', '|---|---|---|');
    for (const i of facts.interventions) out.push(`| ${formatTime(i.time)} | ${code(i.type)} | ${cell(describeIntervention(i))} |`);
    out.push('');
  }

  out.push('## Failures', '');
  if (facts.failures.length === 0) out.push('None.', '');
  else {
    out.push('| Step | Attempt | At | Error | Last attempt |', '|---|---|---|---|---|');
    for (const f of facts.failures) out.push(`| ${code(f.stepId)} | ${f.attempt} | ${formatTime(f.time)} | ${cell(f.error)} | ${f.final ? 'yes' : 'no (retried)'} |`);
    out.push('');
  }

  if (facts.waiting.length > 0) {
    out.push('## Waiting', '');
    for (const w of facts.waiting) {
      const who = w.principals.length ? `${w.quorum ?? 1} of ${w.principals.join(', ')}` : 'an operator';
      out.push(`- ${code(w.stepId)}: ${w.kind} since ${formatTime(w.since)}, for ${cell(who)}${w.deadline !== null ? `, until ${formatTime(w.deadline)}` : ''}${w.instructions ? ` — ${cell(w.instructions)}` : ''}${w.reason ? ` — ${cell(w.reason)}` : ''}`);
    }
    out.push('');
  }
  out.push(`<sub>${facts.records} journal records. \`drplan verify ${facts.runId}\` checks their hash chain.</sub>`, '');
  return out.join('\n');
}

const VERDICT: Record<Verdict, string> = { met: '✅ met', missed: '❌ missed', 'n/a': 'n/a', unknown: 'unknown', pending: '⏳ pending' };

function stepRow(r: StepRow): string {
  if (r.kind === 'collapsed') {
    const durations = r.steps.map((s) => s.durationMs).filter((d): d is number => d !== null);
    const range = durations.length ? `${formatDuration(durations.reduce((a, b) => Math.min(a, b)))}–${formatDuration(durations.reduce((a, b) => Math.max(a, b)))}` : '-';
    const starts = r.steps.map((s) => s.startedAt).filter((t): t is number => t !== null);
    return `| ${code(`${r.group}/*/${r.what}`)} ×${r.steps.length} | ${countStatuses(r.steps)} | max ${r.steps.reduce((max, s) => Math.max(max, s.attempts), 0)} | ${starts.length ? formatTime(starts.reduce((a, b) => Math.min(a, b))) : '-'} | ${range} | one row for ${r.steps.length} VMs |`;
  }
  const s = r.step;
  return `| ${code(s.id)} | ${s.status} | ${s.attempts} | ${formatTime(s.startedAt)} | ${s.durationMs === null ? '-' : formatDuration(s.durationMs)} | ${cell(stepNote(s))} |`;
}

/** Text for a table cell: one line, pipes escaped, no raw HTML. */
function cell(value: string): string {
  return text(value).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

function text(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function code(value: string): string {
  const v = value.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  return v.includes('`') ? `\`\` ${v} \`\`` : `\`${v}\``;
}
