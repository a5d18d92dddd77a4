import type { RunFacts } from './run-summary.js';
import { timelineOf, type BarStatus, type Timeline } from './run-report-timeline.js';

/**
 * The run's timeline as a Mermaid `gantt` chart, which GitHub and GitLab draw inline in
 * Markdown. Timestamps are epoch milliseconds (`dateFormat x`), so the chart shows the run's
 * real (or simulated) clock; bars are one per step, sections per phase, crowded groups
 * collapsed to one bar per group and operation (see {@link timelineOf}).
 *
 * Mermaid's gantt lexer is unforgiving: a task name cannot hold `:` `;` `#`, a line starting
 * with a keyword (`section`, `title`, `click`, `gantt`, …) or a date is read as that keyword,
 * a `%` can turn the line into a comment, and task data ends at `#` or `;`. Names are cleaned
 * for all of these (checked against Mermaid 11 in a browser).
 *
 * @example
 * renderGanttMermaid(summarizeRun(records, exec, { now: Date.now() }));
 * // gantt
 * //   title payments-eu · planned · payments-eu-20261123-101500-3fa9
 * //   dateFormat x
 * //   ...
 * //   section prechecks
 * //   replication-healthy :done, t1, 1795456613584, 1795456618903
 */
export function renderGanttMermaid(facts: RunFacts, timeline: Timeline = timelineOf(facts)): string {
  const span = timeline.end - timeline.start;
  const out = ['gantt', `  title ${clean(`${facts.plan} · ${facts.mode} · ${facts.runId}`)}`, '  dateFormat x', `  axisFormat ${span >= 6 * 3_600_000 ? '%H:%M' : '%H:%M:%S'}`, '  todayMarker off'];
  let n = 0;
  for (const section of timeline.sections) {
    out.push(`  section ${clean(section.title)}`);
    for (const bar of section.bars) {
      n++;
      const zero = bar.end - bar.start < 1;
      const tags = [...TAGS[bar.status], ...(zero ? ['milestone'] : [])];
      out.push(`  ${taskName(bar.label)} :${[...tags, `t${n}`, String(bar.start), String(zero ? bar.start : bar.end)].join(', ')}`);
    }
  }
  if (n === 0) out.push('  section run', `  no step ran :milestone, t0, ${timeline.start}, ${timeline.start}`);
  return out.join('\n') + '\n';
}

const TAGS: Record<BarStatus, string[]> = {
  succeeded: ['done'],
  failed: ['crit', 'done'],
  running: ['active'],
  waiting: ['active'],
  skipped: ['done'],
  cancelled: [],
};

/**
 * Words the gantt lexer takes as statements when a line starts with them (some even without a
 * space after them, like `gantt`): a prefix match, to be safe.
 */
const KEYWORDS = /^(gantt|dateformat|inclusiveenddates|topaxis|axisformat|tickinterval|includes|excludes|todaymarker|weekday|weekend|title|accdescription|accdescr|acctitle|section|click|call|href|displaymode)/i;

function taskName(label: string): string {
  const text = clean(label);
  return KEYWORDS.test(text) || /^\d{4}-\d\d-\d\d/.test(text) ? `step ${text}` : text;
}

/**
 * Keeps a name on one line and out of the lexer's separators (`:` `;` `#`) and comments. A `%`
 * anywhere near the start of a line makes the lexer skip the line as a comment (its rule is
 * "any character, then `%`"), so `%` becomes the fullwidth `％`.
 */
function clean(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[:;#]/g, ' ').replace(/%/g, '％').replace(/\s+/g, ' ').trim() || '-';
}
