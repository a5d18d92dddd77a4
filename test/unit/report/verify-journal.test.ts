import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signDecision, type DecisionStatement } from '../../../engine/approvals/decision-statement.js';
import { signatureCheck, verifyJournal, type RecordCheck } from '../../../engine/report/verify-journal.js';
import type { NewRecord } from '../../../engine/store/journal.js';
import { encodeLine, GENESIS } from '../../../engine/store/journal-line.js';
import { readJournal } from '../../../engine/store/read-journal.js';

const T0 = Date.UTC(2026, 10, 23, 10, 0, 0);
const DIGEST = 'a'.repeat(64);

function started(overrides: Partial<Extract<NewRecord, { type: 'run.started' }>['data']> = {}): NewRecord {
  return {
    type: 'run.started',
    data: { runId: 'r1', plan: 'p', planFile: 'p.yaml', planDigest: DIGEST, mode: 'planned', params: {}, initiator: 'ivan', engineVersion: '0.1.0', dryRun: true, autoApprove: false, faults: [], seed: 1, simulated: true, ...overrides },
  };
}

/** Eight records, as an engine writes them: one line each, hash-chained from GENESIS. */
const RECORDS: NewRecord[] = [
  started(),
  { type: 'step.started', data: { stepId: 'a', attempt: 1, idempotencyKey: 'r1:a:1', deadline: null } },
  { type: 'step.succeeded', data: { stepId: 'a', attempt: 1, output: { ok: true } } },
  { type: 'step.started', data: { stepId: 'b', attempt: 1, idempotencyKey: 'r1:b:1', deadline: null } },
  { type: 'step.failed', data: { stepId: 'b', attempt: 1, error: 'boom', final: false } },
  { type: 'step.started', data: { stepId: 'b', attempt: 2, idempotencyKey: 'r1:b:2', deadline: null } },
  { type: 'step.succeeded', data: { stepId: 'b', attempt: 2, output: {} } },
  { type: 'run.succeeded', data: {} },
];

function journal(records: readonly NewRecord[] = RECORDS): { text: string; lines: string[]; hashes: string[] } {
  let prev = GENESIS;
  const lines: string[] = [];
  const hashes: string[] = [];
  records.forEach((r, i) => {
    const { line, hash } = encodeLine({ ...r, seq: i + 1, time: T0 + i * 1000 } as Parameters<typeof encodeLine>[0], prev);
    lines.push(line.trimEnd());
    hashes.push(hash);
    prev = hash;
  });
  return { text: lines.map((l) => l + '\n').join(''), lines, hashes };
}

const join = (lines: string[]) => lines.map((l) => l + '\n').join('');
const kinds = (v: ReturnType<typeof verifyJournal>) => v.findings.map((f) => `${f.line}:${f.severity}:${f.kind}`);

describe('verifyJournal: the hash chain, every problem reported', () => {
  it('an intact journal: no findings, every record trusted, the last hash to anchor', () => {
    const j = journal();
    const v = verifyJournal(j.text);
    expect(v).toMatchObject({ intact: true, lines: 8, trusted: 8, firstBreak: null, findings: [] });
    expect(v.lastHash).toBe(j.hashes[7]);
  });

  it('an empty journal (created, nothing written yet) is intact with no records', () => {
    expect(verifyJournal('')).toMatchObject({ intact: true, lines: 0, findings: [], lastHash: null });
  });

  it('a flipped byte in a record’s data: one finding on that line, records from it on untrusted', () => {
    const j = journal();
    j.lines[3] = j.lines[3]!.replace('"stepId":"b"', '"stepId":"c"');
    const v = verifyJournal(join(j.lines));
    expect(kinds(v)).toEqual(['4:error:hash']);
    expect(v).toMatchObject({ intact: false, trusted: 3, firstBreak: { line: 4, seq: 4 }, lastHash: null });
  });

  it('an edited hash field: the record does not match it, and the next record no longer follows it', () => {
    const j = journal();
    j.lines[3] = j.lines[3]!.replace(j.hashes[3]!, 'f'.repeat(64));
    expect(kinds(verifyJournal(join(j.lines)))).toEqual(['4:error:hash', '5:error:chain']);
  });

  it('a dropped record: named where the gap is (sequence and chain), nothing after it', () => {
    const j = journal();
    j.lines.splice(3, 1);
    const v = verifyJournal(join(j.lines));
    expect(kinds(v)).toEqual(['4:error:sequence', '4:error:chain']);
    expect(v.findings[0]!.message).toMatch(/a record is missing before it/);
    expect(v.findings[1]!.message).toMatch(/not in the file/);
    expect(v.firstBreak).toEqual({ line: 4, seq: 5 });
  });

  it('two records swapped: each says which line it really follows', () => {
    const j = journal();
    [j.lines[3], j.lines[4]] = [j.lines[4]!, j.lines[3]!];
    const v = verifyJournal(join(j.lines));
    expect(kinds(v)).toEqual(['4:error:sequence', '4:error:chain', '5:error:sequence', '5:error:chain', '6:error:chain']);
    expect(v.findings.find((f) => f.line === 4 && f.kind === 'chain')!.message).toMatch(/follows line 5 instead of line 3/);
    expect(v.findings.find((f) => f.line === 5 && f.kind === 'chain')!.message).toMatch(/follows line 3 instead of line 4/);
    expect(v.findings.find((f) => f.line === 5 && f.kind === 'sequence')!.message).toMatch(/out of order or repeated/);
    expect(v.firstBreak?.line).toBe(4);
  });

  it('a record replayed (duplicated): flagged as out of order and not following its predecessor', () => {
    const j = journal();
    j.lines.splice(5, 0, j.lines[2]!);
    expect(kinds(verifyJournal(join(j.lines)))).toEqual(['6:error:sequence', '6:error:chain', '7:error:chain']);
  });

  it('a torn last line (the engine died mid-write) is a warning; the journal is intact without it', () => {
    const j = journal();
    const text = j.text.slice(0, j.text.length - 40);
    const v = verifyJournal(text);
    expect(v.intact).toBe(true);
    expect(kinds(v)).toEqual(['8:warning:torn-tail']);
    expect(v.lines).toBe(7);
    expect(v.lastHash).toBe(j.hashes[6]);
  });

  it('a complete last record without its newline counts (its content made it to disk)', () => {
    const j = journal();
    expect(verifyJournal(j.text.slice(0, -1))).toMatchObject({ intact: true, lines: 8, findings: [] });
  });

  it('an altered last line without a newline is an error, not forgiven as torn', () => {
    const j = journal();
    j.lines[7] = j.lines[7]!.replace('"run.succeeded"', '"run.failed"');
    expect(kinds(verifyJournal(j.lines.join('\n')))).toEqual(['8:error:hash']);
  });

  it('garbage in the middle: one syntax finding; the record after it is not blamed for it', () => {
    const j = journal();
    j.lines.splice(3, 0, '{"seq": 4, oops');
    const v = verifyJournal(join(j.lines));
    expect(kinds(v)).toEqual(['4:error:syntax']);
  });

  it('an empty line, a record that is not a record, an unknown type: each named', () => {
    const j = journal();
    const v = verifyJournal(join([j.lines[0]!, '', '{"hello":1}', ...j.lines.slice(1)]));
    expect(kinds(v)).toEqual(['2:error:empty-line', '3:error:shape']);
    const unknown = journal([...RECORDS.slice(0, 2), { type: 'step.teleported', data: { stepId: 'a' } } as unknown as NewRecord]);
    expect(kinds(verifyJournal(unknown.text))).toEqual(['3:error:unknown-type']);
  });

  it('a journal must start with run.started', () => {
    const j = journal(RECORDS.slice(1));
    expect(kinds(verifyJournal(j.text))).toEqual(['1:error:first-record']);
  });

  it('a rewritten journal (every hash recomputed) passes the chain: that is what signatures are for', () => {
    const edited = RECORDS.map((r) => (r.type === 'step.failed' ? { ...r, data: { ...r.data, error: 'nothing to see' } } : r));
    expect(verifyJournal(journal(edited).text).intact).toBe(true);
  });

  it('extra checks run on every sound record, in order, and their findings count', () => {
    const seen: string[] = [];
    const check: RecordCheck = (record, line) => {
      seen.push(`${line}:${record.type}`);
      return record.type === 'step.failed' ? [{ line, severity: 'error', kind: 'signature', message: 'says the check' }] : [];
    };
    const v = verifyJournal(journal().text, { checks: [check] });
    expect(seen).toHaveLength(8);
    expect(seen[0]).toBe('1:run.started');
    expect(kinds(v)).toEqual(['5:error:signature']);
  });

  it('agrees with readJournal: intact means a run can be read from it; unreadable means broken', () => {
    const base = journal().text;
    fc.assert(
      fc.property(fc.nat({ max: base.length - 1 }), fc.integer({ min: 1, max: 255 }), fc.boolean(), (at, delta, cut) => {
        const text = cut ? base.slice(0, at) : base.slice(0, at) + String.fromCharCode((base.charCodeAt(at) + delta) % 128 || 1) + base.slice(at + 1);
        const v = verifyJournal(text);
        let readable = true;
        try {
          readJournal(text, 'journal.jsonl');
        } catch {
          readable = false;
        }
        if (v.intact) expect(readable).toBe(true);
        if (!readable) expect(v.intact).toBe(false);
      }),
      { numRuns: 400 },
    );
  });
});

describe('signatureCheck: decisions against the run and the approver’s key', () => {
  const alice = generateKeyPairSync('ed25519');
  const alicePem = alice.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const keys = new Map<string, KeyObject>([['alice', alice.publicKey]]);
  const statement = (over: Partial<DecisionStatement> = {}): DecisionStatement => ({ v: 1, runId: 'r1', stepId: 'gate', decision: 'approve', principal: 'alice', planDigest: DIGEST, time: new Date(T0).toISOString(), ...over });
  const run = (dryRun: boolean, decision: NewRecord) => journal([started({ dryRun, simulated: dryRun }), { type: 'step.waiting', data: { stepId: 'gate', kind: 'gate', deadline: null, principals: ['alice'], quorum: 1 } }, decision]).text;
  const verify = (text: string, k: ReadonlyMap<string, KeyObject> | null = keys) => {
    const s = signatureCheck(k);
    return { v: verifyJournal(text, { checks: [s.check] }), summary: s.summary() };
  };

  it('a signed approval that verifies', () => {
    const { v, summary } = verify(run(false, { type: 'gate.approved', data: { stepId: 'gate', by: 'alice', signed: signDecision(statement(), alicePem) } }));
    expect(v.findings).toEqual([]);
    expect(summary).toEqual({ verified: 1, unchecked: 0, unsigned: 0 });
  });

  it('an unsigned decision on a real run is an error; on a dry-run it is just unsigned', () => {
    expect(kinds(verify(run(false, { type: 'gate.approved', data: { stepId: 'gate', by: 'alice' } })).v)).toEqual(['3:error:signature']);
    const dry = verify(run(true, { type: 'manual.done', data: { stepId: 'gate', by: 'alice' } }));
    expect(dry.v.findings).toEqual([]);
    expect(dry.summary.unsigned).toBe(1);
  });

  it('a signature by someone else, for another run, step, decision or plan version is refused', () => {
    const other = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const cases: [NewRecord, RegExp][] = [
      [{ type: 'gate.approved', data: { stepId: 'gate', by: 'alice', signed: signDecision(statement(), other) } }, /does not verify/],
      [{ type: 'gate.approved', data: { stepId: 'gate', by: 'alice', signed: signDecision(statement({ runId: 'r0' }), alicePem) } }, /replayed/],
      [{ type: 'gate.approved', data: { stepId: 'gate', by: 'alice', signed: signDecision(statement({ stepId: 'other' }), alicePem) } }, /signed for step "other"/],
      [{ type: 'gate.rejected', data: { stepId: 'gate', by: 'alice', signed: signDecision(statement(), alicePem) } }, /signed decision is "approve", not "reject"/],
      [{ type: 'gate.approved', data: { stepId: 'gate', by: 'alice', signed: signDecision(statement({ planDigest: 'b'.repeat(64) }), alicePem) } }, /another version of the plan/],
      [{ type: 'gate.approved', data: { stepId: 'gate', by: 'bob', signed: signDecision(statement(), alicePem) } }, /signed by alice but submitted as bob/],
    ];
    for (const [record, message] of cases) {
      const { v } = verify(run(false, record));
      expect(kinds(v)).toEqual(['3:error:signature']);
      expect(v.findings[0]!.message).toMatch(message);
    }
  });

  it('a simulated decision counts only in a dry-run started with --auto-approve (it used to pass on a real run)', () => {
    const simulated: NewRecord = { type: 'gate.approved', data: { stepId: 'gate', by: 'auto-approve', simulated: true } };
    const real = verify(run(false, simulated)).v;
    expect(kinds(real)).toEqual(['3:error:signature']);
    expect(real.findings[0]!.message).toMatch(/marked simulated, and this is a real run/);
    const text = journal([started({ dryRun: true, simulated: true, autoApprove: true }), simulated]).text;
    expect(verify(text)).toMatchObject({ v: { findings: [] }, summary: { unsigned: 1 } });
    expect(kinds(verify(run(true, simulated)).v)).toEqual(['3:error:signature']);
  });

  it('a signed decision by a principal without a key among the plan’s keys is an error, as it is refused live', () => {
    const { v } = verify(run(false, { type: 'gate.approved', data: { stepId: 'gate', by: 'alice', signed: signDecision(statement(), alicePem) } }), new Map());
    expect(kinds(v)).toEqual(['3:error:signature']);
    expect(v.findings[0]!.message).toMatch(/no public key for alice/);
  });

  it('a signature whose key is not available is a warning (cannot be checked), not a break', () => {
    const { v, summary } = verify(run(false, { type: 'gate.approved', data: { stepId: 'gate', by: 'alice', signed: signDecision(statement(), alicePem) } }), null);
    expect(v.intact).toBe(true);
    expect(kinds(v)).toEqual(['3:warning:signature']);
    expect(summary.unchecked).toBe(1);
  });
});
