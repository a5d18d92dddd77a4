import { LineCounter } from 'yaml';
import type { Position } from '../model/diagnostic.js';

/**
 * Offsets to 1-based line and column for one text. Lines end at "\n" only, as in yaml's lexer
 * (a "\r" before it stays on the line it ends), so our positions and yaml's structure agree.
 * Columns count UTF-16 code units, as editors following LSP do.
 */
export class TextPositions {
  private readonly counter = new LineCounter();

  constructor(private readonly text: string) {
    // Filled here rather than by the parser so positions exist even for text we never parse
    // (too deep, or refused before parsing) and the table is complete whatever yaml stops at.
    this.counter.addNewLine(0);
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', nl + 1)) this.counter.addNewLine(nl + 1);
  }

  /** Line and column of an offset (clamped into the text). */
  pointAt(offset: number): { line: number; col: number } {
    const at = Math.max(0, Math.min(offset, this.text.length));
    return this.counter.linePos(at);
  }

  /**
   * The range [start, end) as a Position whose end is exclusive. Trailing whitespace and line
   * breaks are left out, since yaml's node ranges run on to the next token and a caret under
   * a blank line helps nobody. `trim: false` keeps them (to point at a stray tab).
   */
  rangeAt(start: number, end: number, trim = true): Position {
    let stop = Math.max(start, Math.min(end, this.text.length));
    while (trim && stop > start && isTrailingSpace(this.text.charCodeAt(stop - 1))) stop--;
    const from = this.pointAt(start);
    const to = this.pointAt(stop);
    return { line: from.line, col: from.col, endLine: to.line, endCol: to.col };
  }
}

function isTrailingSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** Line and column just after `prefix`, for positions in text that was never fully decoded. */
export function pointAfter(prefix: string): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let nl = prefix.indexOf('\n'); nl !== -1; nl = prefix.indexOf('\n', nl + 1)) {
    line++;
    lineStart = nl + 1;
  }
  return { line, col: prefix.length - lineStart + 1 };
}
