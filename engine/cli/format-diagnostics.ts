import type { CheckedPlan } from '../app/read-plans.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { MAX_DIAGNOSTICS_PER_FILE, type DiagnosticCounts } from '../model/diagnostic-cap.js';
import { paint, useColor, type CliIo, type Paint } from './io.js';

/** Why a run's plan is no longer valid, as `drplan validate` would say it. */
export function printDiagnostics(io: CliIo, checked: CheckedPlan): void {
  writeDiagnostics(io.stderr, checked.diagnostics, checked.text, paint(useColor(io)), { file: checked.file, counts: checked.omitted });
}

/** Longest source line shown in a code frame; a longer one is minified or generated text. */
const MAX_FRAME_LINE = 500;
/** Longest message or hint printed; past this it is text from the plan, quoted at length. */
const MAX_MESSAGE = 1_000;

/**
 * Prints a diagnostic like a compiler: `file:line:col severity CODE message`, the source line
 * with a caret under the problem, and the hint. For one diagnostic; a file's worth goes through
 * {@link writeDiagnostics}, which finds the lines of the text once for all of them.
 */
export function formatDiagnostic(d: Diagnostic, text: string | undefined, p: Paint): string {
  return formatWithLines(d, text === undefined ? undefined : new SourceLines(text), p);
}

function formatWithLines(d: Diagnostic, lines: SourceLines | undefined, p: Paint): string {
  const severity = d.severity === 'error' ? p.red('error') : p.yellow('warning');
  const out = [`${p.bold(`${d.file}:${d.line}:${d.col}`)} ${severity} ${p.dim(d.code)} ${shorten(d.message)}`];
  const frame = lines === undefined ? undefined : codeFrame(lines, d);
  if (frame) {
    out.push(p.dim(frame[0]));
    out.push(p.red(frame[1]));
  }
  if (d.hint) out.push(`  ${p.cyan('hint:')} ${shorten(d.hint)}`);
  return out.join('\n');
}

/**
 * Writes one file's diagnostics, each followed by a blank line, then (when some were left out)
 * the line that says how many more there are. The text's lines are found once, here: splitting
 * the whole text for every diagnostic (as this once did) made printing 1,000 warnings of a
 * 2.9 MB plan take 15 s.
 */
export function writeDiagnostics(
  write: (text: string) => void,
  diagnostics: readonly Diagnostic[],
  text: string | undefined,
  p: Paint,
  omitted?: { file: string; counts: DiagnosticCounts },
): void {
  const lines = text === undefined || diagnostics.length === 0 ? undefined : new SourceLines(text);
  for (const d of diagnostics) write(formatWithLines(d, lines, p) + '\n\n');
  if (omitted && omitted.counts.errors + omitted.counts.warnings > 0) write(formatOmitted(omitted.file, omitted.counts, p) + '\n\n');
}

/** `… and 299,000 more in x.yaml (299,000 errors, 0 warnings): …`, for a file whose output was capped. */
export function formatOmitted(file: string, counts: DiagnosticCounts, p: Paint): string {
  const more = counts.errors + counts.warnings;
  return (
    `${p.bold(`… and ${count(more)} more`)} in ${file} (${summarizeCounts(counts)}): ` +
    `only the first ${count(MAX_DIAGNOSTICS_PER_FILE)} problems of a file are shown, errors first; fix these and run again`
  );
}

/** The source line of the diagnostic and a caret line under its range, or undefined. */
function codeFrame(lines: SourceLines, d: Diagnostic): [string, string] | undefined {
  const source = lines.line(d.line);
  if (source === undefined || source.length > MAX_FRAME_LINE) return undefined;
  const gutter = String(d.line).length + 2;
  const width = d.endLine === d.line && d.endCol !== undefined && d.endCol > d.col ? Math.min(d.endCol - d.col, source.length - d.col + 1) : 1;
  return [
    `${String(d.line).padStart(gutter)} | ${source.replace(/\t/g, ' ')}`,
    `${' '.repeat(gutter)} | ${' '.repeat(Math.max(0, d.col - 1))}${'^'.repeat(Math.max(1, width))}`,
  ];
}

/** Where each line of a text starts; lines end at "\n", as in the loader. */
class SourceLines {
  private readonly starts = [0];

  constructor(private readonly text: string) {
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', nl + 1)) this.starts.push(nl + 1);
  }

  /** Line `line` (1-based) without its line break (nor a "\r" before it), cut past a frame's width. */
  line(line: number): string | undefined {
    const start = this.starts[line - 1];
    if (start === undefined) return undefined;
    const next = this.starts[line];
    let end = next === undefined ? this.text.length : next - 1;
    if (end > start && this.text.charCodeAt(end - 1) === 0x0d) end--;
    // Longer than a frame shows: no need to copy it out.
    return this.text.slice(start, Math.min(end, start + MAX_FRAME_LINE + 1));
  }
}

function shorten(message: string): string {
  if (message.length <= MAX_MESSAGE) return message;
  return `${message.slice(0, MAX_MESSAGE)}… (${count(message.length - MAX_MESSAGE)} more characters)`;
}

/** Counts every diagnostic of a list (for callers that kept them all). */
export function countDiagnostics(diagnostics: readonly Diagnostic[]): DiagnosticCounts {
  let errors = 0;
  for (const d of diagnostics) if (d.severity === 'error') errors++;
  return { errors, warnings: diagnostics.length - errors };
}

/** `2 errors, 1 warning`. */
export function summarizeCounts(counts: DiagnosticCounts): string {
  const part = (n: number, word: string) => `${count(n)} ${word}${n === 1 ? '' : 's'}`;
  return `${part(counts.errors, 'error')}, ${part(counts.warnings, 'warning')}`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
