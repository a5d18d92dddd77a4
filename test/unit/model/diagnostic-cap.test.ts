/**
 * The per-file cap on diagnostics: whatever arrives, in whatever order, the collector keeps
 * exactly what sorting everything and cutting would keep (errors first, then by position), in
 * reading order, and counts the rest by severity.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic, Severity } from '../../../engine/model/diagnostic.js';
import { DiagnosticCollector, MAX_DIAGNOSTICS_PER_FILE } from '../../../engine/model/diagnostic-cap.js';

const diagnostic = (severity: Severity, line: number, col: number, message = `${line}:${col}`): Diagnostic => ({
  code: 'YAML_SYNTAX',
  severity,
  file: 'f.yaml',
  line,
  col,
  pointer: '',
  message,
});

/** What the collector must keep: sort all (errors first, by position, by arrival), cut, show by position. */
function oracle(all: Diagnostic[], limit: number): Diagnostic[] {
  const rank = (d: Diagnostic) => (d.severity === 'error' ? 0 : 1);
  const indexed = all.map((d, i) => ({ d, i }));
  const kept = indexed.sort((a, b) => rank(a.d) - rank(b.d) || a.d.line - b.d.line || a.d.col - b.d.col || a.i - b.i).slice(0, limit);
  return kept.sort((a, b) => a.d.line - b.d.line || a.d.col - b.d.col || a.i - b.i).map((k) => k.d);
}

describe('DiagnosticCollector', () => {
  it('keeps everything under the cap, in reading order', () => {
    const found = new DiagnosticCollector(5);
    found.addAll([diagnostic('warning', 3, 1), diagnostic('error', 1, 4), diagnostic('error', 1, 2)]);
    expect(found.list().map((d) => d.message)).toEqual(['1:2', '1:4', '3:1']);
    expect(found.total).toEqual({ errors: 2, warnings: 1 });
    expect(found.omitted).toEqual({ errors: 0, warnings: 0 });
    expect(found.result()).toEqual({ diagnostics: found.list() });
  });

  it('keeps the first 1,000 of 300,000 and counts the rest', () => {
    const found = new DiagnosticCollector();
    for (let line = 300_000; line >= 1; line--) found.add(diagnostic('error', line, 1));
    const kept = found.list();
    expect(kept).toHaveLength(MAX_DIAGNOSTICS_PER_FILE);
    expect(kept[0]!.line).toBe(1);
    expect(kept[kept.length - 1]!.line).toBe(1_000);
    expect(found.omitted).toEqual({ errors: 299_000, warnings: 0 });
    expect(found.result().omitted).toEqual({ errors: 299_000, warnings: 0 });
  });

  it('keeps an error that comes after a thousand warnings', () => {
    const found = new DiagnosticCollector(1_000);
    for (let line = 1; line <= 5_000; line++) found.add(diagnostic('warning', line, 1));
    found.add(diagnostic('error', 9_999, 1));
    const kept = found.list();
    expect(kept).toHaveLength(1_000);
    expect(kept[kept.length - 1]).toMatchObject({ severity: 'error', line: 9_999 });
    expect(found.omitted).toEqual({ errors: 0, warnings: 4_001 });
    expect(found.hasErrors).toBe(true);
  });

  it('says in advance whether a diagnostic would be kept, and counts the ones never built', () => {
    const found = new DiagnosticCollector(2);
    found.add(diagnostic('error', 5, 1));
    found.add(diagnostic('error', 7, 1));
    expect(found.wouldKeep('error', 6, 1)).toBe(true);
    expect(found.wouldKeep('error', 7, 1)).toBe(false); // same place, later: the first stays
    expect(found.wouldKeep('warning', 1, 1)).toBe(false);
    found.countOmitted('warning', 3);
    found.addOmitted({ errors: 2, warnings: 1 });
    expect(found.total).toEqual({ errors: 4, warnings: 4 });
    expect(found.omitted).toEqual({ errors: 2, warnings: 4 });
  });

  it('keeps exactly what sorting everything would keep (fast-check)', () => {
    const arbitrary = fc.record({
      limit: fc.integer({ min: 0, max: 12 }),
      all: fc.array(
        fc.record({ severity: fc.constantFrom<Severity>('error', 'warning'), line: fc.integer({ min: 1, max: 6 }), col: fc.integer({ min: 1, max: 3 }) }),
        { maxLength: 60 },
      ),
    });
    fc.assert(
      fc.property(arbitrary, ({ limit, all }) => {
        const diagnostics = all.map((d, i) => diagnostic(d.severity, d.line, d.col, String(i)));
        const found = new DiagnosticCollector(limit);
        for (const d of diagnostics) {
          const predicted = found.wouldKeep(d.severity, d.line, d.col);
          const before = found.omitted;
          found.add(d);
          const after = found.omitted;
          // wouldKeep is right: a diagnostic it rejects is the one let go.
          if (!predicted) expect(after.errors + after.warnings).toBe(before.errors + before.warnings + 1);
        }
        expect(found.list()).toEqual(oracle(diagnostics, limit));
        const errors = diagnostics.filter((d) => d.severity === 'error').length;
        expect(found.total).toEqual({ errors, warnings: diagnostics.length - errors });
        const omitted = found.omitted;
        expect(omitted.errors + omitted.warnings).toBe(Math.max(0, diagnostics.length - limit));
      }),
      { numRuns: 300 },
    );
  });
});
