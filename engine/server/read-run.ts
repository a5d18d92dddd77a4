import type { KeyObject } from 'node:crypto';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { approverKeysDir, loadPublicKeys } from '../approvals/keys.js';
import { loadRunPlan } from '../app/load-run-plan.js';
import type { ExecutionPlan } from '../model/execution.js';
import { replayJournal, type UntrustedRecord } from '../run/replay-decisions.js';
import { RunHistory } from '../run/run-history.js';
import type { FileStore } from '../store/file-store.js';
import type { JournalRecord, RecordData } from '../store/journal.js';
import { planPathRedactor, type Redact } from './hide-paths.js';
import { drivingEngine, type LockHolder } from '../store/run-lock.js';

/** A run as the server shows it: its records, its state, and its plan when that can still be read. */
export interface ServedRun {
  runId: string;
  records: readonly JournalRecord[];
  history: RunHistory;
  exec: ExecutionPlan | null;
  /** Public keys of the plan's approvers (`spec.approverKeys`, default `approvers/` beside the plan). */
  keys: ReadonlyMap<string, KeyObject>;
  /** Why `exec` is null: the page then shows the run from its journal alone, and cannot take decisions. */
  planUnavailable: string | null;
  /** Set when the plan file no longer has the digest recorded at start (decisions still sign the recorded one). */
  planChanged: { previousDigest: string; digest: string } | null;
  /** The engine driving the run (holding its lock), if any: decisions then reach it at once. */
  engine: LockHolder | null;
  /** Records that do not count when the journal is replayed (engine/run/replay-decisions.ts); `history` leaves them out. */
  untrusted: UntrustedRecord[];
}

interface PlanEntry {
  stamp: string;
  exec: ExecutionPlan;
  keysDir: string;
  changed: ServedRun['planChanged'];
}

/**
 * Reads runs without taking their lock (an engine may be driving them). Resolving a plan again
 * means reading, validating and resolving its file; the result is kept per run until the plan
 * file changes, so a page that refreshes on every journal record stays cheap. Keys are read
 * every time: a key just committed (or revoked) counts at once.
 */
export class RunReader {
  private readonly plans = new Map<string, PlanEntry>();

  constructor(
    readonly store: FileStore,
    /** Where relative plan paths recorded at start are taken from. */
    private readonly cwd: string,
    /** Why a plan cannot be read is shown on the page: without the server's paths. */
    private readonly redact: Redact = (text) => text,
  ) {}

  read(runId: string): ServedRun {
    const records = this.store.read(runId).records;
    const started = RunHistory.of(records.slice(0, 1)).started;
    const engine = (at: RunHistory) => (at.ended ? null : engineOf(this.store.runDir(runId)));
    // Decisions count as they would on resume: a forged one is never shown as an approval.
    const replayed = (exec: ExecutionPlan | null, keys: ReadonlyMap<string, KeyObject> | null) => replayJournal(records, { exec, keys });
    if (!started) {
      const { history, untrusted } = replayed(null, null);
      return { runId, records, history, exec: null, keys: new Map(), planUnavailable: 'the journal has no start record', planChanged: null, engine: engine(history), untrusted };
    }
    try {
      const plan = this.plan(runId, started);
      if (typeof plan === 'string') return this.withoutPlan(runId, records, started, plan);
      const { history, untrusted } = replayed(plan.exec, plan.keys);
      return { runId, records, history, exec: plan.exec, keys: plan.keys, planUnavailable: null, planChanged: plan.changed, engine: engine(history), untrusted };
    } catch (error) {
      return this.withoutPlan(runId, records, started, `the plan could not be read again (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  /** The run from its journal alone, saying why its plan cannot be had (without the server's paths). */
  private withoutPlan(runId: string, records: readonly JournalRecord[], started: RecordData['run.started'], why: string): ServedRun {
    const hide = planPathRedactor(started.planPath, started.planFile, this.redact);
    const { history, untrusted } = replayJournal(records, { exec: null, keys: null });
    const engine = history.ended ? null : engineOf(this.store.runDir(runId));
    return { runId, records, history, exec: null, keys: new Map(), planUnavailable: hide(why), planChanged: null, engine, untrusted };
  }

  /** The run's plan and its approvers' keys, or why the plan cannot be had again. */
  private plan(runId: string, started: RecordData['run.started']): { exec: ExecutionPlan; keys: ReadonlyMap<string, KeyObject>; changed: ServedRun['planChanged'] } | string {
    const cached = this.plans.get(runId);
    let entry: PlanEntry;
    if (cached && started.planPath && cached.stamp === stampOf(started.planPath)) entry = cached;
    else {
      // The plan's own diagnostics belong to `drplan validate`, not to a web page.
      const loaded = loadRunPlan(this.cwd, started);
      if (loaded.outcome === 'refused') return loaded.message;
      const { exec, checked, changed } = loaded;
      entry = { stamp: stampOf(checked.path), exec, keysDir: approverKeysDir(dirname(checked.path), exec.plan.approverKeys), changed };
      this.plans.set(runId, entry);
    }
    return { exec: entry.exec, keys: loadPublicKeys(entry.keysDir).keys, changed: entry.changed };
  }
}

/** The holder of the run's lock, unless it is a process of this host that is gone. */
function engineOf(runDir: string): LockHolder | null {
  return drivingEngine(join(runDir, 'lock'));
}

function stampOf(planPath: string): string {
  try {
    const s = statSync(planPath);
    return `${s.mtimeMs}:${s.size}:${s.ino}`;
  } catch {
    return '-';
  }
}
