import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileStore, NoSuchRunError } from '../../../engine/store/file-store.js';
import type { NewRecord, RunJournal } from '../../../engine/store/journal.js';
import { encodeLine, GENESIS } from '../../../engine/store/journal-line.js';
import { JournalDamageError, readJournal } from '../../../engine/store/read-journal.js';
import { acquireRunLock, readHolder, RunLockedError, RunLockLostError } from '../../../engine/store/run-lock.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

const started = (runId: string, plan = 'p', startedAt = T0): NewRecord => ({
  type: 'run.started',
  data: {
    runId,
    plan,
    planFile: 'p.yaml',
    planDigest: 'd',
    mode: 'planned',
    params: {},
    initiator: 'tester',
    engineVersion: 'test',
    dryRun: true,
    autoApprove: false,
    faults: [],
    simulated: true,
  },
});
const stepStarted = (stepId: string, attempt = 1): NewRecord => ({ type: 'step.started', data: { stepId, attempt, idempotencyKey: `r:${stepId}:${attempt}`, deadline: null } });

let dir = '';
let warnings: string[] = [];
let store: FileStore;
const open_: RunJournal[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'drplan-store-'));
  warnings = [];
  store = new FileStore(dir, { warn: (m) => warnings.push(m) });
});
afterEach(async () => {
  vi.restoreAllMocks();
  for (const j of open_.splice(0)) await j.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

async function create(runId: string): Promise<RunJournal> {
  const j = await store.create(runId);
  open_.push(j);
  return j;
}

async function reopen(runId: string): Promise<RunJournal> {
  const j = await store.open(runId);
  open_.push(j);
  return j;
}

/** The prototype of fs/promises FileHandle, to count what FileJournal asks of the disk. */
async function fileHandlePrototype(): Promise<Record<string, (...args: unknown[]) => unknown>> {
  const probe = join(dir, 'probe');
  writeFileSync(probe, '');
  const handle = await open(probe, 'r');
  const proto = Object.getPrototypeOf(handle) as Record<string, (...args: unknown[]) => unknown>;
  await handle.close();
  return proto;
}

describe('FileStore group commit', () => {
  it('gives 256 concurrent appends gapless sequence numbers in call order, one hash chain, and far fewer fsyncs than appends', async () => {
    const proto = await fileHandlePrototype();
    const datasync = vi.spyOn(proto, 'datasync');
    const write = vi.spyOn(proto, 'write');
    const journal = await create('r1');
    await journal.append([started('r1')], T0);
    datasync.mockClear();
    write.mockClear();

    const N = 256;
    const results = await Promise.all(Array.from({ length: N }, (_, i) => journal.append([stepStarted(`s${i}`)], T0 + i)));
    // Each append got the seq it was called in order; none lost, none doubled.
    expect(results.map((r) => r[0]!.seq)).toEqual(Array.from({ length: N }, (_, i) => i + 2));
    expect(journal.records().map((r) => r.seq)).toEqual(Array.from({ length: N + 1 }, (_, i) => i + 1));
    // Appends that arrived while a write+fsync was in flight went out together.
    expect(datasync.mock.calls.length).toBeGreaterThan(0);
    expect(datasync.mock.calls.length).toBeLessThan(N / 4);
    expect(write.mock.calls.length).toBe(datasync.mock.calls.length);

    // On disk: one chain that verifies, records equal to what append returned.
    const file = join(dir, 'runs', 'r1', 'journal.jsonl');
    const read = readJournal(readFileSync(file, 'utf8'), file);
    expect(read.tornTail).toBeUndefined();
    expect(read.records).toEqual(journal.records());
  });

  it('keeps a multi-record append contiguous among concurrent ones', async () => {
    const journal = await create('r1');
    await journal.append([started('r1')], T0);
    const batches = await Promise.all(
      Array.from({ length: 40 }, (_, i) => journal.append(i % 3 === 0 ? [stepStarted(`a${i}`), stepStarted(`b${i}`), stepStarted(`c${i}`)] : [stepStarted(`x${i}`)], T0)),
    );
    for (const batch of batches) {
      for (let k = 1; k < batch.length; k++) expect(batch[k]!.seq).toBe(batch[k - 1]!.seq + 1);
    }
    const file = join(dir, 'runs', 'r1', 'journal.jsonl');
    expect(readJournal(readFileSync(file, 'utf8'), file).records).toHaveLength(1 + 40 + 2 * 14);
  });

  it('resolves an append only after its fsync', async () => {
    const proto = await fileHandlePrototype();
    const order: string[] = [];
    const original = proto.datasync!;
    vi.spyOn(proto, 'datasync').mockImplementation(async function (this: unknown) {
      order.push('fsync');
      return original.call(this);
    });
    const journal = await create('r1');
    await journal.append([started('r1')], T0).then(() => order.push('resolved'));
    expect(order).toEqual(['fsync', 'resolved']);
  });

  it('refuses every append after a failed write: the end of the file is unknown', async () => {
    const proto = await fileHandlePrototype();
    const journal = await create('r1');
    await journal.append([started('r1')], T0);
    vi.spyOn(proto, 'write').mockRejectedValueOnce(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
    const [a, b] = await Promise.allSettled([journal.append([stepStarted('s1')], T0), journal.append([stepStarted('s2')], T0)]);
    expect(a.status).toBe('rejected');
    expect(b.status).toBe('rejected');
    await expect(journal.append([stepStarted('s3')], T0)).rejects.toThrow(/ENOSPC/);
    expect(journal.records()).toHaveLength(1);
    const file = join(dir, 'runs', 'r1', 'journal.jsonl');
    expect(readJournal(readFileSync(file, 'utf8'), file).records).toHaveLength(1);
  });
});

describe('FileStore torn tail', () => {
  async function journalWith(n: number): Promise<string> {
    const journal = await store.create('r1');
    await journal.append([started('r1')], T0);
    for (let i = 2; i <= n; i++) await journal.append([stepStarted(`s${i}`)], T0 + i);
    await journal.close();
    return join(dir, 'runs', 'r1', 'journal.jsonl');
  }

  it('drops a last line cut mid-record, with a warning naming journal.jsonl:<line>, and chains on from the record before', async () => {
    const file = await journalWith(3);
    const good = readFileSync(file, 'utf8');
    const { line } = encodeLine({ ...stepStarted('s4'), seq: 4, time: T0 }, readJournal(good, file).lastHash);
    appendFileSync(file, line.slice(0, 37));

    const journal = await reopen('r1');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${file}:4:`);
    expect(warnings[0]).toMatch(/only partly written \(37 bytes\).*dropped/);
    expect(readFileSync(file, 'utf8')).toBe(good);
    expect(journal.records()).toHaveLength(3);
    const [again] = await journal.append([stepStarted('s4-again')], T0);
    expect(again!.seq).toBe(4);
    await journal.close();
    const read = readJournal(readFileSync(file, 'utf8'), file);
    expect(read.records.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(read.tornTail).toBeUndefined();
  });

  it('keeps a complete last record whose newline is missing, and adds the newline', async () => {
    const file = await journalWith(3);
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, -1));
    const journal = await reopen('r1');
    expect(warnings).toEqual([]);
    expect(journal.records()).toHaveLength(3);
    await journal.append([stepStarted('s4')], T0);
    await journal.close();
    expect(readJournal(readFileSync(file, 'utf8'), file).records).toHaveLength(4);
  });

  it('refuses to open a journal damaged before its last line, leaves it byte-identical and releases the lock', async () => {
    const file = await journalWith(4);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[1] = lines[1]!.replace('"s2"', '"s9"');
    const damaged = lines.join('\n');
    writeFileSync(file, damaged);
    await expect(store.open('r1')).rejects.toThrow(JournalDamageError);
    await expect(store.open('r1')).rejects.toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: journal record was altered`));
    expect(readFileSync(file, 'utf8')).toBe(damaged);
    expect(readHolder(join(dir, 'runs', 'r1', 'lock'))).toBeNull();
  });
});

describe('FileStore run lock', () => {
  const lockFile = () => join(dir, 'runs', 'r1', 'lock');
  /** A lock as an older drplan wrote it: one file naming pid and host. */
  const writeLegacyLock = (holder: object) => {
    rmSync(lockFile(), { recursive: true, force: true });
    writeFileSync(lockFile(), JSON.stringify(holder) + '\n');
  };
  async function startedRun(): Promise<void> {
    const journal = await store.create('r1');
    await journal.append([started('r1')], T0);
    await journal.close();
  }

  it('is held by the engine that created or opened the run, naming its pid, host, boot and start time, and released on close', async () => {
    const journal = await store.create('r1');
    await journal.append([started('r1')], T0);
    expect(readHolder(lockFile())).toMatchObject({ pid: process.pid, host: hostname(), epoch: 1 });
    if (existsSync('/proc/self/stat')) expect(readHolder(lockFile())).toMatchObject({ boot: expect.any(String), start: expect.any(Number) });
    const refused = await store.open('r1').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RunLockedError);
    expect((refused as Error).message).toContain(`pid ${process.pid} on ${hostname()}`);
    await journal.close();
    expect(readHolder(lockFile())).toBeNull();
    const again = await reopen('r1');
    expect(again.records()).toHaveLength(1);
    // Every change of holder raises the epoch: created (1), released (2), opened again (3).
    expect(readHolder(lockFile())).toMatchObject({ pid: process.pid, epoch: 3 });
  });

  it('takes over the lock file of a dead process written by an older drplan, and says so', async () => {
    await startedRun();
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeLegacyLock({ pid: dead, host: hostname(), since: '2026-01-01T00:00:00Z' });
    const taken = await reopen('r1');
    expect(warnings).toEqual([`run r1: taking over the lock of pid ${dead} on ${hostname()}, which is no longer running`]);
    expect(readHolder(lockFile())).toMatchObject({ pid: process.pid });
    expect(taken.records()).toHaveLength(1);
  });

  it('refuses a lock held on another host, even by a pid that does not exist here', async () => {
    await startedRun();
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeLegacyLock({ pid: dead, host: 'elsewhere.example', since: '2026-01-01T00:00:00Z' });
    const refused = await store.open('r1').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RunLockedError);
    expect((refused as Error).message).toContain(`pid ${dead} on elsewhere.example`);
    expect((refused as Error).message).toContain(`remove ${lockFile()}`);
    expect(warnings).toEqual([]);
  });

  it('does not release a lock that another engine took over meanwhile', async () => {
    const journal = await store.create('r1');
    const other = { pid: process.ppid, host: hostname(), since: 'now', epoch: 2, token: 'other' };
    writeFileSync(join(lockFile(), '2'), JSON.stringify(other) + '\n');
    await journal.close();
    expect(readHolder(lockFile())).toEqual({ pid: process.ppid, host: hostname(), since: 'now', epoch: 2 });
  });
});

describe('FileStore run lock: who holds it', () => {
  const lockDir = () => join(dir, 'runs', 'r1', 'lock');
  const procStart = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19]);
  const bootId = () => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  /** A lock record as an engine leaves it, on top of the run's epochs. */
  const writeHolder = (holder: object) => writeFileSync(join(lockDir(), '9'), JSON.stringify({ host: hostname(), since: '2026-01-01T00:00:00Z', epoch: 9, token: 't', ...holder }) + '\n');
  let sleeper: ChildProcess | null = null;

  beforeEach(async () => {
    const journal = await store.create('r1');
    await journal.append([started('r1')], T0);
    await journal.close();
    warnings = [];
  });
  afterEach(() => {
    sleeper?.kill('SIGKILL');
    sleeper = null;
  });
  function liveProcess(): number {
    sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    return sleeper.pid!;
  }

  // The pid-reuse hole: an engine dies, its pid goes to some other process, and the lock looked
  // alive for as long as that process ran.
  it.skipIf(!existsSync('/proc/self/stat'))('takes over a lock whose pid is alive but is another process (it started at another time)', async () => {
    const pid = liveProcess();
    writeHolder({ pid, boot: bootId(), start: procStart(pid) - 1 });
    const taken = await reopen('r1');
    expect(warnings).toEqual([`run r1: taking over the lock of pid ${pid} on ${hostname()}, which is no longer running`]);
    expect(readHolder(lockDir())).toMatchObject({ pid: process.pid, epoch: 10 });
    expect(taken.records()).toHaveLength(1);
  });

  it.skipIf(!existsSync('/proc/self/stat'))('refuses a lock whose process still runs (same pid, same start time, same boot)', async () => {
    const pid = liveProcess();
    writeHolder({ pid, boot: bootId(), start: procStart(pid) });
    await expect(store.open('r1')).rejects.toThrow(RunLockedError);
    expect(warnings).toEqual([]);
  });

  it('takes over a lock written before the host last booted, whatever runs under its pid now', async () => {
    writeHolder({ pid: process.pid, boot: 'another-boot', start: 1 });
    if (existsSync('/proc/sys/kernel/random/boot_id')) {
      await reopen('r1');
      expect(readHolder(lockDir())).toMatchObject({ pid: process.pid, epoch: 10 });
    } else {
      await expect(store.open('r1')).rejects.toThrow(RunLockedError);
    }
  });
});

describe('FileStore fence: an engine that no longer holds its run cannot write to it', () => {
  const lockDir = () => join(dir, 'runs', 'r1', 'lock');
  const file = () => join(dir, 'runs', 'r1', 'journal.jsonl');

  it('refuses every append once another engine has taken the run over (the next epoch exists)', async () => {
    const journal = await create('r1');
    await journal.append([started('r1')], T0);
    const before = readFileSync(file(), 'utf8');
    // What a takeover leaves: the next epoch, naming another engine.
    const other = { pid: process.ppid, host: hostname(), since: '2026-01-01T00:00:00Z', epoch: 2, token: 'other' };
    writeFileSync(join(lockDir(), '2'), JSON.stringify(other) + '\n');
    const refused = await journal.append([stepStarted('s1')], T0).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RunLockLostError);
    expect((refused as Error).message).toContain(`no longer holds the run: pid ${process.ppid} on ${hostname()} took it over (epoch 2`);
    await expect(journal.append([stepStarted('s2')], T0)).rejects.toThrow(RunLockLostError);
    expect(readFileSync(file(), 'utf8')).toBe(before);
    expect(journal.records()).toHaveLength(1);
    // Closing does not release what is no longer its own.
    await journal.close();
    expect(readHolder(lockDir())).toMatchObject({ pid: process.ppid, epoch: 2 });
  });

  it('refuses every append once its lock was removed by hand and another engine took the run', async () => {
    const journal = await create('r1');
    await journal.append([started('r1')], T0);
    const before = readFileSync(file(), 'utf8');
    rmSync(lockDir(), { recursive: true, force: true });
    const other = acquireRunLock(lockDir(), 'r1', () => {});
    await expect(journal.append([stepStarted('s1')], T0)).rejects.toThrow(/no longer holds the run/);
    expect(readFileSync(file(), 'utf8')).toBe(before);
    other.release();
  });

  it('a concurrent batch refused by the fence leaves nothing on disk, and nothing after it is written', async () => {
    const journal = await create('r1');
    await journal.append([started('r1')], T0);
    const before = readFileSync(file(), 'utf8');
    writeFileSync(join(lockDir(), '2'), JSON.stringify({ pid: process.ppid, host: hostname(), since: 'now', epoch: 2, token: 'x' }) + '\n');
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => journal.append([stepStarted(`s${i}`)], T0)));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(readFileSync(file(), 'utf8')).toBe(before);
  });
});

describe('FileStore create, open, list', () => {
  it('makes no journal file until the first append is durable, then one holding exactly that append', async () => {
    const j = await create('r1');
    const file = join(dir, 'runs', 'r1', 'journal.jsonl');
    expect(existsSync(file)).toBe(false);
    expect(store.exists('r1')).toBe(false);
    expect(await store.list()).toEqual([]);
    await j.append([started('r1')], T0);
    expect(readJournal(readFileSync(file, 'utf8'), file).records.map((r) => r.type)).toEqual(['run.started']);
    expect(existsSync(`${file}.new`)).toBe(false);
    await j.append([stepStarted('s1')], T0);
    expect(readJournal(readFileSync(file, 'utf8'), file).records).toHaveLength(2);
  });

  it('lists a run whose journal an older drplan left empty (never started), and discards only such a run', async () => {
    const j = await create('started');
    await j.append([started('started')], T0);
    await j.close();
    mkdirSync(join(dir, 'runs', 'empty'));
    writeFileSync(join(dir, 'runs', 'empty', 'journal.jsonl'), '');
    expect((await store.list()).map((r) => [r.runId, r.plan])).toContainEqual(['empty', '?']);
    expect(await store.discardNeverStarted('started')).toEqual({ discarded: false, records: 1 });
    expect(await store.discardNeverStarted('empty')).toEqual({ discarded: true });
    expect(existsSync(join(dir, 'runs', 'empty'))).toBe(false);
    expect((await store.list()).map((r) => r.runId)).toEqual(['started']);
  });

  it('never reuses a run id', async () => {
    const j = await create('r1');
    await j.close();
    await expect(store.create('r1')).rejects.toThrow(/EEXIST/);
  });

  it('names the state directory when a run does not exist, and refuses ids that are not plain names', async () => {
    await expect(store.open('nope')).rejects.toThrow(NoSuchRunError);
    await expect(store.open('nope')).rejects.toThrow(dir);
    expect(() => store.runDir('../escape')).toThrow(NoSuchRunError);
  });

  it('lists runs newest first, including runs whose index line was lost', async () => {
    for (const [i, id] of ['a', 'b', 'c'].entries()) {
      const j = await store.create(id);
      await j.append([started(id, `plan-${id}`)], T0 + i * 1000);
      await j.close();
    }
    const full = await store.list();
    expect(full.map((r) => r.runId)).toEqual(['c', 'b', 'a']);

    // A crash between the journal's first record and the index line: the journal is the truth.
    const index = join(dir, 'index.jsonl');
    const lines = readFileSync(index, 'utf8').split('\n').filter(Boolean);
    writeFileSync(index, lines.filter((l) => !l.includes('"b"')).join('\n') + '\n' + '{"runId":"c","pla');
    expect(await store.list()).toEqual(full);
    unlinkSync(index);
    expect(await store.list()).toEqual(full);
    expect(full.find((r) => r.runId === 'b')).toEqual({ runId: 'b', plan: 'plan-b', mode: 'planned', startedAt: T0 + 1000 });
  });

  it('lists a run with a damaged journal (as unknown) and leaves out index lines of runs that are gone', async () => {
    const j = await store.create('a');
    await j.append([started('a')], T0);
    await j.append([stepStarted('s')], T0);
    await j.close();
    const file = join(dir, 'runs', 'a', 'journal.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"s"', '"t"'));
    unlinkSync(join(dir, 'index.jsonl'));
    appendFileSync(join(dir, 'index.jsonl'), JSON.stringify({ runId: 'gone', plan: 'p', mode: 'planned', startedAt: T0 }) + '\n');
    expect(await store.list()).toEqual([{ runId: 'a', plan: '?', mode: '?', startedAt: 0 }]);
  });

  it('reads a journal without taking the lock', async () => {
    const j = await create('r1');
    await j.append([started('r1'), stepStarted('s1')], T0);
    expect(store.read('r1').records.map((r) => r.type)).toEqual(['run.started', 'step.started']);
    expect(store.read('r1').lastHash).not.toBe(GENESIS);
  });
});
