/**
 * A cut tail (issue 11, item 5): deleting the last lines of a finished run's journal leaves a valid
 * hash chain — every prefix of a chain is one — so `drplan verify` used to call it intact. The store
 * now records the journal's head outside it (engine/store/run-head.ts); real `drplan` processes on
 * real files show that a cut is reported with the head it falls short of, that an unfinished run is
 * reported as unfinished, and that a genuine crash (SIGKILL) never looks like a cut.
 * Plan: test/fixtures/journals/forged.plan.yaml.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApproverKeys } from '../../engine/approvals/keys.js';
import { readJournal } from '../../engine/store/read-journal.js';
import { LEDGER_SCRIPT } from '../helpers/torture-plan.js';
import { ROOT, runDrplan } from '../helpers/torture-process.js';

const PLAN = fileURLToPath(new URL('../fixtures/journals/forged.plan.yaml', import.meta.url));

let dir = '';
let env: Record<string, string> = {};
const params = () => ['--param', `script=${LEDGER_SCRIPT}`, '--param', `ledger=${join(dir, 'ledger')}`];
const runIdOf = (stdout: string) => /^run (\S+) ·/m.exec(stdout)![1]!;

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'bundle', 'main.js'))) throw new Error('dist/ is missing: run the suite with `npm test`, which builds first');
  dir = mkdtempSync(join(tmpdir(), 'drplan-head-e2e-'));
  env = { DRPLAN_CONFIG_DIR: join(dir, 'config'), DRPLAN_PRINCIPAL: 'bob' };
  mkdirSync(dir, { recursive: true });
  cpSync(PLAN, join(dir, 'plan.yaml'));
  for (const p of ['alice', 'bob']) generateApproverKeys(p, join(dir, 'approvers'), env);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the head of a run’s journal', () => {
  it('a finished run with its last one or two lines deleted: verify reports the cut and the head it expected (exit 1); status and resume refuse it', async () => {
    const run = await runDrplan(['run', 'plan.yaml', '--mode', 'planned', '--dry-run', '--auto-approve', ...params(), '--state', 'finished'], { cwd: dir, env });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const runId = runIdOf(run.stdout);
    const file = join(dir, 'finished', 'runs', runId, 'journal.jsonl');
    const whole = readFileSync(file, 'utf8');
    const read = readJournal(whole, file);
    const n = read.records.length;
    expect(read.records.at(-1)).toMatchObject({ type: 'run.succeeded' });

    const intact = await runDrplan(['verify', runId, '--state', 'finished'], { cwd: dir, env });
    expect(intact.code, intact.stdout).toBe(0);
    expect(intact.stdout).toMatch(/^intact: \d+ records, hash chain unbroken, ending with the run's terminal record/m);
    expect(intact.stdout).toMatch(new RegExp(`head: record ${n} recorded in .*head\\.json and .*index\\.jsonl`));

    for (const cut of [1, 2]) {
      writeFileSync(file, whole.split('\n').slice(0, n - cut).map((l) => l + '\n').join(''));
      const verify = await runDrplan(['verify', runId, '--state', 'finished'], { cwd: dir, env });
      expect(verify.code, verify.stdout).toBe(1);
      expect(verify.stdout).toContain(`journal.jsonl:${n - cut + 1}: error cut: record is missing: the journal ends at record ${n - cut}, but its head recorded in`);
      expect(verify.stdout).toContain(`is record ${n} (hash ${read.lastHash.slice(0, 16)}…)`);
      expect(verify.stdout).toMatch(/^broken at .*journal\.jsonl:\d+: records 1–\d+ are intact; the records from line \d+ on are missing/m);
      const json = JSON.parse((await runDrplan(['verify', runId, '--state', 'finished', '--format', 'json'], { cwd: dir, env })).stdout) as { intact: boolean; finished: boolean; heads: { seq: number; hash: string }[] };
      expect(json).toMatchObject({ intact: false, finished: false });
      expect(json.heads).toContainEqual(expect.objectContaining({ seq: n, hash: read.lastHash }));

      const status = await runDrplan(['status', runId, '--state', 'finished'], { cwd: dir, env });
      expect(status.code, status.stdout + status.stderr).toBe(1);
      expect(status.stderr).toContain(`journal.jsonl:${n - cut + 1}: journal record is missing`);
      const resume = await runDrplan(['resume', runId, '--state', 'finished'], { cwd: dir, env, timeoutMs: 30_000 });
      expect(resume.code, resume.stdout + resume.stderr).toBe(1);
      expect(resume.stderr).toContain('journal record is missing');
    }

    // head.json removed as well: the index line written at the end still tells.
    unlinkSync(join(dir, 'finished', 'runs', runId, 'head.json'));
    const verify = await runDrplan(['verify', runId, '--state', 'finished'], { cwd: dir, env });
    expect(verify.code, verify.stdout).toBe(1);
    expect(verify.stdout).toMatch(/error cut: .*its head recorded in .*index\.jsonl is record/);
  });

  it('a run waiting at its gate is reported unfinished (no terminal record), exit 0 — not "intact"', async () => {
    const run = await runDrplan(['run', 'plan.yaml', '--mode', 'planned', ...params(), '--state', 'waiting', '--detach'], { cwd: dir, env });
    expect(run.code, run.stdout + run.stderr).toBe(3);
    const verify = await runDrplan(['verify', runIdOf(run.stdout), '--state', 'waiting'], { cwd: dir, env });
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toMatch(/^unfinished: \d+ records, hash chain unbroken so far, no terminal record/m);
    expect(verify.stdout).not.toMatch(/^intact/m);
  });

  it('a genuine crash (SIGKILL mid-run, after a head was recorded) does not look cut: verify says unfinished, resume carries it on, then intact', async () => {
    const run = await runDrplan(['run', 'plan.yaml', '--mode', 'planned', ...params(), '--state', 'crash', '--detach'], { cwd: dir, env });
    expect(run.code, run.stdout + run.stderr).toBe(3);
    const runId = runIdOf(run.stdout);
    const file = join(dir, 'crash', 'runs', runId, 'journal.jsonl');
    const approve = await runDrplan(['approve', runId, 'sign-off', '--as', 'alice', '--state', 'crash'], { cwd: dir, env });
    expect(approve.code, approve.stdout + approve.stderr).toBe(0);
    const headBefore = JSON.parse(readFileSync(join(dir, 'crash', 'runs', runId, 'head.json'), 'utf8')) as { seq: number };
    expect(headBefore.seq).toBe(readJournal(readFileSync(file, 'utf8'), file).records.length);

    // Killed once the resumed engine has written two records past the head: it never lets go.
    const killed = await runDrplan(['resume', runId, '--state', 'crash'], { cwd: dir, env, kill: { kind: 'journal', records: 2 }, journalFile: file, timeoutMs: 30_000 });
    expect(killed.killed, killed.stdout + killed.stderr).toBe(true);
    expect(readJournal(readFileSync(file, 'utf8'), file).records.length).toBeGreaterThan(headBefore.seq);
    const crashed = await runDrplan(['verify', runId, '--state', 'crash'], { cwd: dir, env });
    expect(crashed.code, crashed.stdout).toBe(0);
    expect(crashed.stdout).toMatch(/^unfinished: /m);
    expect(crashed.stdout).not.toMatch(/error/);
    const resumed = await runDrplan(['resume', runId, '--state', 'crash'], { cwd: dir, env, timeoutMs: 60_000 });
    expect(resumed.stderr).not.toMatch(/journal record is missing|journal record is not the record/);
    expect([0, 3], resumed.stdout + resumed.stderr).toContain(resumed.code);
    const verify = await runDrplan(['verify', runId, '--state', 'crash'], { cwd: dir, env });
    expect(verify.code, verify.stdout).toBe(0);
  });
});
