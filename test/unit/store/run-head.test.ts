/**
 * The journal's head kept outside it (engine/store/run-head.ts): a hash chain cannot tell a journal
 * whose last lines were cut off from one that simply stopped — every prefix of a chain is a chain.
 * The file store records the head (head.json when a journal is let go of, an index line when the
 * run ends), only ever naming durable records, so a cut is damage and a crash is not.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyJournal } from '../../../engine/report/verify-journal.js';
import { FileStore } from '../../../engine/store/file-store.js';
import type { NewRecord } from '../../../engine/store/journal.js';
import { encodeLine, GENESIS } from '../../../engine/store/journal-line.js';
import { JournalDamageError, readJournal } from '../../../engine/store/read-journal.js';
import { readHolder } from '../../../engine/store/run-lock.js';
import { checkHeads, type HeadAnchor } from '../../../engine/store/run-head.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const started = (runId: string): NewRecord => ({
  type: 'run.started',
  data: { runId, plan: 'p', planFile: 'p.yaml', planDigest: 'd', mode: 'planned', params: {}, initiator: 'tester', engineVersion: 'test', dryRun: true, autoApprove: false, faults: [], simulated: true },
});
const stepStarted = (stepId: string): NewRecord => ({ type: 'step.started', data: { stepId, attempt: 1, idempotencyKey: `r:${stepId}:1`, deadline: null } });
const stepSucceeded = (stepId: string): NewRecord => ({ type: 'step.succeeded', data: { stepId, attempt: 1, output: {} } });

let dir = '';
let store: FileStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'drplan-head-'));
  store = new FileStore(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const journalFile = (runId = 'r1') => join(dir, 'runs', runId, 'journal.jsonl');
const headFile = (runId = 'r1') => join(dir, 'runs', runId, 'head.json');
const lines = (text: string) => text.split('\n').slice(0, -1);
const cutLines = (file: string, n: number) => writeFileSync(file, lines(readFileSync(file, 'utf8')).slice(0, -n).map((l) => l + '\n').join(''));

/** A run of `steps` steps that ends (`run.succeeded`), or stops waiting, written and closed by the store. */
async function runOf(steps: number, end: boolean): Promise<void> {
  const j = await store.create('r1');
  await j.append([started('r1')], T0);
  for (let i = 0; i < steps; i++) await j.append([stepStarted(`s${i}`), stepSucceeded(`s${i}`)], T0 + i);
  if (end) await j.append([{ type: 'run.succeeded', data: {} }], T0 + steps);
  await j.close();
}

describe('the file store records the head of a journal', () => {
  it('in head.json when the journal is let go of, and in the index when the run ends: the terminal record’s seq and hash', async () => {
    await runOf(2, true);
    const read = readJournal(readFileSync(journalFile(), 'utf8'), journalFile());
    expect(JSON.parse(readFileSync(headFile(), 'utf8'))).toEqual({ seq: 6, hash: read.lastHash });
    const index = lines(readFileSync(join(dir, 'index.jsonl'), 'utf8')).map((l) => JSON.parse(l) as { runId: string; head?: unknown });
    expect(index.at(-1)).toMatchObject({ runId: 'r1', plan: 'p', mode: 'planned', head: { seq: 6, hash: read.lastHash } });
    expect(store.heads('r1').map((h) => h.seq)).toEqual([6, 6]);
    // The index still lists the run once, with its plan.
    expect(await store.list()).toEqual([expect.objectContaining({ runId: 'r1', plan: 'p', mode: 'planned' })]);
  });

  it('a journal cut by one or two lines is damage on open and on read, naming the missing line and the recorded head', async () => {
    await runOf(2, true);
    const hash = readJournal(readFileSync(journalFile(), 'utf8'), journalFile()).lastHash;
    for (const n of [1, 2]) {
      const before = readFileSync(journalFile(), 'utf8');
      cutLines(journalFile(), n);
      const cut = readFileSync(journalFile(), 'utf8');
      const error = await store.open('r1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JournalDamageError);
      expect((error as JournalDamageError).line).toBe(7 - n);
      expect((error as Error).message).toContain(`${journalFile()}:${7 - n}: journal record is missing: the journal ends at record ${6 - n}, but its head recorded in`);
      expect((error as Error).message).toContain(`is record 6 (hash ${hash.slice(0, 16)}…)`);
      expect(() => store.read('r1')).toThrow(JournalDamageError);
      // Left as it is, and nobody holds it.
      expect(readFileSync(journalFile(), 'utf8')).toBe(cut);
      expect(readHolder(join(dir, 'runs', 'r1', 'lock'))).toBeNull();
      writeFileSync(journalFile(), before);
    }
  });

  it('a cut with head.json removed too is still seen by open, through the index line the end wrote', async () => {
    await runOf(1, true);
    cutLines(journalFile(), 1);
    unlinkSync(headFile());
    await expect(store.open('r1')).rejects.toThrow(/journal record is missing: the journal ends at record 3, but its head recorded in .*index\.jsonl is record 4/);
  });

  it('a journal rewritten up to its head (same length, another last record) is damage', async () => {
    await runOf(1, true);
    const text = readFileSync(journalFile(), 'utf8');
    const read = readJournal(text, journalFile());
    const kept = lines(text).slice(0, -1).map((l) => l + '\n').join('');
    const { line } = encodeLine({ type: 'run.failed', data: { error: 'never happened' }, seq: 4, time: T0 + 9 }, read.hashes[2]!);
    writeFileSync(journalFile(), kept + line);
    await expect(store.open('r1')).rejects.toThrow(/:4: journal record is not the record the run's head recorded in .* names/);
  });

  it('a crash leaves the head behind the journal, never ahead: a journal longer than its head opens, and appending moves the head on', async () => {
    await runOf(1, false);
    expect(JSON.parse(readFileSync(headFile(), 'utf8'))).toMatchObject({ seq: 3 });
    // An engine appends and dies without closing (SIGKILL): head.json still names record 3.
    const j = await store.open('r1');
    await j.append([stepStarted('s9')], T0 + 9);
    expect(JSON.parse(readFileSync(headFile(), 'utf8'))).toMatchObject({ seq: 3 });
    expect(store.read('r1').records).toHaveLength(4);
    expect(verifyJournal(readFileSync(journalFile(), 'utf8'), { heads: store.heads('r1') })).toMatchObject({ intact: true, finished: false });
    await j.close();
    expect(JSON.parse(readFileSync(headFile(), 'utf8'))).toMatchObject({ seq: 4 });
    expect(() => store.read('r1')).not.toThrow();
  });

  it('a journal only read is not re-anchored (an old run without a head stays as it was)', async () => {
    await runOf(1, false);
    unlinkSync(headFile());
    const j = await store.open('r1');
    await j.close();
    expect(existsSync(headFile())).toBe(false);
  });

  it('head.json is replaced whole: an unreadable one is no anchor (and no error)', async () => {
    await runOf(1, false);
    writeFileSync(headFile(), '{"seq": 9');
    expect(store.heads('r1')).toEqual([]);
    expect(() => store.read('r1')).not.toThrow();
  });
});

describe('verifyJournal against the recorded heads', () => {
  /** n records chained from GENESIS, the last `run.succeeded` when `end`. */
  function chain(n: number, end: boolean): { text: string; hashes: string[] } {
    let prev = GENESIS;
    const out: string[] = [];
    const hashes: string[] = [];
    for (let i = 1; i <= n; i++) {
      const r: NewRecord = i === 1 ? started('r1') : i === n && end ? { type: 'run.succeeded', data: {} } : stepStarted(`s${i}`);
      const { line, hash } = encodeLine({ ...r, seq: i, time: T0 + i } as Parameters<typeof encodeLine>[0], prev);
      out.push(line);
      hashes.push(hash);
      prev = hash;
    }
    return { text: out.join(''), hashes };
  }

  it('a finished journal cut by its last lines: an error at the first missing line with the expected seq and hash', () => {
    const j = chain(8, true);
    const head: HeadAnchor = { seq: 8, hash: j.hashes[7]!, source: 'runs/r1/head.json' };
    expect(verifyJournal(j.text, { heads: [head] })).toMatchObject({ intact: true, finished: true, findings: [] });
    for (const n of [1, 2]) {
      const cut = lines(j.text).slice(0, -n).map((l) => l + '\n').join('');
      const v = verifyJournal(cut, { heads: [head] });
      expect(v.intact).toBe(false);
      expect(v.finished).toBe(false);
      expect(v.findings).toEqual([
        { line: 9 - n, severity: 'error', kind: 'cut', message: expect.stringContaining(`the journal ends at record ${8 - n}, but its head recorded in runs/r1/head.json is record 8 (hash ${j.hashes[7]!.slice(0, 16)}…)`) },
      ]);
      // Without a recorded head the same cut reads as a run that has not ended: not intact-and-finished.
      expect(verifyJournal(cut)).toMatchObject({ intact: true, finished: false });
    }
  });

  it('an unfinished journal (no terminal record) is intact but not finished', () => {
    const j = chain(5, false);
    expect(verifyJournal(j.text, { heads: [{ seq: 3, hash: j.hashes[2]!, source: 'h' }] })).toMatchObject({ intact: true, finished: false, findings: [] });
  });

  it('any prefix at least as long as the head is intact; any shorter one is a cut (the head never blames a crash)', () => {
    const j = chain(12, true);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 12 }), (headSeq, keep) => {
        const text = lines(j.text).slice(0, keep).map((l) => l + '\n').join('');
        const v = verifyJournal(text, { heads: [{ seq: headSeq, hash: j.hashes[headSeq - 1]!, source: 'h' }] });
        expect(v.intact).toBe(keep >= headSeq);
        if (keep < headSeq) expect(v.findings.map((f) => f.kind)).toEqual(['cut']);
        expect(checkHeads(keep, (seq) => j.hashes[seq - 1], [{ seq: headSeq, hash: j.hashes[headSeq - 1]!, source: 'h' }]) === null).toBe(keep >= headSeq);
      }),
      { numRuns: 300 },
    );
  });
});
