import { formatDuration } from '../model/duration.js';
import { describeProvenance, type ReportContext } from './run-report-evidence.js';
import { escapeXml as esc, renderGanttSvg } from './run-report-svg.js';
import { describeDecision, describeIntervention, describeParams, describeRunKind, formatTime, rpoLine, rtoLine, SIMULATORS_ONLY_NOTE, stepNote, type ObjectiveLine, type Verdict } from './run-report-text.js';
import { countStatuses, stepSections, timelineOf, type StepRow } from './run-report-timeline.js';
import type { RunFacts } from './run-summary.js';

/**
 * `drplan report --format html`: one self-contained page — inline CSS, an inline SVG timeline,
 * no script, no web font, nothing fetched — that can be archived, attached to a ticket or opened
 * on a phone years later and still say the same. Pure: facts in, text out.
 */
export function renderRunReportHtml(facts: RunFacts, ctx: ReportContext): string {
  const s = facts.started;
  const body: string[] = [];
  body.push(`<h1>DR run report: ${esc(facts.plan)} <span class="muted">(${esc(facts.mode)})</span></h1>`);
  body.push(`<p class="state"><span class="badge state-${esc(facts.state)}">${esc(facts.state)}</span>${facts.failure ? ` at <code>${esc(facts.failure.stepId ?? '?')}</code>: ${esc(facts.failure.error ?? '')}` : ''}</p>`);
  if (s?.dryRun) body.push(`<p class="note"><strong>Dry-run</strong> against the simulator${s.simulated ? ': every time on this page is on the simulated clock, not the wall clock' : ''}. It rehearses the plan; it recovered nothing.</p>`);
  else if (s?.simulatorsOnly) body.push(`<p class="note"><strong>Real run on simulators only:</strong> ${esc(SIMULATORS_ONLY_NOTE)}</p>`);
  if (facts.untrusted.length > 0) {
    body.push(
      `<div class="note"><p><strong>The journal holds ${facts.untrusted.length} record${facts.untrusted.length === 1 ? '' : 's'} that do${facts.untrusted.length === 1 ? 'es' : ''} not count</strong>, left out of this report: no decision judged live could have produced ${facts.untrusted.length === 1 ? 'it' : 'them'} (<code>drplan verify</code> lists each; the run cannot be resumed).</p>` +
        `<ul>${facts.untrusted.map((u) => `<li><code>journal.jsonl:${u.seq}</code>: ${esc(u.reason)}</li>`).join('')}</ul></div>`,
    );
  }
  if (!facts.planAvailable) body.push(`<p class="note"><strong>From the journal alone:</strong> ${esc(ctx.source?.unavailable ?? 'the plan could not be resolved again')}. Steps that never ran and the plan's objectives are unknown.</p>`);

  const facts2: [string, string][] = [
    ['Run', `<code>${esc(facts.runId)}</code>`],
    ['Plan', `<code>${esc(facts.plan)}</code>${s ? ` from <code>${esc(s.planFile)}</code>` : ''}`],
    ['Plan digest', s ? `<code class="digest">sha256:${esc(s.planDigest)}</code>` : '-'],
    ['Plan version', esc(describeProvenance(ctx.source))],
    ['Mode', esc(facts.mode)],
    ['Kind', esc(describeRunKind(facts))],
    ['Initiator', esc(s?.initiator ?? '-')],
    ['Parameters', esc(describeParams(facts))],
    ['Started', esc(formatTime(facts.startedAt))],
    ['Finished', esc(facts.endedAt === null ? `not yet (${facts.state})` : formatTime(facts.endedAt))],
    ['Elapsed', esc(formatDuration(facts.objectives.rto.elapsedMs))],
    ['Engine', esc(`drplan ${s?.engineVersion ?? '?'}; report by drplan ${ctx.drplanVersion} at ${formatTime(ctx.generatedAt)}`)],
  ];
  body.push('<dl class="facts">', ...facts2.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`), '</dl>');

  body.push('<h2>Objectives</h2>');
  const objective = (name: string, l: ObjectiveLine) =>
    `<tr><th scope="row">${name}</th><td>${esc(l.objective)}</td><td class="text">${esc(l.achieved)}</td><td class="verdict-${VERDICT_CLASS[l.verdict]}">${esc(l.verdict)}</td><td class="text">${esc(l.note)}</td></tr>`;
  body.push(table(['Objective', 'Target', 'Achieved', 'Verdict', 'How it was measured'], [objective('RTO', rtoLine(facts)), objective('RPO', rpoLine(facts))]));

  const timeline = timelineOf(facts);
  body.push('<h2>Timeline</h2>');
  body.push(`<div class="scroll">${renderGanttSvg(timeline)}</div>`);
  body.push(`<p class="muted">Axis: time since the start (${esc(formatTime(timeline.start))}).${timeline.collapsed.length ? ` Groups with many VMs are drawn as one bar per operation: ${esc(timeline.collapsed.map((c) => `${c.group} (${c.vms} VMs)`).join(', '))}.` : ''} Hover or tap a bar for details.</p>`);
  body.push(`<p class="legend">${['succeeded', 'failed', 'running', 'waiting', 'cancelled'].map((st) => `<span class="key bar-${st}"><svg width="12" height="12" aria-hidden="true"><rect class="mark" width="12" height="12" rx="2"/></svg> ${st}</span>`).join(' ')}</p>`);

  body.push('<h2>Steps</h2>');
  for (const section of stepSections(facts)) {
    body.push(`<h3>${esc(section.title)}</h3>`);
    body.push(table(['Step', 'Status', 'Attempts', 'Started', 'Duration', 'Notes'], section.rows.map(stepRow)));
  }
  if (facts.steps.length === 0) body.push('<p>No step has run.</p>');

  body.push('<h2>Gate decisions</h2>');
  body.push(
    facts.gateDecisions.length === 0
      ? '<p>None.</p>'
      : table(
          ['Gate', 'Decision', 'By', 'At'],
          facts.gateDecisions.map((d) => `<tr><td><code>${esc(d.stepId)}</code></td><td class="text">${esc(describeDecision(d))}</td><td>${esc(d.by ?? '(timeout)')}${d.simulated ? ' <em>(simulated)</em>' : d.signed ? ' (signed)' : ''}</td><td>${esc(formatTime(d.time))}</td></tr>`),
        ),
  );

  body.push('<h2>Manual steps</h2>');
  body.push(
    facts.manual.length === 0
      ? '<p>None.</p>'
      : table(
          ['Step', 'Done by', 'At', 'Comment'],
          facts.manual.map((m) => `<tr><td><code>${esc(m.stepId)}</code></td><td>${esc(m.by)}${m.simulated ? ' <em>(simulated)</em>' : m.signed ? ' (signed)' : ''}</td><td>${esc(formatTime(m.time))}</td><td class="text">${esc(m.comment ?? '')}</td></tr>`),
        ),
  );

  body.push('<h2>Operator interventions</h2>');
  body.push(
    facts.interventions.length === 0
      ? '<p>None.</p>'
      : table(['At', 'Record', 'What'], facts.interventions.map((i) => `<tr><td>${esc(formatTime(i.time))}</td><td><code>${esc(i.type)}</code></td><td class="text">${esc(describeIntervention(i))}</td></tr>`)),
  );

  body.push('<h2>Failures</h2>');
  body.push(
    facts.failures.length === 0
      ? '<p>None.</p>'
      : table(
          ['Step', 'Attempt', 'At', 'Error', 'Last attempt'],
          facts.failures.map((f) => `<tr><td><code>${esc(f.stepId)}</code></td><td>${f.attempt}</td><td>${esc(formatTime(f.time))}</td><td class="text">${esc(f.error)}</td><td>${f.final ? 'yes' : 'no (retried)'}</td></tr>`),
        ),
  );

  if (facts.waiting.length > 0) {
    body.push('<h2>Waiting</h2><ul>');
    for (const w of facts.waiting) {
      const who = w.principals.length ? `${w.quorum ?? 1} of ${w.principals.join(', ')}` : 'an operator';
      body.push(`<li><code>${esc(w.stepId)}</code>: ${esc(w.kind)} since ${esc(formatTime(w.since))}, for ${esc(who)}${w.deadline !== null ? `, until ${esc(formatTime(w.deadline))}` : ''}${w.instructions ? `<blockquote>${esc(w.instructions)}</blockquote>` : ''}${w.reason ? ` — ${esc(w.reason)}` : ''}</li>`);
    }
    body.push('</ul>');
  }
  body.push(`<footer class="muted">${facts.records} journal records. <code>drplan verify ${esc(facts.runId)}</code> checks their hash chain.</footer>`);

  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>DR run report: ${esc(facts.plan)} · ${esc(facts.runId)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    ...body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

const VERDICT_CLASS: Record<Verdict, string> = { met: 'met', missed: 'missed', 'n/a': 'na', unknown: 'unknown', pending: 'pending' };

function table(head: string[], rows: string[]): string {
  return `<div class="scroll"><table><thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table></div>`;
}

function stepRow(r: StepRow): string {
  if (r.kind === 'collapsed') {
    const durations = r.steps.map((s) => s.durationMs).filter((d): d is number => d !== null);
    const range = durations.length ? `${formatDuration(durations.reduce((a, b) => Math.min(a, b)))}–${formatDuration(durations.reduce((a, b) => Math.max(a, b)))}` : '-';
    const starts = r.steps.map((s) => s.startedAt).filter((t): t is number => t !== null);
    return `<tr class="collapsed"><td><code>${esc(`${r.group}/*/${r.what}`)}</code> ×${r.steps.length}</td><td class="text">${esc(countStatuses(r.steps))}</td><td>max ${r.steps.reduce((max, s) => Math.max(max, s.attempts), 0)}</td><td>${esc(starts.length ? formatTime(starts.reduce((a, b) => Math.min(a, b))) : '-')}</td><td>${esc(range)}</td><td class="text">one row for ${r.steps.length} VMs</td></tr>`;
  }
  const s = r.step;
  return `<tr><td><code>${esc(s.id)}</code></td><td class="status-${s.status}">${s.status}</td><td>${s.attempts}</td><td>${esc(formatTime(s.startedAt))}</td><td>${s.durationMs === null ? '-' : esc(formatDuration(s.durationMs))}</td><td class="text">${esc(stepNote(s))}</td></tr>`;
}

/** System fonts only; light and dark; tables and the chart scroll sideways on a narrow screen. */
const CSS = `
:root { color-scheme: light dark; --fg: #1d1f21; --bg: #fff; --muted: #666; --line: #ddd; --ok: #2e7d32; --bad: #c62828; --warn: #b26a00; --run: #1565c0; --idle: #9e9e9e; --note: #fff8e1; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e6e6; --bg: #161819; --muted: #9a9a9a; --line: #3a3d40; --ok: #66bb6a; --bad: #ef5350; --warn: #ffb74d; --run: #64b5f6; --idle: #757575; --note: #2d2a1e; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.4em; margin: 0.2em 0; } h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid var(--line); } h3 { font-size: 1em; margin-bottom: 0.3em; }
code { font: 0.9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.muted { color: var(--muted); } .note { background: var(--note); padding: 8px 12px; border-left: 4px solid var(--warn); }
.state .badge { font-weight: 700; text-transform: uppercase; letter-spacing: 0.04em; }
.state-succeeded { color: var(--ok); } .state-failed, .state-cancelled { color: var(--bad); } .state-waiting, .state-paused, .state-running { color: var(--warn); }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; } .facts dt { color: var(--muted); } .facts dd { margin: 0; overflow-wrap: anywhere; }
@media (max-width: 560px) { .facts { grid-template-columns: 1fr; } .facts dd { margin-bottom: 6px; } }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; font-size: 0.92em; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td { white-space: nowrap; } td.text { white-space: normal; min-width: 16em; } td code { overflow-wrap: normal; }
thead th { white-space: nowrap; } tr.collapsed td { font-style: italic; }
.status-succeeded, .verdict-met { color: var(--ok); } .status-failed, .status-cancelled, .verdict-missed { color: var(--bad); } .status-waiting, .status-running, .verdict-pending { color: var(--warn); } .status-skipped, .status-pending, .verdict-na, .verdict-unknown { color: var(--muted); }
.gantt { display: block; min-width: 760px; width: 100%; height: auto; font: 11px system-ui, sans-serif; }
.gantt .section { font-weight: 600; fill: var(--fg); } .gantt .label { fill: var(--fg); } .gantt .tick { fill: var(--muted); } .gantt .grid { stroke: var(--line); stroke-width: 1; }
.bar-succeeded .mark { fill: var(--ok); } .bar-failed .mark { fill: var(--bad); } .bar-running .mark, .bar-waiting .mark { fill: var(--warn); } .bar-skipped .mark, .bar-cancelled .mark { fill: var(--idle); }
.gantt .open { opacity: 0.6; }
.legend { font-size: 0.85em; color: var(--muted); } .legend .key { margin-right: 10px; white-space: nowrap; } .legend svg { vertical-align: -1px; }
blockquote { margin: 4px 0 4px 12px; padding-left: 8px; border-left: 3px solid var(--line); }
footer { margin-top: 2em; font-size: 0.85em; }
@media print { .scroll { overflow: visible; } .gantt { min-width: 0; } }
`;
