/**
 * Who took the run when 2–3 `drplan resume` raced on a stale lock: read from the journal (even a
 * broken one) and from what each racer said.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ProcessOutcome } from './torture-process.js';

/** What a resume that found the lock held by a live engine says. */
export const REFUSED = /is being driven by another drplan/;

/**
 * The journal's `run.resumed` records — pid → when it was written — read line by line without
 * checking the chain: who took the run is worth knowing most when two engines broke the journal.
 */
export function resumedPids(file: string): Map<number, number> {
  const pids = new Map<number, number>();
  if (!existsSync(file)) return pids;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.includes('"run.resumed"')) continue;
    try {
      const r = JSON.parse(line) as { type?: string; time?: unknown; data?: { pid?: unknown } };
      if (r.type === 'run.resumed' && typeof r.data?.pid === 'number') pids.set(r.data.pid, typeof r.time === 'number' ? r.time : 0);
    } catch {
      // a torn line
    }
  }
  return pids;
}

/**
 * Racers that held the run at the same time: two or more announced taking over the lock of the
 * same dead engine and were not refused it — each journaled `run.resumed`, or (when two engines
 * write at once a record can be lost) was killed, or exited 0 or 3, without a refusal. When their
 * records are there, the later must have been written while the earlier engine still ran. Two
 * winners one after the other are fine: the second came after the first stopped, found its lock
 * gone or stale, and then named the first engine, not the one both found dead.
 */
export function doubleDrivers(racers: readonly ProcessOutcome[], resumed: ReadonlyMap<number, number>): ProcessOutcome[] {
  const held = (o: ProcessOutcome) => resumed.has(o.pid) || (!REFUSED.test(o.stderr) && (o.killed || o.hungUp || o.code === 0 || o.code === 3));
  const byDeadPid = new Map<string, ProcessOutcome[]>();
  for (const o of racers) {
    const dead = /taking over the lock of pid (\d+) /.exec(o.stderr)?.[1];
    if (dead && held(o)) byDeadPid.set(dead, [...(byDeadPid.get(dead) ?? []), o]);
  }
  const found = new Set<ProcessOutcome>();
  for (const tookOver of byDeadPid.values()) {
    if (tookOver.length < 2) continue;
    if (tookOver.some((o) => !resumed.has(o.pid))) {
      tookOver.forEach((o) => found.add(o));
      continue;
    }
    tookOver.sort((a, b) => resumed.get(a.pid)! - resumed.get(b.pid)!);
    for (let i = 1; i < tookOver.length; i++) {
      const earlier = tookOver[i - 1]!;
      const later = tookOver[i]!;
      if (resumed.get(later.pid)! < earlier.endedAt) found.add(earlier).add(later);
    }
  }
  return [...found];
}
