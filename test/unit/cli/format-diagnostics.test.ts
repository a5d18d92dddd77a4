/**
 * Printing diagnostics (engine/cli/format-diagnostics.ts): code frames, and the cost of them.
 *
 * Regression (issue 11, item 9): a valid 2.9 MB plan with 200,000 labels took 8-16 s to
 * validate once it had warnings, because every code frame split the whole file into lines:
 * printing grew with warnings × file size (1,000 warnings: 18 s of CPU instead of 2.9 s). The
 * work is counted here, not timed: the whole text is scanned the same number of times whether
 * 10 or 1,000 diagnostics are printed.
 */
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, formatOmitted, writeDiagnostics } from '../../../engine/cli/format-diagnostics.js';
import { paint } from '../../../engine/cli/io.js';
import type { Diagnostic } from '../../../engine/model/diagnostic.js';

const p = paint(false);
const at = (line: number, col = 5, width = 1): Diagnostic => ({
  code: 'YAML_SYNTAX',
  severity: 'warning',
  file: 'labels.yaml',
  line,
  col,
  endLine: line,
  endCol: col + width,
  pointer: '',
  message: `problem on line ${line}`,
  hint: 'a hint',
});

/** Calls of `methods` on strings as long as `text`, while `run` runs (a count of whole-text scans). */
function countScans(text: string, methods: ('split' | 'indexOf' | 'lastIndexOf' | 'match' | 'replace')[], run: () => void): number {
  let calls = 0;
  const originals = methods.map((m) => [m, String.prototype[m]] as const);
  for (const [m, original] of originals) {
    (String.prototype as unknown as Record<string, unknown>)[m] = function (this: string, ...args: unknown[]) {
      if (this.length === text.length) calls++;
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
  }
  try {
    run();
  } finally {
    for (const [m, original] of originals) (String.prototype as unknown as Record<string, unknown>)[m] = original;
  }
  return calls;
}

describe('formatDiagnostic', () => {
  it('prints the line with a caret under the range, lines ending at \\n (a \\r before it is not shown)', () => {
    const text = 'a: 1\r\nkey:  value\r\nlast';
    expect(formatDiagnostic(at(2, 7, 5), text, p)).toBe(
      ['labels.yaml:2:7 warning YAML_SYNTAX problem on line 2', '  2 | key:  value', '    |       ^^^^^', '  hint: a hint'].join('\n'),
    );
    expect(formatDiagnostic(at(3, 1, 9), text, p).split('\n').slice(1, 3)).toEqual(['  3 | last', '    | ^^^^']);
  });

  it('leaves out the frame of a line longer than 500 characters, and of a line past the end', () => {
    const text = `short\n${'x'.repeat(3_000_000)}\n`;
    expect(formatDiagnostic(at(2, 1), text, p)).toBe('labels.yaml:2:1 warning YAML_SYNTAX problem on line 2\n  hint: a hint');
    expect(formatDiagnostic(at(9, 1), text, p)).toBe('labels.yaml:9:1 warning YAML_SYNTAX problem on line 9\n  hint: a hint');
  });

  it('shortens a message that quotes a megabyte of the plan', () => {
    const d = { ...at(1), message: `key "${'k'.repeat(1_000_000)}" is already defined` };
    const printed = formatDiagnostic(d, 'a: 1\n', p);
    expect(printed.length).toBeLessThan(1_200);
    expect(printed).toContain('… (999,'); // "… (999,NNN more characters)"
  });

  it('writeDiagnostics scans the whole text once per file, not once per diagnostic', () => {
    const lines = (last: string) => Array.from({ length: 200_000 }, (_, i) => `    l${i}: x`).join('\n') + `\n${last}\n`;
    const first = lines('a');
    const second = lines('b'); // another file of the same length
    const print = (text: string, count: number) => () =>
      writeDiagnostics(() => {}, Array.from({ length: count }, (_, i) => at(i + 1)), text, p);
    const methods = ['split', 'indexOf', 'lastIndexOf', 'match', 'replace'] as const;
    const few = countScans(first, [...methods], print(first, 10));
    const many = countScans(second, [...methods], print(second, 1_000));
    expect(many).toBe(few);
  });
});

describe('writeDiagnostics', () => {
  it('prints each diagnostic and a blank line, then the line saying how many more there are', () => {
    const out: string[] = [];
    writeDiagnostics((s) => out.push(s), [at(1)], 'a: 1\n', p, { file: 'labels.yaml', counts: { errors: 0, warnings: 5 } });
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^labels\.yaml:1:5 warning .*\n\n$/s);
    expect(out[1]).toMatch(/^… and 5 more in labels\.yaml \(0 errors, 5 warnings\)/);
    out.length = 0;
    writeDiagnostics((s) => out.push(s), [at(1)], 'a: 1\n', p, { file: 'labels.yaml', counts: { errors: 0, warnings: 0 } });
    expect(out).toHaveLength(1);
  });
});

describe('formatOmitted', () => {
  it('says how many more, of which severity, and why they are not shown', () => {
    expect(formatOmitted('x.yaml', { errors: 299_000, warnings: 1 }, p)).toBe(
      '… and 299,001 more in x.yaml (299,000 errors, 1 warning): only the first 1,000 problems of a file are shown, errors first; fix these and run again',
    );
  });
});
