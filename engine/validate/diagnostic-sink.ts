import type { Diagnostic, DiagnosticCode, Severity } from '../model/diagnostic.js';
import { DiagnosticCollector } from '../model/diagnostic-cap.js';
import type { PlanSource } from '../model/plan-source.js';

export interface ReportOptions {
  hint?: string;
  severity?: Severity;
  /** Point at the property key instead of its value. */
  part?: 'key' | 'value';
  /** Column offset inside the located node (for positions inside a string). */
  offset?: { line: number; col: number };
}

/**
 * Collects diagnostics for one plan file, resolving pointers to positions once, at report time.
 * It keeps the first thousand (MAX_DIAGNOSTICS_PER_FILE) and counts the rest, so a plan with a
 * mistake repeated 200,000 times costs bounded memory.
 */
export class DiagnosticSink {
  readonly found = new DiagnosticCollector();

  constructor(readonly source: PlanSource) {}

  report(code: DiagnosticCode, pointer: string, message: string, options: ReportOptions = {}): void {
    const at = this.source.locate(pointer, options.part ?? 'value');
    let line = at.line;
    let col = at.col;
    if (options.offset) {
      line += options.offset.line;
      col = options.offset.line > 0 ? options.offset.col : col + options.offset.col;
    }
    const severity = options.severity ?? 'error';
    if (!this.found.wouldKeep(severity, line, col)) return this.found.countOmitted(severity);
    this.found.add({
      code,
      severity,
      file: this.source.file,
      line,
      col,
      endLine: options.offset ? line : at.endLine,
      endCol: options.offset ? col + 1 : at.endCol,
      pointer,
      message,
      ...(options.hint ? { hint: options.hint } : {}),
    });
  }

  /** Adds diagnostics made elsewhere (schema checks of adapter configs and inputs). */
  add(diagnostics: Iterable<Diagnostic>): void {
    this.found.addAll(diagnostics);
  }

  /** How many diagnostics were found so far, kept or not. */
  get count(): number {
    const { errors, warnings } = this.found.total;
    return errors + warnings;
  }

  get hasErrors(): boolean {
    return this.found.hasErrors;
  }
}

/** Quotes a list of names for messages: "a", "b" and "c". */
export function quoteList(names: readonly string[], conjunction = 'and'): string {
  const quoted = names.map((n) => `"${n}"`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted[quoted.length - 1]}`;
}
