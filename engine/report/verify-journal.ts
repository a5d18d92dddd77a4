import type { KeyObject } from 'node:crypto';
import type { ExecutionPlan } from '../model/execution.js';
import { DecisionReplay } from '../run/replay-decisions.js';
import { RECORD_TYPES, type JournalRecord } from '../store/journal.js';
import { GENESIS, hashRecord, type LineProblem } from '../store/journal-line.js';
import { checkHeads, type HeadAnchor } from '../store/run-head.js';

/**
 * `drplan verify`: checks a journal's hash chain record by record and reports every problem,
 * not just the first (reading a journal to run it stops at the first; an auditor wants the
 * whole picture). Each line is checked against the line before it *as stored*, so one altered
 * record is one finding instead of an avalanche, and a reordered or removed record is named
 * where it happened. Pure: text in, findings out.
 */

export type FindingKind = LineProblem['kind'] | 'empty-line' | 'first-record' | 'torn-tail' | 'signature' | 'gate';

export interface VerifyFinding {
  /** 1-based line of journal.jsonl. */
  line: number;
  severity: 'error' | 'warning';
  kind: FindingKind;
  message: string;
}

export interface JournalVerification {
  /** No errors (warnings, like a torn last line, allowed). */
  intact: boolean;
  /** Lines that hold a record (or were meant to). */
  lines: number;
  /** Records before the first break: the part of the journal that can be trusted. */
  trusted: number;
  /** The first line with an error; every record from it on cannot be trusted. */
  firstBreak: { line: number; seq: number | null } | null;
  findings: VerifyFinding[];
  /** Hash of the last record when intact: what an external anchor (a signed log, a ticket) can pin. */
  lastHash: string | null;
  /**
   * The last record is the run's terminal record (run.succeeded, run.failed, run.cancelled). A
   * journal without one belongs to a run that has not ended — still running or waiting, or stopped
   * by a crash — or had its end cut off, which only a recorded head can tell.
   */
  finished: boolean;
}

/**
 * An extra check on each structurally sound record, beyond the chain: approval signatures
 * ({@link signatureCheck}) plug in here, and so can later checks, with no change to the chain logic.
 */
export type RecordCheck = (record: JournalRecord, line: number) => VerifyFinding[];

export interface VerifyOptions {
  checks?: readonly RecordCheck[];
  /**
   * Heads recorded for the run outside its journal (engine/store/run-head.ts): a journal that ends
   * before one was cut, one with another record at its sequence number was rewritten.
   */
  heads?: readonly HeadAnchor[];
}

const KNOWN = new Set<string>(RECORD_TYPES);
const TERMINAL = new Set<string>(['run.succeeded', 'run.failed', 'run.cancelled']);

interface Stored {
  seq?: unknown;
  time?: unknown;
  type?: unknown;
  data?: unknown;
  prev?: unknown;
  hash?: unknown;
}

/**
 * @example
 * const v = verifyJournal(readFileSync(store.journalFile(runId), 'utf8'));
 * if (!v.intact) console.log(`broken at journal.jsonl:${v.firstBreak?.line}`);
 */
export function verifyJournal(text: string, options: VerifyOptions = {}): JournalVerification {
  const findings: VerifyFinding[] = [];
  const hashLines = lineOfHash(text);
  // What the next line must chain to and be numbered as; null after a line too broken to tell.
  let prev: string | null = GENESIS;
  let maxSeq: number | null = 0;
  let lines = 0;
  let lastHash: string | null = GENESIS;
  let lastType: string | null = null;
  const hashOfSeq = new Map<number, string>();
  const error = (line: number, kind: FindingKind, message: string) => findings.push({ line, severity: 'error', kind, message });

  let offset = 0;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    const raw = end === -1 ? text.slice(offset) : text.slice(offset, end);
    offset = end === -1 ? text.length : end + 1;
    const lineNo = ++lines;

    if (raw.trim() === '') {
      error(lineNo, 'empty-line', 'is empty where a record was expected');
      continue;
    }
    let parsed: Stored;
    try {
      parsed = JSON.parse(raw) as Stored;
    } catch {
      if (end === -1) {
        findings.push({ line: lineNo, severity: 'warning', kind: 'torn-tail', message: `is incomplete (${Buffer.byteLength(raw)} bytes): drplan stopped while writing it; it is not part of the run and is dropped when the run is opened again` });
        lines--;
        break;
      }
      error(lineNo, 'syntax', 'is not valid JSON');
      prev = null;
      maxSeq = null;
      continue;
    }
    const r = parsed;
    const shaped = r !== null && typeof r === 'object' && typeof r.seq === 'number' && typeof r.time === 'number' && typeof r.type === 'string' && typeof r.prev === 'string' && typeof r.hash === 'string' && typeof r.data === 'object' && r.data !== null;
    if (!shaped) {
      error(lineNo, 'shape', 'is not a journal record (seq, time, type, data, prev, hash)');
      prev = r && typeof r === 'object' && typeof r.hash === 'string' ? r.hash : null;
      maxSeq = r && typeof r === 'object' && typeof r.seq === 'number' ? Math.max(maxSeq ?? 0, r.seq) : null;
      continue;
    }
    const seq = r.seq as number;
    const type = r.type as string;
    const storedPrev = r.prev as string;
    const storedHash = r.hash as string;
    const before = findings.length;

    if (!KNOWN.has(type)) error(lineNo, 'unknown-type', `has unknown record type "${type}" (written by a newer drplan, or forged)`);
    if (maxSeq !== null && seq !== maxSeq + 1) {
      error(
        lineNo,
        'sequence',
        seq > maxSeq + 1
          ? `has sequence number ${seq} where ${maxSeq + 1} was expected: ${seq - maxSeq - 1 === 1 ? 'a record is' : `${seq - maxSeq - 1} records are`} missing before it`
          : `has sequence number ${seq} after ${maxSeq}: it is out of order or repeated`,
      );
    }
    if (prev !== null && storedPrev !== prev) {
      const follows = hashLines.get(storedPrev);
      const where =
        follows !== undefined && follows !== lineNo
          ? `it follows line ${follows} instead of line ${lineNo - 1} (records were reordered, removed or inserted)`
          : storedPrev === GENESIS
            ? 'it claims to be the first record'
            : 'it follows a record that is not in the file (removed?)';
      error(lineNo, 'chain', `does not follow the record before it: ${where}`);
    }
    if (hashRecord(storedPrev, { seq, time: r.time as number, type, data: r.data }) !== storedHash) {
      error(lineNo, 'hash', 'was altered after it was written (its hash does not match its content)');
    }
    if (lineNo === 1 && type !== 'run.started' && KNOWN.has(type)) error(lineNo, 'first-record', `is a ${type} record; a journal starts with run.started`);
    if (findings.length === before && KNOWN.has(type)) {
      const record = { seq, time: r.time, type, data: r.data } as JournalRecord;
      for (const check of options.checks ?? []) findings.push(...check(record, lineNo));
    }
    prev = storedHash;
    maxSeq = Math.max(maxSeq ?? 0, seq);
    lastHash = storedHash;
    lastType = type;
    if (!hashOfSeq.has(seq)) hashOfSeq.set(seq, storedHash);
  }

  const cut = checkHeads(lines, (seq) => hashOfSeq.get(seq), options.heads ?? []);
  if (cut) error(cut.line, cut.problem.kind, cut.problem.message);

  const firstError = findings.find((f) => f.severity === 'error');
  const firstBreak = firstError ? { line: firstError.line, seq: seqAt(text, firstError.line) } : null;
  return {
    intact: !firstError,
    lines,
    trusted: firstError ? firstError.line - 1 : lines,
    firstBreak,
    findings: findings.sort((a, b) => a.line - b.line),
    lastHash: firstError ? null : lines === 0 ? null : lastHash,
    finished: lastType !== null && TERMINAL.has(lastType),
  };
}

/** Line of each stored hash, so a record that follows another line can name it, ahead or behind. */
function lineOfHash(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  text.split('\n').forEach((raw, i) => {
    try {
      const hash = (JSON.parse(raw) as Stored | null)?.hash;
      if (typeof hash === 'string' && !lines.has(hash)) lines.set(hash, i + 1);
    } catch {
      // not a record: nothing can follow it by hash
    }
  });
  return lines;
}

/** The sequence number a line claims, if it can be read. */
function seqAt(text: string, line: number): number | null {
  const raw = text.split('\n')[line - 1];
  try {
    const seq = (JSON.parse(raw ?? '') as Stored)?.seq;
    return typeof seq === 'number' ? seq : null;
  } catch {
    return null;
  }
}

export interface SignatureSummary {
  /** Decisions whose signature verified against the principal's public key. */
  verified: number;
  /** Decisions that could not be checked (the plan's keys could not be located). */
  unchecked: number;
  /** Dry-run decisions made without a key, and `--auto-approve` ones: nothing to check. */
  unsigned: number;
}

/**
 * Judges every decision (gate approvals and rejections, manual steps done) exactly as the engine
 * judged it when it arrived and as `drplan resume` judges it again (engine/run/replay-decisions.ts):
 * the signature against the principal's key, what it is bound to (run, step, decision, plan
 * version), its time, the principal against the gate (initiator, duplicates, deadline), and a
 * simulated or unsigned decision only in a dry-run. The engine's records about gates and manual
 * steps (waits, timeouts, successes) must follow from the decisions that count. The hash chain
 * shows the journal was not edited in place; this shows the people decided, even if someone
 * rewrote the whole journal. Stateful: hand it the records in order (as {@link verifyJournal} does).
 *
 * @param keys public keys by principal (the plan's approver keys), or null when they cannot be
 *   found: signatures are then reported as not checkable (a warning), not as verified.
 * @param exec the plan as the run resolves it, or null when it is unavailable (the rules that need
 *   the plan — who may decide a gate, quorum, deadlines — are then not checked).
 */
export function signatureCheck(keys: ReadonlyMap<string, KeyObject> | null, exec: ExecutionPlan | null = null): { check: RecordCheck; summary: () => SignatureSummary } {
  const summary: SignatureSummary = { verified: 0, unchecked: 0, unsigned: 0 };
  const replay = new DecisionReplay({ exec, keys });
  const check: RecordCheck = (record, line) => {
    const verdict = replay.next(record);
    const decision = record.type === 'gate.approved' || record.type === 'gate.rejected' || record.type === 'manual.done';
    if (!verdict.counts) return [{ line, severity: 'error', kind: decision ? 'signature' : 'gate', message: verdict.reason }];
    if (verdict.decision === 'verified') summary.verified++;
    else if (verdict.decision === 'unsigned' || verdict.decision === 'simulated') summary.unsigned++;
    else if (verdict.decision === 'unchecked') {
      summary.unchecked++;
      const by = 'by' in record.data ? record.data.by : '?';
      return [{ line, severity: 'warning', kind: 'signature', message: `has a signature by ${by} that cannot be checked: the plan's approver keys could not be found` }];
    }
    return [];
  };
  return { check, summary: () => ({ ...summary }) };
}
