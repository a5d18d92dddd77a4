import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHolder } from '../../engine/store/run-lock.js';

// Regression: `drplan run plan.yaml --mode planned | head -1` — the documented way for a script to
// read the run id — killed the engine with EPIPE at its next line of progress, mid-failover: the
// run stayed "running, none is driving it" with a stale lock. So did a closed stderr, and a
// terminal that hung up (SIGHUP). Losing the output must not stop a real run: these drive the real
// bin on a real (non-dry) run whose shell steps take a moment and record their effect in a ledger.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'drplan.js');

// Each `run` step writes `begin <id>`, works a moment, then `end <id>` (its effect). The failover
// runs on the simulator, on the real clock, declared idempotent so that a resume after a kill
// re-runs it instead of pausing for an operator.
const step = (id: string) => `    - id: ${id}\n      run: [sh, -c, 'echo "begin $1" >> "$0"; sleep 0.4; echo "end $1" >> "$0"', "{{params.ledger}}", ${id}]`;
const PLAN = `apiVersion: drplan/v1
kind: RecoveryPlan
metadata:
  name: lost-output
spec:
  adapters:
    site:
      type: simulator
      config: { operations: { failover: { idempotent: true } } }
      estimates: { replicationHealth: 5ms, shutdown: 5ms, sync: 5ms, failover: 1500ms, start: 5ms }
  sites: { source: site, target: site }
  parameters:
    ledger: { type: string }
  modes: { planned: {} }
  prechecks:
${step('a')}
  groups:
    - id: db
      vms: [db-1]
  finalize:
${step('b')}
${step('c')}
`;
const STEPS = ['a', 'b', 'c'];

let scratch = '';
let n = 0;

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'bundle', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  scratch = mkdtempSync(join(tmpdir(), 'drplan-lost-output-'));
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', DRPLAN_PRINCIPAL: 'operator' };
  delete e.FORCE_COLOR;
  delete e.DRPLAN_STATE;
  return e;
}

/** A directory with the plan, its own state directory and ledger. */
function workspace() {
  const dir = join(scratch, `w${++n}`);
  rmSync(dir, { recursive: true, force: true });
  spawnSync('mkdir', ['-p', dir]);
  writeFileSync(join(dir, 'plan.yaml'), PLAN);
  const ledger = join(dir, 'ledger');
  const runArgs = ['run', 'plan.yaml', '--mode', 'planned', '--param', `ledger=${ledger}`];
  return { dir, ledger, runArgs };
}

const ledgerLines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

/** Resolves once `check` holds (polled; generous: the machine may be loaded). */
async function until(check: () => boolean, what: string | (() => string), ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
}

function onlyRun(dir: string): string {
  const runs = readdirSync(join(dir, '.drplan', 'runs'));
  expect(runs).toHaveLength(1);
  return runs[0]!;
}

/** The run finished as an undisturbed one does: every effect once, succeeded, lock released, journal intact. */
function expectFinished(dir: string, ledger: string, runId: string): void {
  const lines = ledgerLines(ledger);
  for (const id of STEPS) {
    expect(lines.filter((l) => l === `begin ${id}`), `step ${id} started once`).toHaveLength(1);
    expect(lines.filter((l) => l === `end ${id}`), `step ${id}'s effect happened once`).toHaveLength(1);
  }
  const runDir = join(dir, '.drplan', 'runs', runId);
  const records = readFileSync(join(runDir, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string });
  expect(records.at(-1)?.type).toBe('run.succeeded');
  expect(readHolder(join(runDir, 'lock')), 'the run lock is released').toBeNull();
  const verify = spawnSync(process.execPath, [BIN, 'verify', runId], { cwd: dir, env: env(), encoding: 'utf8' });
  expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  const status = spawnSync(process.execPath, [BIN, 'status', runId], { cwd: dir, env: env(), encoding: 'utf8' });
  expect(status.stdout).toMatch(/state\s+succeeded/);
}

describe('a real run whose output goes away (bin/drplan.js)', () => {
  it('stdout read by `head -1`: the run id is read, the run goes on to the end and exits 0', async () => {
    const { dir, ledger, runArgs } = workspace();
    const child = spawn(process.execPath, [BIN, ...runArgs], { cwd: dir, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    // `head -1`: read up to the first newline, then close the pipe.
    const firstLine = await new Promise<string>((resolve) => {
      let text = '';
      child.stdout!.setEncoding('utf8').on('data', (s: string) => {
        text += s;
        const nl = text.indexOf('\n');
        if (nl !== -1) {
          child.stdout!.destroy();
          resolve(text.slice(0, nl));
        }
      });
    });
    const runId = /^run (\S+) /.exec(firstLine)?.[1];
    expect(runId, firstLine).toBeDefined();
    const { code } = await exited(child);
    expect(code, stderr).toBe(0);
    expectFinished(dir, ledger, runId!);
  });

  it('stderr closed: a resume after a crash (which warns on stderr that it takes the lock over) drives the run to the end', async () => {
    const { dir, ledger, runArgs } = workspace();
    // The first engine dies like a power cut in the middle of the failover: no handler runs.
    const first = spawn(process.execPath, [BIN, ...runArgs], { cwd: dir, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let said = '';
    first.stdout!.setEncoding('utf8').on('data', (s: string) => (said += s));
    first.stderr!.setEncoding('utf8').on('data', (s: string) => (said += s));
    const firstExit = exited(first);
    const journal = () => {
      const file = existsSync(join(dir, '.drplan', 'runs')) ? readdirSync(join(dir, '.drplan', 'runs')).map((id) => join(dir, '.drplan', 'runs', id, 'journal.jsonl'))[0] : undefined;
      return file && existsSync(file) ? readFileSync(file, 'utf8') : '';
    };
    await until(() => journal().includes('"stepId":"db/db-1/failover"'), () => `the failover to start (drplan said: ${said})`);
    first.kill('SIGKILL');
    await firstExit;
    const runId = onlyRun(dir);
    expect(ledgerLines(ledger)).toEqual(['begin a', 'end a']);

    const second = spawn(process.execPath, [BIN, 'resume', runId], { cwd: dir, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    second.stderr!.destroy();
    let stdout = '';
    second.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    const { code } = await exited(second);
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(/succeeded/);
    expectFinished(dir, ledger, runId);
  });

  it('stderr closed: Ctrl-C still cancels the run properly (its notice to stderr is lost, the cancellation is not)', async () => {
    const { dir, ledger, runArgs } = workspace();
    const child = spawn(process.execPath, [BIN, ...runArgs], { cwd: dir, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr!.destroy();
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    const done = exited(child);
    await until(() => ledgerLines(ledger).includes('begin b'), 'step b to begin');
    child.kill('SIGINT');
    const { code } = await done;
    expect(code, stdout).toBe(1);
    const runId = onlyRun(dir);
    const runDir = join(dir, '.drplan', 'runs', runId);
    const records = readFileSync(join(runDir, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string });
    expect(records.map((r) => r.type)).toContain('run.cancelRequested');
    expect(records.at(-1)?.type).toBe('run.cancelled');
    expect(readHolder(join(runDir, 'lock'))).toBeNull();
    expect(ledgerLines(ledger).filter((l) => l.startsWith('begin c'))).toEqual([]);
  });

  it('SIGHUP to the engine mid-run: it carries on to the end and exits 0', async () => {
    const { dir, ledger, runArgs } = workspace();
    const child = spawn(process.execPath, [BIN, ...runArgs], { cwd: dir, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const done = exited(child);
    await until(() => ledgerLines(ledger).includes('begin b'), 'step b to begin');
    child.kill('SIGHUP');
    const { code, signal } = await done;
    expect({ code, signal }, stderr).toEqual({ code: 0, signal: null });
    expect(stderr).toMatch(/terminal hung up \(SIGHUP\); drplan goes on without it/);
    expectFinished(dir, ledger, /^run (\S+) /.exec(stdout)![1]!);
  });

  it('SIGHUP to its whole process group (a terminal hangup): engine and process launcher carry on, the step in flight included', async () => {
    const { dir, ledger, runArgs } = workspace();
    // Its own process group, led by drplan, as a shell's job is: the test's group is not hit.
    const child = spawn(process.execPath, [BIN, ...runArgs], { cwd: dir, env: env(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stderr = '';
    child.stdout!.resume();
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const done = exited(child);
    // Step b is the second command: it runs through the launcher, which is in drplan's group.
    await until(() => ledgerLines(ledger).includes('begin b'), 'step b to begin');
    process.kill(-child.pid!, 'SIGHUP');
    const { code, signal } = await done;
    expect({ code, signal }, stderr).toEqual({ code: 0, signal: null });
    expectFinished(dir, ledger, onlyRun(dir));
  });

  it('a command that only prints still ends quietly when its reader goes (`drplan plan … | head -1`)', async () => {
    const { dir, ledger } = workspace();
    const child = spawn(process.execPath, [BIN, 'plan', 'plan.yaml', '--mode', 'planned', '--param', `ledger=${ledger}`], { cwd: dir, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.stdout!.once('data', () => child.stdout!.destroy());
    const { code, signal } = await exited(child);
    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
  });

  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!hasScript)('its terminal closes (a pseudo-terminal whose other end goes away, as a dropped SSH session): the run goes on to the end', async () => {
    const { dir, ledger, runArgs } = workspace();
    // util-linux `script` runs a shell on a new pseudo-terminal, and the shell drplan in the
    // foreground. Killing `script` closes the terminal's other end: the kernel hangs the terminal
    // up, sends SIGHUP to the foreground group (shell and drplan), and every later write to the
    // terminal fails (EIO). The shell survives the hangup (a trap, not an ignored signal, which
    // drplan would inherit) only to write down drplan's exit code.
    const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
    const codeFile = join(dir, 'exit-code');
    const command = `trap : HUP; ${[process.execPath, BIN, ...runArgs].map(quote).join(' ')}; echo $? > ${quote(codeFile)}`;
    const term = spawn('script', ['-qfec', `sh -c ${quote(command)}`, '/dev/null'], { cwd: dir, env: env(), stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    term.stdout!.resume();
    term.stderr!.resume();
    const termExit = exited(term);
    await until(() => ledgerLines(ledger).includes('begin b'), 'step b to begin');
    term.kill('SIGKILL');
    await termExit;
    // The engine is no child of this test: the shell says when it ended, and how.
    await until(() => existsSync(codeFile), 'the engine to finish');
    const runId = onlyRun(dir);
    expect(readFileSync(codeFile, 'utf8').trim()).toBe('0');
    expectFinished(dir, ledger, runId);
  });
});
