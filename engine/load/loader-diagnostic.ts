import type { Diagnostic, DiagnosticCode, Position, Severity } from '../model/diagnostic.js';

export interface LoaderDiagnosticOptions {
  severity?: Severity;
  hint?: string;
  /** JSON pointer of the node concerned, when there is one ('' otherwise). */
  pointer?: string;
}

/** A loader diagnostic at a located range; errors unless said otherwise. */
export function createLoaderDiagnostic(
  file: string,
  code: DiagnosticCode,
  at: Position,
  message: string,
  options: LoaderDiagnosticOptions = {},
): Diagnostic {
  return {
    code,
    severity: options.severity ?? 'error',
    file,
    line: at.line,
    col: at.col,
    endLine: at.endLine,
    endCol: at.endCol,
    pointer: options.pointer ?? '',
    message,
    ...(options.hint ? { hint: options.hint } : {}),
  };
}

/** 1234567 -> "1,234,567"; absurd alias expansions read as "more than 10^15". */
export function formatCount(n: number): string {
  if (!Number.isFinite(n) || n >= 1e15) return 'more than 10^15';
  return Math.round(n).toLocaleString('en-US');
}
