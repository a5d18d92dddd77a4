// Helpers shared by the benchmark modules (not a benchmark itself: no `.bench.js` suffix).

/** Milliseconds since an arbitrary origin, with sub-millisecond resolution. */
export function nowMs() {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** The median of a list of numbers. */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The nearest-rank percentile (with 10 samples, p95 is the slowest run). */
export function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** Peak resident set size of this process so far, in MB (MiB). */
export function peakRssMb() {
  return process.resourceUsage().maxRSS / 1024;
}

/** Runs `fn` `runs` times and returns the wall times in ms. */
export async function timeRuns(runs, fn) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = nowMs();
    await fn(i);
    times.push(nowMs() - start);
  }
  return times;
}
