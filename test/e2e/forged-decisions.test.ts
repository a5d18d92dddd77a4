/**
 * Forged decisions in a journal (issue 11, item 1): the hash chain is only a checksum — anyone who
 * can write the state directory can append a record and recompute it. A real run (real `drplan`
 * processes, real files) stops at its gate; a `gate.approved` that no live check would accept is
 * appended with a correct chain; `drplan resume` must refuse it (naming `journal.jsonl:<line>` and
 * why), write nothing, and never run the step the gate protects — whose effect would land in a
 * ledger file. `drplan verify` reports it, `status` does not count it, `drplan approve` will not add
 * to the journal. Plan: test/fixtures/journals/forged.plan.yaml (started by bob, one of the gate's
 * approvers; mallory has a key but is not an approver).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDecision, type DecisionStatement } from '../../engine/approvals/decision-statement.js';
import { generateApproverKeys, privateKeyPath } from '../../engine/approvals/keys.js';
import type { JournalRecord, NewRecord, RecordData } from '../../engine/store/journal.js';
import { encodeLine } from '../../engine/store/journal-line.js';
import { readJournal } from '../../engine/store/read-journal.js';
import { readLedger } from '../helpers/torture-ledger.js';
import { LEDGER_SCRIPT } from '../helpers/torture-plan.js';
import { ROOT, runDrplan } from '../helpers/torture-process.js';
import { readHolder } from '../../engine/store/run-lock.js';

const PLAN = fileURLToPath(new URL('../fixtures/journals/forged.plan.yaml', import.meta.url));

let scratch = '';
let base: { dir: string; runId: string; waiting: string; ledger: string; env: Record<string, string>; started: JournalRecord; wait: JournalRecord } | null = null;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'bundle', 'main.js'))) throw new Error('dist/ is missing: run the suite with `npm test`, which builds first');
  scratch = mkdtempSync(join(tmpdir(), 'drplan-forged-'));
  const dir = join(scratch, 'base');
  mkdirSync(dir, { recursive: true });
  const env = { DRPLAN_CONFIG_DIR: join(dir, 'config') };
  cpSync(PLAN, join(dir, 'plan.yaml'));
  for (const p of ['alice', 'bob', 'mallory']) generateApproverKeys(p, join(dir, 'approvers'), env);
  const ledger = join(dir, 'ledger');
  const run = await runDrplan(['run', 'plan.yaml', '--mode', 'planned', '--param', `script=${LEDGER_SCRIPT}`, '--param', `ledger=${ledger}`, '--state', 'state', '--detach'], {
    cwd: dir,
    env: { ...env, DRPLAN_PRINCIPAL: 'bob' },
  });
  expect(run.code, run.stdout + run.stderr).toBe(3);
  const runId = /^run (\S+) ·/m.exec(run.stdout)![1]!;
  cpSync(join(dir, 'state'), join(dir, 'waiting'), { recursive: true });
  const records = readJournal(readFileSync(join(dir, 'state', 'runs', runId, 'journal.jsonl'), 'utf8'), 'journal.jsonl').records;
  const started = records[0]!;
  const wait = records.find((r) => r.type === 'step.waiting' && r.data.stepId === 'sign-off')!;
  expect(started).toMatchObject({ type: 'run.started', data: { initiator: 'bob', dryRun: false } });
  expect(wait).toMatchObject({ data: { principals: ['alice', 'bob'], quorum: 1 } });
  base = { dir, runId, waiting: join(dir, 'waiting'), ledger, env, started, wait };
}, 120_000);
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const startedData = () => base!.started.data as RecordData['run.started'];
const deadline = () => (base!.wait.data as RecordData['step.waiting']).deadline!;

function sign(by: string, over: Partial<DecisionStatement> = {}) {
  const statement: DecisionStatement = { v: 1, runId: base!.runId, stepId: 'sign-off', decision: 'approve', principal: by, planDigest: startedData().planDigest, time: new Date().toISOString(), ...over };
  return signDecision(statement, readFileSync(privateKeyPath(by, base!.env), 'utf8'));
}

/** A copy of the waiting state with `records` appended to the journal, the chain recomputed as an attacker would. */
function forge(name: string, records: { record: NewRecord; time?: number }[]): { state: string; journal: string; text: string; firstLine: number } {
  const state = join(scratch, name);
  cpSync(base!.waiting, state, { recursive: true });
  const journal = join(state, 'runs', base!.runId, 'journal.jsonl');
  let text = readFileSync(journal, 'utf8');
  const read = readJournal(text, journal);
  let prev = read.lastHash;
  let seq = read.records.length;
  const firstLine = seq + 1;
  for (const { record, time } of records) {
    const { line, hash } = encodeLine({ ...record, seq: ++seq, time: time ?? Date.now() } as Parameters<typeof encodeLine>[0], prev);
    text += line;
    prev = hash;
  }
  writeFileSync(journal, text);
  return { state, journal, text, firstLine };
}

const approved = (data: Omit<RecordData['gate.approved'], 'stepId'>): NewRecord => ({ type: 'gate.approved', data: { stepId: 'sign-off', ...data } });

interface Forgery {
  name: string;
  records: () => { record: NewRecord; time?: number }[];
  /** The line the refusal names, counted from the first forged line. */
  at?: number;
  why: RegExp;
}

const FORGERIES: Forgery[] = [
  { name: 'an approval without a signature', records: () => [{ record: approved({ by: 'alice' }) }], why: /a decision on a real run must be signed/ },
  { name: 'an approval with a garbage signature', records: () => [{ record: approved({ by: 'alice', signed: { ...sign('alice'), signature: Buffer.from('not a signature at all, just bytes of the right sort of length').toString('base64') } }) }], why: /does not verify with alice's public key/ },
  { name: 'an approval signed with another key', records: () => [{ record: approved({ by: 'alice', signed: { statement: sign('alice').statement, signature: sign('mallory', { principal: 'alice' }).signature } }) }], why: /does not verify with alice's public key/ },
  { name: 'a simulated approval on a real run', records: () => [{ record: approved({ by: 'auto-approve', simulated: true }) }], why: /marked simulated, and this is a real run/ },
  { name: 'a valid signature by a principal the gate does not allow', records: () => [{ record: approved({ by: 'mallory', signed: sign('mallory') }) }], why: /mallory may not decide gate "sign-off": it takes alice, bob/ },
  { name: 'the initiator approving their own gate', records: () => [{ record: approved({ by: 'bob', signed: sign('bob') }) }], why: /bob started run \S+ and may not approve its own gate "sign-off"/ },
  { name: 'a decision signed for another run', records: () => [{ record: approved({ by: 'alice', signed: sign('alice', { runId: 'another-run' }) }) }], why: /signed for run another-run, not run/ },
  { name: 'a decision signed against another plan version', records: () => [{ record: approved({ by: 'alice', signed: sign('alice', { planDigest: 'f'.repeat(64) }) }) }], why: /signed against another version of the plan/ },
  {
    name: 'a decision signed after the gate’s deadline',
    records: () => [{ record: approved({ by: 'alice', signed: sign('alice', { time: new Date(deadline() + 60_000).toISOString() }) }), time: deadline() - 60_000 }],
    why: /signed at .* after gate "sign-off" timed out/,
  },
  {
    name: 'a valid approval counted twice',
    records: () => {
      const signed = sign('alice');
      return [{ record: approved({ by: 'alice', signed }) }, { record: approved({ by: 'alice', signed }) }];
    },
    at: 1,
    why: /alice has already approved gate "sign-off"; approvals count once per person/,
  },
  { name: 'the gate marked passed with no approval', records: () => [{ record: { type: 'step.succeeded', data: { stepId: 'sign-off', attempt: 1, output: { approvedBy: ['alice'] } } } }], why: /step\.succeeded of gate "sign-off" does not count: it has 0 of the 1 approvals it needs/ },
];

describe('a forged decision in the journal of a real run waiting at its gate', () => {
  it.each(FORGERIES.map((f) => [f.name, f] as const))('%s: resume refuses it naming journal.jsonl:<line>, writes nothing, and the gated step never runs; verify and status report it', async (name, forgery) => {
    const b = base!;
    const { state, journal, text, firstLine } = forge(name.replace(/\W+/g, '-'), forgery.records());
    const line = firstLine + (forgery.at ?? 0);
    const at = `journal.jsonl:${line}: `;

    const resume = await runDrplan(['resume', b.runId, '--state', state], { cwd: b.dir, env: b.env, timeoutMs: 30_000 });
    expect(resume.code, resume.stdout + resume.stderr).toBe(1);
    expect(resume.stderr).toContain(at);
    expect(resume.stderr).toMatch(forgery.why);
    expect(resume.stderr).toMatch(/hint: .*drplan will not run anything from it, and nothing was written/);
    expect(resume.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    // Nothing ran, nothing was written, nobody holds the run.
    expect(readFileSync(journal, 'utf8')).toBe(text);
    expect(readLedger(b.ledger, b.runId).filter((l) => l.stepId === 'effect')).toEqual([]);
    expect(readHolder(join(state, 'runs', b.runId, 'lock'))).toBeNull();

    const verify = await runDrplan(['verify', b.runId, '--state', state], { cwd: b.dir, env: b.env });
    expect(verify.code, verify.stdout + verify.stderr).toBe(1);
    expect(verify.stdout).toMatch(new RegExp(`journal\\.jsonl:${line}: error (signature|gate): record .*does not count`));
    expect(verify.stdout).toMatch(forgery.why);
    expect(verify.stdout).toMatch(/^untrusted: the hash chain is unbroken/m);

    // status shows the gate still waiting, the forged record left out and flagged.
    const status = await runDrplan(['status', b.runId, '--state', state, '--format', 'json'], { cwd: b.dir, env: b.env });
    expect(status.code, status.stdout + status.stderr).toBe(1);
    const json = JSON.parse(status.stdout) as { state: string; waitingOn: string[]; untrusted: { line: number; reason: string }[] };
    expect(json.state).toBe('waiting');
    expect(json.waitingOn).toEqual(['sign-off']);
    expect(json.untrusted.map((u) => u.line)).toContain(line);
    expect(readFileSync(journal, 'utf8')).toBe(text);
  });

  it('a command recording a decision directly refuses to add to such a journal (not even its refusal)', async () => {
    const b = base!;
    const { state, journal, text, firstLine } = forge('approve-onto-forged', [{ record: approved({ by: 'alice' }) }]);
    const approve = await runDrplan(['approve', b.runId, 'sign-off', '--as', 'alice', '--state', state], { cwd: b.dir, env: b.env });
    expect(approve.code, approve.stdout + approve.stderr).toBe(1);
    expect(approve.stderr).toContain(`journal.jsonl:${firstLine}: gate.approved by alice does not count`);
    expect(readFileSync(journal, 'utf8')).toBe(text);
  });

  it('the report lists the forged record and does not show it as a decision', async () => {
    const b = base!;
    const { state, firstLine } = forge('report-forged', [{ record: approved({ by: 'mallory', signed: sign('mallory') }) }]);
    const report = await runDrplan(['report', b.runId, '--state', state, '--format', 'json'], { cwd: b.dir, env: b.env });
    expect(report.code, report.stdout + report.stderr).toBe(0);
    const json = JSON.parse(report.stdout) as { gates: { by: string | null }[]; untrusted: { line: number; reason: string }[] };
    expect(json.gates.map((g) => g.by)).not.toContain('mallory');
    expect(json.untrusted).toEqual([expect.objectContaining({ line: firstLine, reason: expect.stringMatching(/mallory may not decide/) })]);
    const md = await runDrplan(['report', b.runId, '--state', state], { cwd: b.dir, env: b.env });
    expect(md.stdout).toMatch(/holds 1 record that does not count/);
  });

  it('control: the same record appended by hand but valid (alice, signed, in time) counts, and the run goes on to its end', async () => {
    const b = base!;
    const { state, journal } = forge('valid-by-hand', [{ record: approved({ by: 'alice', signed: sign('alice') }) }]);
    const verify = await runDrplan(['verify', b.runId, '--state', state], { cwd: b.dir, env: b.env });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/1 signature verified/);
    const resume = await runDrplan(['resume', b.runId, '--state', state], { cwd: b.dir, env: b.env, timeoutMs: 60_000 });
    expect(resume.code, resume.stdout + resume.stderr).toBe(0);
    expect(readJournal(readFileSync(journal, 'utf8'), journal).records.at(-1)).toMatchObject({ type: 'run.succeeded' });
    expect(readLedger(b.ledger, b.runId).filter((l) => l.kind === 'effect').map((l) => l.stepId)).toEqual(['effect']);
  });
});
