import type { Diagnostic, Severity } from './diagnostic.js';

/**
 * Most diagnostics kept, and printed, for one plan file. The rest are counted, never dropped
 * silently: output ends with "… and M more", and the summary counts every one.
 *
 * Why 1,000: the largest honest counts come from one mistake repeated over a big plan (a bad
 * VM name pattern in a 10,000-VM plan gives 10,000 of the same kind), and its first thousand
 * show what it is as well as all of them would. Printed with code frames, 1,000 diagnostics are
 * about 5,000 lines (some 300 KB): enough to read, scroll back through or keep in a CI log.
 * A broken or hostile 4 MiB file can produce millions (one per "]" line); collecting those
 * would cost gigabytes and printing them hours.
 */
export const MAX_DIAGNOSTICS_PER_FILE = 1_000;

/** How many diagnostics of each severity. */
export interface DiagnosticCounts {
  errors: number;
  warnings: number;
}

interface Entry {
  diagnostic: Diagnostic;
  /** Arrival order: the tie-breaker, so equal positions keep the order they were found in. */
  seq: number;
}

/**
 * Collects the diagnostics of one file with bounded memory: it keeps the first `limit` in
 * reading order, errors before warnings (a file with 5,000 warnings and one error shows the
 * error), and counts all of them by severity.
 *
 * The kept ones sit in a max-heap whose root is the one to let go first (the latest warning,
 * or the latest error when there are no warnings), so each diagnostic costs O(log limit)
 * however many arrive, in whatever order.
 *
 * @example
 * const found = new DiagnosticCollector();
 * for (const d of problems) found.add(d);
 * found.list();     // at most 1,000, by line and column
 * found.omitted;    // { errors: 298999, warnings: 0 }
 */
export class DiagnosticCollector {
  private readonly heap: Entry[] = [];
  private seq = 0;
  private readonly counts: DiagnosticCounts = { errors: 0, warnings: 0 };
  private readonly dropped: DiagnosticCounts = { errors: 0, warnings: 0 };

  constructor(readonly limit: number = MAX_DIAGNOSTICS_PER_FILE) {}

  /**
   * Whether a diagnostic of this severity and place would be kept if it were added now. Lets a
   * producer of many skip building messages that would be let go at once; it must still
   * count what it skips, with {@link countOmitted}.
   */
  wouldKeep(severity: Severity, line: number, col: number): boolean {
    const root = this.heap[0];
    if (this.heap.length < this.limit || !root) return this.limit > 0;
    return compareKeys(rank(severity), line, col, Number.POSITIVE_INFINITY, root) < 0;
  }

  add(diagnostic: Diagnostic): void {
    this.count(diagnostic.severity, 1);
    const entry: Entry = { diagnostic, seq: this.seq++ };
    if (this.heap.length < this.limit) {
      this.heap.push(entry);
      this.siftUp(this.heap.length - 1);
      return;
    }
    const root = this.heap[0];
    if (!root || compare(entry, root) >= 0) {
      this.omit(diagnostic.severity, 1);
      return;
    }
    this.omit(root.diagnostic.severity, 1);
    this.heap[0] = entry;
    this.siftDown(0);
  }

  addAll(diagnostics: Iterable<Diagnostic>): void {
    for (const d of diagnostics) this.add(d);
  }

  /** Counts diagnostics that were found but never built (see {@link wouldKeep}). */
  countOmitted(severity: Severity, n = 1): void {
    this.count(severity, n);
    this.omit(severity, n);
  }

  /** Adds counts of diagnostics another collector (or yaml's own cap) let go. */
  addOmitted(counts: DiagnosticCounts): void {
    this.countOmitted('error', counts.errors);
    this.countOmitted('warning', counts.warnings);
  }

  /** Every diagnostic found, kept or not. */
  get total(): DiagnosticCounts {
    return { ...this.counts };
  }

  /** The diagnostics found but not kept. */
  get omitted(): DiagnosticCounts {
    return { ...this.dropped };
  }

  get hasErrors(): boolean {
    return this.counts.errors > 0;
  }

  /** The kept diagnostics by line, then column, then the order they were found in. */
  list(): Diagnostic[] {
    return [...this.heap]
      .sort((a, b) => a.diagnostic.line - b.diagnostic.line || a.diagnostic.col - b.diagnostic.col || a.seq - b.seq)
      .map((e) => e.diagnostic);
  }

  /** What a stage returns: the kept list, and `omitted` only when something was left out. */
  result(): { diagnostics: Diagnostic[]; omitted?: DiagnosticCounts } {
    const omitted = this.omitted;
    return { diagnostics: this.list(), ...(omitted.errors + omitted.warnings > 0 ? { omitted } : {}) };
  }

  private count(severity: Severity, n: number): void {
    if (severity === 'error') this.counts.errors += n;
    else this.counts.warnings += n;
  }

  private omit(severity: Severity, n: number): void {
    if (severity === 'error') this.dropped.errors += n;
    else this.dropped.warnings += n;
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (compare(heap[i]!, heap[parent]!) <= 0) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let largest = i;
      if (left < heap.length && compare(heap[left]!, heap[largest]!) > 0) largest = left;
      if (right < heap.length && compare(heap[right]!, heap[largest]!) > 0) largest = right;
      if (largest === i) return;
      [heap[i], heap[largest]] = [heap[largest]!, heap[i]!];
      i = largest;
    }
  }
}

/** No counts: what a file with nothing left out reports. */
export const NOTHING_OMITTED: Readonly<DiagnosticCounts> = Object.freeze({ errors: 0, warnings: 0 });

/** Sums counts (of several stages or files). */
export function addCounts(a: DiagnosticCounts, b: DiagnosticCounts): DiagnosticCounts {
  return { errors: a.errors + b.errors, warnings: a.warnings + b.warnings };
}

function rank(severity: Severity): number {
  return severity === 'error' ? 0 : 1;
}

/** Order of keeping: errors first, then by position, then by arrival. Positive: `a` goes first. */
function compare(a: Entry, b: Entry): number {
  return compareKeys(rank(a.diagnostic.severity), a.diagnostic.line, a.diagnostic.col, a.seq, b);
}

function compareKeys(severityRank: number, line: number, col: number, seq: number, b: Entry): number {
  const d = b.diagnostic;
  return severityRank - rank(d.severity) || line - d.line || col - d.col || seq - b.seq;
}
