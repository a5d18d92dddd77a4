import type { RecordData } from '../store/journal.js';

/** The bucket of every claimed principal the run's plan has no key for: none of them can ever sign. */
export const KEYLESS = '*';

/** What a refused decision is, for folding: one whose signature does not verify, or a signed statement (a replay is the same one). */
export type RefusalKind = { verified: false } | { verified: true; signature: string };

export interface RefusalGuardOptions {
  /** Refused decisions per claimed principal and run, per window, judged as they come. */
  refusalsPerWindow: number;
  windowMs: number;
  /**
   * Decisions judged per second over the allowance above, shared by every principal and run: a
   * flood past its allowance costs at most this many signature checks a second, whatever its size.
   */
  sharedPerSecond: number;
  /** Distinct signed statements refused per principal and run, per window, recorded one by one. */
  signedRecordsPerWindow: number;
  /** A fold older than this is journaled (so a run that ends soon after a flood still has it). */
  foldFlushMs: number;
}

export const DEFAULT_REFUSAL_GUARD: RefusalGuardOptions = {
  refusalsPerWindow: 20,
  windowMs: 60_000,
  sharedPerSecond: 20,
  signedRecordsPerWindow: 10,
  foldFlushMs: 10_000,
};

/** A refused request as the folded record shows it: what, which step, in whose name. */
export interface RefusedRequest {
  type: string;
  stepId: string;
  by: string;
}

/** Refusals counted instead of recorded: journaled later as one `request.refused` with `repeats`. */
export interface Fold {
  count: number;
  unchecked: number;
  from: number;
  to: number;
  last: { request: RefusedRequest; reason: string };
}

/** One claimed principal (or KEYLESS) on one run, in the current window. */
interface Slot {
  windowStart: number;
  refusals: number;
  /** Kinds recorded in full this window: 'unverified', or a signed statement's signature. */
  recorded: Set<string>;
  signedRecorded: number;
  fold: Fold | null;
}

/** Refusals folded for one principal (or KEYLESS) on one run, to be journaled as one record. */
export interface FoldedRefusals {
  runId: string;
  principal: string;
  fold: Fold;
}

/**
 * What `drplan serve` does with refused decisions, per claimed principal and run — never per
 * address: behind one address (loopback, a proxy) are all the approvers.
 *
 * - A decision whose signature verifies counts against nobody; a refused one counts against the
 *   principal it claims to be, on that run. Past `refusalsPerWindow` refusals in a window, that
 *   principal's decisions on that run are judged only while the shared budget lasts (429
 *   otherwise): a forger claiming to be alice can slow alice on that run, nobody else, and the
 *   signature checks of a flood are bounded by the budget.
 * - The first refusal of each kind (a bad signature; each distinct signed statement, up to
 *   `signedRecordsPerWindow`) is recorded in full through the normal path; the rest are counted
 *   and journaled as one record with the count, so a flood of any size adds a few records.
 *
 * Pure bookkeeping on a clock passed in; the server judges, answers and writes.
 */
export class RefusalGuard {
  private readonly slots = new Map<string, Slot & { runId: string; principal: string }>();
  private tokens: number;
  private refilledAt = 0;

  constructor(private readonly o: RefusalGuardOptions = DEFAULT_REFUSAL_GUARD) {
    this.tokens = o.sharedPerSecond;
  }

  /** May a decision in `principal`'s name on this run be judged now? False: answer 429 (it is counted). */
  admit(runId: string, principal: string, request: RefusedRequest, now: number): boolean {
    const slot = this.slot(runId, principal, now);
    if (slot.refusals < this.o.refusalsPerWindow) return true;
    if (this.takeShared(now)) return true;
    this.fold(slot, request, 'turned away unchecked: too many refused decisions in this name on this run', now, true);
    return false;
  }

  /** A decision judged here was refused: record it in full (`record`) or count it (`fold`). */
  refused(runId: string, principal: string, kind: RefusalKind, request: RefusedRequest, reason: string, now: number): 'record' | 'fold' {
    const slot = this.slot(runId, principal, now);
    slot.refusals++;
    const key = kind.verified ? kind.signature : 'unverified';
    if (!slot.recorded.has(key) && (!kind.verified || slot.signedRecorded < this.o.signedRecordsPerWindow)) {
      slot.recorded.add(key);
      if (kind.verified) slot.signedRecorded++;
      return 'record';
    }
    this.fold(slot, request, reason, now, false);
    return 'fold';
  }

  /** A refusal the normal path gave that the judgement here did not foresee (the run moved on): it counts. */
  counted(runId: string, principal: string, now: number): void {
    this.slot(runId, principal, now).refusals++;
  }

  /**
   * Folds to journal now: a run's (`runId`, before a decision moves it on), those older than
   * `foldFlushMs` or whose window closed, or all (`everything`, when the server stops).
   */
  takeFolds(now: number, which: { runId?: string; everything?: boolean } = {}): FoldedRefusals[] {
    const out: FoldedRefusals[] = [];
    for (const [key, slot] of this.slots) {
      const closed = now - slot.windowStart >= this.o.windowMs;
      const f = slot.fold;
      if (f && (which.everything || slot.runId === which.runId || closed || now - f.from >= this.o.foldFlushMs)) {
        out.push({ runId: slot.runId, principal: slot.principal, fold: f });
        slot.fold = null;
      }
      if (closed && !slot.fold) this.slots.delete(key);
    }
    return out;
  }

  /** A fold that could not be journaled yet (the run's lock is busy): kept for the next try. */
  putBack(folds: readonly FoldedRefusals[], now: number): void {
    for (const { runId, principal, fold: r } of folds) {
      const slot = this.slot(runId, principal, now);
      const f = slot.fold;
      slot.fold = f ? { count: f.count + r.count, unchecked: f.unchecked + r.unchecked, from: Math.min(f.from, r.from), to: Math.max(f.to, r.to), last: f.last } : r;
    }
  }

  get pending(): boolean {
    for (const slot of this.slots.values()) if (slot.fold) return true;
    return false;
  }

  private fold(slot: Slot, request: RefusedRequest, reason: string, now: number, unchecked: boolean): void {
    const f = slot.fold;
    if (f) {
      f.count++;
      if (unchecked) f.unchecked++;
      f.to = now;
      f.last = { request, reason };
    } else slot.fold = { count: 1, unchecked: unchecked ? 1 : 0, from: now, to: now, last: { request, reason } };
  }

  private slot(runId: string, principal: string, now: number): Slot & { runId: string; principal: string } {
    const key = `${runId}\n${principal}`;
    let slot = this.slots.get(key);
    if (slot && now - slot.windowStart >= this.o.windowMs) {
      // A new window: the allowance starts again; a fold not yet journaled carries over.
      slot = { runId, principal, windowStart: now, refusals: 0, recorded: new Set(), signedRecorded: 0, fold: slot.fold };
      this.slots.set(key, slot);
    }
    if (!slot) {
      slot = { runId, principal, windowStart: now, refusals: 0, recorded: new Set(), signedRecorded: 0, fold: null };
      this.slots.set(key, slot);
    }
    return slot;
  }

  private takeShared(now: number): boolean {
    const elapsed = Math.max(0, now - this.refilledAt);
    this.tokens = Math.min(this.o.sharedPerSecond, this.tokens + (elapsed * this.o.sharedPerSecond) / 1000);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens--;
    return true;
  }
}

/** The `request.refused` record that stands for a fold: the count, the time span, the last one's request and reason. */
export function foldedRecord({ principal, fold: f }: FoldedRefusals): RecordData['request.refused'] {
  const who = principal === KEYLESS ? 'principals without a key for this run' : principal;
  const many = f.count === 1 ? '1 more refused decision' : `${f.count} more refused decisions`;
  const unchecked = f.unchecked > 0 ? ` (${f.unchecked} of them turned away unchecked)` : '';
  return {
    request: { ...f.last.request },
    reason: `${many} in the name of ${who} from ${new Date(f.from).toISOString()} to ${new Date(f.to).toISOString()}${unchecked}, counted instead of recorded one by one; the last: ${f.last.reason}`,
    repeats: { count: f.count, unchecked: f.unchecked, from: f.from, to: f.to },
  };
}
