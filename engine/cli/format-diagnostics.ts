import type { CheckedPlan } from '../app/read-plans.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { paint, useColor, type CliIo, type Paint } from './io.js';

/** Why a run's plan is no longer valid, as `drplan validate` would say it. */
export function printDiagnostics(io: CliIo, checked: CheckedPlan): void {
  const p = paint(useColor(io));
  for (const d of checked.diagnostics) io.stderr(formatDiagnostic(d, checked.text, p) + '\n\n');
}

/**
 * Prints a diagnostic like a compiler: `file:line:col severity CODE message`, the source line
 * with a caret under the problem, and the hint.
 */
export function formatDiagnostic(d: Diagnostic, text: string | undefined, p: Paint): string {
  const severity = d.severity === 'error' ? p.red('error') : p.yellow('warning');
  const out = [`${p.bold(`${d.file}:${d.line}:${d.col}`)} ${severity} ${p.dim(d.code)} ${d.message}`];
  const frame = text === undefined ? undefined : codeFrame(text, d);
  if (frame) out.push(...frame.map((line, i) => (i === frame.length - 1 ? p.red(line) : p.dim(line))));
  if (d.hint) out.push(`  ${p.cyan('hint:')} ${d.hint}`);
  return out.join('\n');
}

function codeFrame(text: string, d: Diagnostic): string[] | undefined {
  const lines = text.split(/\r?\n/);
  const source = lines[d.line - 1];
  if (source === undefined || source.length > 500) return undefined;
  const gutter = String(d.line).length + 2;
  const width = d.endLine === d.line && d.endCol !== undefined && d.endCol > d.col ? Math.min(d.endCol - d.col, source.length - d.col + 1) : 1;
  return [
    `${String(d.line).padStart(gutter)} | ${source.replace(/\t/g, ' ')}`,
    `${' '.repeat(gutter)} | ${' '.repeat(Math.max(0, d.col - 1))}${'^'.repeat(Math.max(1, width))}`,
  ];
}

export function summarizeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const part = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${part(errors, 'error')}, ${part(warnings, 'warning')}`;
}
