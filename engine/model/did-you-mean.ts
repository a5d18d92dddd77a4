/**
 * "Did you mean …?" for every name a plan can misspell: fields, enum values, adapters,
 * operations, groups, approvers. One implementation so all hints agree on what is "close".
 */

/**
 * Edit distance with adjacent transpositions (optimal string alignment), so `dependsOn` →
 * `dpeendsOn` costs 1, as a typo should. Stops early and returns `limit + 1` once the distance
 * is known to exceed `limit`, which keeps suggestion over long candidate lists cheap.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}

/** How many edits a name of this length may be off by and still be a plausible typo. */
function threshold(length: number): number {
  if (length <= 2) return 1;
  if (length <= 5) return 2;
  return Math.min(4, Math.floor(length * 0.4));
}

/** Lowercase, without the separators people swap freely (`depends_on`, `depends-on`, `dependsOn`). */
function fold(name: string): string {
  return name.toLowerCase().replace(/[-_\s.]/g, '');
}

/**
 * The candidate `input` most plausibly meant, or undefined when none is close enough.
 * A match ignoring case and `-`/`_` wins outright; otherwise the smallest edit distance within
 * a threshold relative to the input's length (ties go to the earlier candidate); failing that,
 * a long shared prefix (`retries` → `retry`).
 *
 * @example
 * suggest('dependOn', ['id', 'dependsOn', 'vms']); // 'dependsOn'
 * suggest('APIVersion', ['apiVersion', 'kind']);   // 'apiVersion'
 * suggest('zzz', ['id', 'vms']);                   // undefined
 */
export function suggest(input: string, candidates: Iterable<string>): string | undefined {
  const list = [...new Set(candidates)].filter((c) => c !== input);
  if (input.length === 0 || list.length === 0) return undefined;
  const folded = fold(input);
  const same = list.find((c) => fold(c) === folded);
  if (same !== undefined) return same;

  const lower = input.toLowerCase();
  const limit = threshold(input.length);
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of list) {
    const d = editDistance(lower, candidate.toLowerCase(), bestDistance - 1);
    // A one- or two-letter candidate is "close" to almost anything short; demand it be mostly right.
    if (d < bestDistance && d < Math.max(1, candidate.length)) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best !== undefined) return best;

  // Inflections the distance counts as too many edits: `retries` for `retry`, `estimates` for `estimate`.
  let bestPrefix = 0;
  for (const candidate of list) {
    const other = fold(candidate);
    let n = 0;
    while (n < folded.length && n < other.length && folded[n] === other[n]) n++;
    if (n >= 4 && n >= 0.6 * Math.min(folded.length, other.length) && n > bestPrefix) {
      best = candidate;
      bestPrefix = n;
    }
  }
  return best;
}

export interface DidYouMeanOptions {
  /** When nothing is close, list the candidates under this label, e.g. `allowed fields`. */
  alternatives?: string;
  /** At most this many candidates are listed (default 20). */
  max?: number;
}

/**
 * A hint for a name that is not one of `candidates`: `did you mean "x"?`, else (with
 * `alternatives`) the list of what is allowed, else undefined.
 *
 * @example
 * formatDidYouMean('concurency', ['id', 'concurrency']);               // 'did you mean "concurrency"?'
 * formatDidYouMean('zzz', ['id', 'vms'], { alternatives: 'allowed fields' }); // 'allowed fields: "id", "vms"'
 */
export function formatDidYouMean(input: string, candidates: Iterable<string>, options: DidYouMeanOptions = {}): string | undefined {
  const list = [...new Set(candidates)];
  const guess = suggest(input, list);
  if (guess !== undefined) return `did you mean "${guess}"?`;
  if (options.alternatives === undefined || list.length === 0) return undefined;
  return `${options.alternatives}: ${quoteNames(list, options.max ?? 20)}`;
}

/** `"a", "b", "c"` — with `and N more` past `max`. */
export function quoteNames(names: readonly string[], max = 20): string {
  const shown = names.slice(0, max).map((n) => `"${n}"`);
  const rest = names.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}
