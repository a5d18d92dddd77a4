/**
 * A damaged journal (SPEC §4 Store, STYLE "Durability"): the real binary on a journal that a real
 * run wrote, damaged on purpose. Only a torn last line — the engine died mid-write — is forgiven:
 * it is dropped with a warning and the run resumes. Any other damage stops every command that
 * would trust the journal, naming `journal.jsonl:<line>` and what is wrong there, and nothing
 * runs: the journal stays byte-identical and no effect happens.
 *
 * The run is real (not a dry-run) so that "no effect" is checked on the world: its steps append to
 * a ledger file (test/fixtures/torture/ledger.sh). Plan: test/fixtures/journals/damage.plan.yaml.
 * A dry-run journal gets the same treatment below, without the ledger.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApproverKeys } from '../../engine/approvals/keys.js';
import { encodeLine } from '../../engine/store/journal-line.js';
import type { NewRecord } from '../../engine/store/journal.js';
import { readJournal } from '../../engine/store/read-journal.js';
import { readHolder } from '../../engine/store/run-lock.js';
import { readLedger } from '../helpers/torture-ledger.js';
import { LEDGER_SCRIPT } from '../helpers/torture-plan.js';
import { ROOT, runDrplan } from '../helpers/torture-process.js';

const PLAN = fileURLToPath(new URL('../fixtures/journals/damage.plan.yaml', import.meta.url));

let scratch = '';

interface Base {
  dir: string;
  runId: string;
  /** The state directory right after the run stopped at its gate. */
  waiting: string;
  /** ... and after alice approved (no engine running): a resume would now run the rest. */
  approved: string;
  ledger: string | null;
  env: Record<string, string>;
}
const bases: { real?: Base; dry?: Base } = {};

async function makeBase(name: 'real' | 'dry'): Promise<Base> {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  // alice's private key for this base (drplan approve signs with it; a real run requires that).
  const env = { DRPLAN_CONFIG_DIR: join(dir, 'config') };
  cpSync(PLAN, join(dir, 'plan.yaml'));
  generateApproverKeys('alice', join(dir, 'approvers'), env);
  const ledger = join(dir, 'ledger');
  const dry = name === 'dry';
  const run = await runDrplan(['run', 'plan.yaml', '--mode', 'planned', '--param', `script=${LEDGER_SCRIPT}`, '--param', `ledger=${ledger}`, '--state', 'state', '--detach', ...(dry ? ['--dry-run'] : [])], { cwd: dir, env });
  expect(run.code, run.stdout + run.stderr).toBe(3);
  const runId = /^run (\S+) ·/m.exec(run.stdout)![1]!;
  cpSync(join(dir, 'state'), join(dir, 'waiting'), { recursive: true });
  const approve = await runDrplan(['approve', runId, 'sign-off', '--as', 'alice', '--state', 'state'], { cwd: dir, env });
  expect(approve.code, approve.stdout + approve.stderr).toBe(0);
  cpSync(join(dir, 'state'), join(dir, 'approved'), { recursive: true });
  if (!dry) expect(readLedger(ledger, runId).filter((l) => l.kind === 'effect').map((l) => l.stepId)).toEqual(['check']);
  return { dir, runId, waiting: join(dir, 'waiting'), approved: join(dir, 'approved'), ledger: dry ? null : ledger, env };
}

/** A fresh copy of a base state, its journal file and lines (without the final empty string). */
function copyState(base: Base, from: 'waiting' | 'approved', name: string) {
  const state = join(scratch, `${base === bases.real ? 'real' : 'dry'}-${name}`);
  cpSync(base[from], state, { recursive: true });
  const journal = join(state, 'runs', base.runId, 'journal.jsonl');
  const text = readFileSync(journal, 'utf8');
  return { state, journal, text, lines: text.split('\n').slice(0, -1) };
}

interface Damage {
  name: string;
  /** The damaged text and the 1-based line the engine must point at. */
  apply(lines: string[], text: string, file: string): { text: string; line: number };
  what: RegExp;
}

const middle = (lines: string[]) => Math.ceil(lines.length / 2);

const DAMAGES: Damage[] = [
  {
    name: 'a flipped byte in a middle record',
    apply(lines) {
      const m = middle(lines);
      const at = lines[m - 1]!.indexOf('"time":') + '"time":'.length + 8;
      const line = lines[m - 1]!;
      const flipped = String((Number(line[at]) + 1) % 10);
      const out = [...lines];
      out[m - 1] = line.slice(0, at) + flipped + line.slice(at + 1);
      return { text: out.join('\n') + '\n', line: m };
    },
    what: /was altered after it was written \(its hash does not match its content\)/,
  },
  {
    name: 'a missing record',
    apply(lines) {
      const m = middle(lines);
      return { text: lines.filter((_, i) => i !== m - 1).join('\n') + '\n', line: m };
    },
    what: /has sequence number \d+ where \d+ was expected \(a record is missing or out of order\)/,
  },
  {
    name: 'two records swapped',
    apply(lines) {
      const m = middle(lines);
      const out = [...lines];
      [out[m - 1], out[m]] = [out[m]!, out[m - 1]!];
      return { text: out.join('\n') + '\n', line: m };
    },
    what: /has sequence number \d+ where \d+ was expected \(a record is missing or out of order\)/,
  },
  {
    name: 'a record of an unknown type (correctly chained)',
    apply(lines, text, file) {
      const read = readJournal(text, file);
      const record = { type: 'step.teleported', data: { stepId: 'effect' }, seq: lines.length + 1, time: read.records.at(-1)!.time } as unknown as NewRecord & { seq: number; time: number };
      return { text: text + encodeLine(record, read.lastHash).line, line: lines.length + 1 };
    },
    what: /has unknown record type "step\.teleported"/,
  },
  {
    name: 'garbage appended',
    apply(lines, text) {
      return { text: text + 'this is not a journal record\n', line: lines.length + 1 };
    },
    what: /is not valid JSON/,
  },
];

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'bundle', 'main.js'))) throw new Error('dist/ is missing: run the suite with `npm test`, which builds first');
  scratch = mkdtempSync(join(tmpdir(), 'drplan-damage-'));
  bases.real = await makeBase('real');
  bases.dry = await makeBase('dry');
}, 120_000);
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe.each(['real', 'dry'] as const)('a damaged journal of a %s run: nothing runs', (kind) => {
  it.each(DAMAGES.map((d) => [d.name, d] as const))('%s: resume, status and verify exit 1 naming journal.jsonl:<line> and what is wrong', async (name, damage) => {
    const base = bases[kind]!;
    const { state, journal, lines, text } = copyState(base, 'approved', name.replace(/\W+/g, '-'));
    const damaged = damage.apply(lines, text, journal);
    writeFileSync(journal, damaged.text);
    const ledgerBefore = base.ledger ? readFileSync(base.ledger, 'utf8') : '';
    const at = `journal.jsonl:${damaged.line}:`;

    const resume = await runDrplan(['resume', base.runId, '--state', state], { cwd: base.dir, env: base.env, timeoutMs: 30_000 });
    expect(resume.code, resume.stdout + resume.stderr).toBe(1);
    expect(resume.stderr).toContain(at);
    expect(resume.stderr).toMatch(damage.what);
    expect(resume.stderr).toMatch(/will not run anything from a damaged journal/);
    expect(resume.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

    const status = await runDrplan(['status', base.runId, '--state', state], { cwd: base.dir, env: base.env });
    expect(status.code, status.stdout + status.stderr).toBe(1);
    expect(status.stderr).toContain(at);
    expect(status.stderr).toMatch(damage.what);

    const verify = await runDrplan(['verify', base.runId, '--state', state], { cwd: base.dir, env: base.env });
    expect(verify.code, verify.stdout + verify.stderr).toBe(1);
    expect(verify.stdout).toContain(`journal.jsonl:${damaged.line}`);

    // Nothing ran: the journal is as damaged as it was, no effect happened, nobody holds the run.
    expect(readFileSync(journal, 'utf8')).toBe(damaged.text);
    if (base.ledger) expect(readFileSync(base.ledger, 'utf8')).toBe(ledgerBefore);
    expect(readHolder(join(state, 'runs', base.runId, 'lock'))).toBeNull();
  });

  it('a torn last line (cut mid-record) is dropped with a warning, and the run resumes from the record before', async () => {
    const base = bases[kind]!;
    const { state, journal, lines, text } = copyState(base, 'approved', 'torn');
    // The last record is alice's approval; the engine died while writing it.
    const last = lines.at(-1)!;
    expect(JSON.parse(last)).toMatchObject({ type: 'gate.approved' });
    const cut = text.slice(0, text.length - 1 - Math.floor(last.length / 2));
    writeFileSync(journal, cut);
    // A write that never completed was never named as the journal's head: the head is still the
    // one recorded before `drplan approve` began (engine/store/run-head.ts).
    cpSync(join(base.waiting, 'runs', base.runId, 'head.json'), join(state, 'runs', base.runId, 'head.json'));

    const status = await runDrplan(['status', base.runId, '--state', state], { cwd: base.dir, env: base.env });
    expect(status.code, status.stdout + status.stderr).toBe(3);
    expect(status.stderr).toContain(`journal.jsonl:${lines.length}:`);
    expect(readFileSync(journal, 'utf8')).toBe(cut);

    const resume = await runDrplan(['resume', base.runId, '--state', state, '--detach'], { cwd: base.dir, env: base.env, timeoutMs: 30_000 });
    expect(resume.stderr).toContain(`journal.jsonl:${lines.length}: the last record was only partly written`);
    expect(resume.stderr).toMatch(/it is dropped/);
    // The approval was lost with the torn line: the run waits for it again, with nothing run past the gate.
    expect(resume.code, resume.stdout + resume.stderr).toBe(3);
    const after = readJournal(readFileSync(journal, 'utf8'), journal);
    expect(after.tornTail).toBeUndefined();
    expect(readFileSync(journal, 'utf8').startsWith(lines.slice(0, -1).join('\n') + '\n')).toBe(true);
    expect(after.records[lines.length - 1]).toMatchObject({ seq: lines.length, type: 'run.resumed' });
    expect(after.records.some((r) => r.type === 'step.started' && r.data.stepId === 'effect')).toBe(false);
    if (base.ledger) expect(readLedger(base.ledger, base.runId).filter((l) => l.kind === 'effect').map((l) => l.stepId)).toEqual(['check']);

    // Approved again, the run goes on to its end from the repaired journal, every effect once.
    // (Not for the dry-run: a dry-run resumed after an approval stops at once — the engine bug
    // pinned in test/e2e/run-inspection-cli.test.ts.)
    if (!base.ledger) return;
    const approve = await runDrplan(['approve', base.runId, 'sign-off', '--as', 'alice', '--state', state], { cwd: base.dir, env: base.env });
    expect(approve.code, approve.stdout + approve.stderr).toBe(0);
    const end = await runDrplan(['resume', base.runId, '--state', state], { cwd: base.dir, env: base.env, timeoutMs: 30_000 });
    expect(end.code, end.stdout + end.stderr).toBe(0);
    expect(readJournal(readFileSync(journal, 'utf8'), journal).records.at(-1)).toMatchObject({ type: 'run.succeeded' });
    expect(readLedger(base.ledger, base.runId).filter((l) => l.kind === 'effect').map((l) => l.stepId)).toEqual(['check', 'effect']);
  });
});

describe('two engines racing for one run', () => {
  it('exactly one drives it; the other exits 1 naming the holder’s pid and host', async () => {
    const base = bases.real!;
    const { state, journal } = copyState(base, 'waiting', 'race');
    const args = ['resume', base.runId, '--state', state];
    const a = runDrplan(args, { cwd: base.dir, env: base.env, timeoutMs: 60_000 });
    const b = runDrplan(args, { cwd: base.dir, env: base.env, timeoutMs: 60_000 });
    // The loser exits at once; the winner waits at the gate until someone acts.
    const first = await Promise.race([a.then((o) => ({ o, winner: b })), b.then((o) => ({ o, winner: a }))]);
    expect(first.o.code, first.o.stdout + first.o.stderr).toBe(1);
    // The winner took the lock first; it journals run.resumed once it has read the journal and plan.
    const resumedRecords = () => readJournal(readFileSync(journal, 'utf8'), journal).records.filter((r) => r.type === 'run.resumed');
    for (const until = Date.now() + 20_000; resumedRecords().length === 0 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
    const resumed = resumedRecords();
    expect(resumed).toHaveLength(1);
    const winnerPid = resumed[0]!.type === 'run.resumed' ? resumed[0]!.data.pid : -1;
    expect(first.o.pid).not.toBe(winnerPid);
    expect(first.o.stderr).toContain(`is being driven by another drplan (pid ${winnerPid} on ${hostname()}`);

    // The one driving it takes a request through its inbox and ends the run.
    const cancel = await runDrplan(['cancel', base.runId, '--reason', 'race test over', '--state', state], { cwd: base.dir, env: base.env });
    expect(cancel.code, cancel.stdout + cancel.stderr).toBe(0);
    expect(cancel.stdout).toMatch(/applied by the engine driving run/);
    const winner = await first.winner;
    expect(winner.pid).toBe(winnerPid);
    expect(winner.code, winner.stdout + winner.stderr).toBe(1);
    expect(winner.stdout).toMatch(/cancelled/);
    expect(readJournal(readFileSync(journal, 'utf8'), journal).records.at(-1)).toMatchObject({ type: 'run.cancelled' });
  });
});

// BUG (engine/store/read-journal.ts readJournal): any last line without a newline is taken for a
// torn write and `FileStore.open` truncates it away with only a warning — even bytes that cannot
// be the start of a record. The engine writes every line as `{"seq":<n>,…`, so a torn tail is a
// prefix of that; anything else is damage, and it should stop the run (and be kept as evidence)
// like garbage with a newline does.
it('garbage appended without a newline is damage, not a torn write: resume exits 1 and the journal is kept', async () => {
  const base = bases.real!;
  const { state, journal, lines, text } = copyState(base, 'approved', 'garbage-no-newline');
  const damaged = text + '\u0000\u0000 binary garbage';
  writeFileSync(journal, damaged);
  const resume = await runDrplan(['resume', base.runId, '--state', state, '--detach'], { cwd: base.dir, env: base.env, timeoutMs: 30_000 });
  expect(readFileSync(journal, 'utf8')).toBe(damaged);
  expect(resume.code).toBe(1);
  expect(resume.stderr).toContain(`journal.jsonl:${lines.length + 1}:`);
});
