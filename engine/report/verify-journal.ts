import type { KeyObject } from 'node:crypto';
import { verifyDecision } from '../approvals/decision-statement.js';
import { RECORD_TYPES, type JournalRecord } from '../store/journal.js';
import { GENESIS, hashRecord, type LineProblem } from '../store/journal-line.js';

/**
 * `drplan verify`: checks a journal's hash chain record by record and reports every problem,
 * not just the first (reading a journal to run it stops at the first; an auditor wants the
 * whole picture). Each line is checked against the line before it *as stored*, so one altered
 * record is one finding instead of an avalanche, and a reordered or removed record is named
 * where it happened. Pure: text in, findings out.
 */

export type FindingKind = LineProblem['kind'] | 'empty-line' | 'first-record' | 'torn-tail' | 'signature';

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
}

/**
 * An extra check on each structurally sound record, beyond the chain: approval signatures
 * ({@link signatureCheck}) plug in here, and so can later checks, with no change to the chain logic.
 */
export type RecordCheck = (record: JournalRecord, line: number) => VerifyFinding[];

export interface VerifyOptions {
  checks?: readonly RecordCheck[];
}

const KNOWN = new Set<string>(RECORD_TYPES);

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
  }

  const firstError = findings.find((f) => f.severity === 'error');
  const firstBreak = firstError ? { line: firstError.line, seq: seqAt(text, firstError.line) } : null;
  return {
    intact: !firstError,
    lines,
    trusted: firstError ? firstError.line - 1 : lines,
    firstBreak,
    findings: findings.sort((a, b) => a.line - b.line),
    lastHash: firstError ? null : lines === 0 ? null : lastHash,
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

const DECISION_OF = { 'gate.approved': 'approve', 'gate.rejected': 'reject', 'manual.done': 'done' } as const;

export interface SignatureSummary {
  /** Decisions whose signature verified against the principal's public key. */
  verified: number;
  /** Decisions that could not be checked (no key for the principal). */
  unchecked: number;
  /** Dry-run decisions made without a key, and `--auto-approve` ones: nothing to check. */
  unsigned: number;
}

/**
 * Checks the signed statement of every decision (gate approvals and rejections, manual steps
 * done) against the run it is recorded in and the principal's public key. The hash chain shows
 * the journal was not edited in place; a signature shows the person decided, even if someone
 * rewrote the whole journal. Stateful: it reads the run's id and plan digest from `run.started`,
 * so hand it the records in order (as {@link verifyJournal} does).
 *
 * @param keys public keys by principal (the plan's approver keys), or null when they cannot be found.
 */
export function signatureCheck(keys: ReadonlyMap<string, KeyObject> | null): { check: RecordCheck; summary: () => SignatureSummary } {
  const summary: SignatureSummary = { verified: 0, unchecked: 0, unsigned: 0 };
  let run: { runId: string; planDigest: string; dryRun: boolean } | null = null;
  const check: RecordCheck = (record, line) => {
    if (record.type === 'run.started') {
      run = { runId: record.data.runId, planDigest: record.data.planDigest, dryRun: record.data.dryRun };
      return [];
    }
    if (record.type !== 'gate.approved' && record.type !== 'gate.rejected' && record.type !== 'manual.done') return [];
    const data = record.data;
    const fail = (message: string): VerifyFinding[] => [{ line, severity: 'error', kind: 'signature', message }];
    if ('simulated' in data && data.simulated) {
      summary.unsigned++;
      return [];
    }
    if (!data.signed) {
      summary.unsigned++;
      return run?.dryRun === false ? fail(`is a ${record.type} by ${data.by} without a signature, on a real run (which accepts signed decisions only)`) : [];
    }
    const s = data.signed.statement;
    const expected = DECISION_OF[record.type];
    const mismatch =
      s.principal !== data.by
        ? `is signed by ${s.principal} but recorded as by ${data.by}`
        : s.stepId !== data.stepId
          ? `carries a decision signed for step "${s.stepId}", not "${data.stepId}"`
          : s.decision !== expected
            ? `carries a signed "${s.decision}" where "${expected}" was recorded`
            : run && s.runId !== run.runId
              ? `carries a decision signed for run ${s.runId}, not this run (${run.runId}): replayed`
              : run && s.planDigest !== run.planDigest
                ? `carries a decision signed against another version of the plan (${s.planDigest.slice(0, 12)}…)`
                : null;
    if (mismatch) return fail(mismatch);
    const key = keys?.get(s.principal);
    if (!key) {
      summary.unchecked++;
      return [{ line, severity: 'warning', kind: 'signature', message: `has a signature by ${s.principal} that cannot be checked: no public key for ${s.principal} among the plan's approver keys` }];
    }
    if (!verifyDecision(data.signed, key)) return fail(`has a signature that does not verify with ${s.principal}'s public key (forged, altered, or signed with another key)`);
    summary.verified++;
    return [];
  };
  return { check, summary: () => ({ ...summary }) };
}
