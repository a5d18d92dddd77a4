import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../engine/cli/cli.js';
import type { CliIo } from '../../engine/cli/io.js';

// `drplan run` (SPEC §3, §3.1) driven in-process through cli(argv, io) on plans/payments-eu.yaml,
// each run into a temporary --state; one test spawns the real bin/drplan.js (built by `npm test`).

const root = fileURLToPath(new URL('../../', import.meta.url));
const PLAN = 'plans/payments-eu.yaml';
const MODES = ['planned', 'unplanned', 'test'] as const;
/** Any ANSI escape sequence (colours, cursor movement, line erasing). */
const ESCAPE = /\u001b\[/;
/** A colour or style (SGR) sequence. */
const SGR = /\u001b\[[0-9;]*m/;

let scratch = '';
let state = '';
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'drplan-run-cli-'));
  state = join(scratch, 'state');
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function drplan(args: string[], options: { env?: Record<string, string | undefined>; isTTY?: boolean } = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    // Only what the test sets: nothing of the developer's own environment leaks in.
    env: { NO_COLOR: '1', DRPLAN_PRINCIPAL: 'tester', ...options.env },
    cwd: root,
    isTTY: options.isTTY ?? false,
  };
  const code = await cli(args, io);
  return { code, stdout, stderr };
}

const run = (mode: string, ...more: string[]) => drplan(['run', PLAN, '--mode', mode, '--dry-run', '--state', state, ...more]);

/** SPEC §3.1: a run prints its run id on the first line. */
const FIRST_LINE = /^run (payments-eu-\d{8}-\d{6}-[0-9a-f]{4}) · plan payments-eu · mode (planned|unplanned|test) · dry-run/;

describe('drplan run --dry-run --auto-approve', () => {
  it.each(MODES)('%s: exits 0, prints the run id first and keeps the run in --state', async (mode) => {
    const r = await run(mode, '--auto-approve');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const [first, ...rest] = r.stdout.split('\n');
    const match = FIRST_LINE.exec(first!);
    expect(match, first).not.toBeNull();
    expect(match![2]).toBe(mode);
    expect(rest.join('\n')).toMatch(/^succeeded in \S+ simulated/m);
    expect(readdirSync(join(state, 'runs'))).toContain(match![1]);
    expect(r.stderr).toBe('');
  });

  it.each(MODES)('%s with --format json: prints only the status JSON of SPEC §3.1', async (mode) => {
    const r = await run(mode, '--auto-approve', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const status = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(status).toMatchObject({ plan: 'payments-eu', mode, state: 'succeeded', waitingOn: [] });
    expect(status.runId).toMatch(/^payments-eu-\d{8}-\d{6}-[0-9a-f]{4}$/);
    const steps = status.steps as Record<string, unknown>[];
    expect(steps.length).toBeGreaterThan(5);
    for (const step of steps) {
      expect(Object.keys(step)).toEqual(expect.arrayContaining(['id', 'status', 'attempts', 'startedAt', 'finishedAt']));
      expect(['succeeded', 'skipped'], `${step.id} is ${step.status}`).toContain(step.status);
      if (step.status === 'succeeded') {
        // Gates: see the it.fails below.
        if (step.id !== 'dba-signoff') expect(step.attempts, String(step.id)).toBeGreaterThanOrEqual(1);
        expect(Date.parse(step.finishedAt as string)).toBeGreaterThanOrEqual(Date.parse(step.startedAt as string));
      }
    }
    const ids = steps.map((s) => s.id);
    const vmOperation = mode === 'test' ? 'testFailover' : 'failover';
    expect(ids).toContain(`database/pg-1/${vmOperation}`);
    expect(ids).toContain('app/app-3/' + vmOperation);
    expect(ids).toContain('dba-signoff');
    if (mode === 'test') expect(ids).toContain('database/pg-2/cleanupTest');
    // No handler ran in a run that succeeded.
    expect(ids).not.toContain('mark-target-unusable');
  });
  // BUG (attempts of a gate): the status JSON reports `attempts: 0` for a gate that passed (here
  // dba-signoff, auto-approved), although its `step.succeeded` record says attempt 1: a succeeded
  // step that was never attempted. engine/run/run-history.ts counts attempts from `step.started`
  // only (apply, case 'step.started'), and gates and manual steps never journal one; the
  // 'step.succeeded'/'step.failed' cases should raise `attempts` to the record's `attempt`.
  it('reports a passed gate as attempted once (BUG: attempts 0)', async () => {
    const r = await run('planned', '--auto-approve', '--format', 'json');
    const gate = (JSON.parse(r.stdout).steps as { id: string; status: string; attempts: number }[]).find((s) => s.id === 'dba-signoff');
    expect(gate).toMatchObject({ status: 'succeeded', attempts: 1 });
  });
});

describe('drplan run --dry-run without --auto-approve', () => {
  it('stops at the first gate and exits 3, naming it', async () => {
    const r = await run('planned');
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout.split('\n')[0]).toMatch(FIRST_LINE);
    expect(r.stdout).toMatch(/^waiting on dba-signoff$/m);
    expect(r.stdout).toMatch(/--auto-approve/);
  });

  it('with --format json reports state waiting and waitingOn the gate', async () => {
    const r = await run('unplanned', '--format', 'json');
    expect(r.code, r.stderr).toBe(3);
    const status = JSON.parse(r.stdout);
    expect(status).toMatchObject({ state: 'waiting', waitingOn: ['dba-signoff'] });
    const byId = new Map((status.steps as { id: string; status: string }[]).map((s) => [s.id, s.status]));
    expect(byId.get('replication-healthy')).toBe('succeeded');
    expect(byId.get('dba-signoff')).toBe('waiting');
    expect(byId.get('database/pg-1/failover')).toBe('pending');
  });
});

describe('drplan run usage and failures', () => {
  it('refuses --auto-approve without --dry-run: exit 2 and a message saying why', async () => {
    const r = await drplan(['run', PLAN, '--mode', 'planned', '--auto-approve', '--state', state]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--auto-approve is only allowed with --dry-run/);
    expect(r.stdout).toBe('');
  });

  it.each([
    ['planned', 'failover:pg-1', 'database/pg-1/failover'],
    ['unplanned', 'failover:app-2', 'app/app-2/failover'],
    ['test', 'testFailover:pg-2', 'database/pg-2/testFailover'],
  ])('%s with --fault %s exits 1 naming the failed step %s', async (mode, fault, stepId) => {
    const r = await run(mode, '--auto-approve', '--fault', fault);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(FIRST_LINE);
    expect(r.stdout).toContain(`failed after`);
    expect(r.stdout).toContain(`at step ${stepId}: `);
    expect(r.stdout).toMatch(/injected fault \(1 of 1\)/);
    const json = await run(mode, '--auto-approve', '--fault', fault, '--format', 'json');
    expect(json.code).toBe(1);
    const status = JSON.parse(json.stdout);
    expect(status.state).toBe('failed');
    expect(status.steps.find((s: { id: string }) => s.id === stepId)).toMatchObject({ status: 'failed', attempts: 1 });
    // The plan's onFailure handler ran once, after the failure.
    expect(status.steps.find((s: { id: string }) => s.id === 'mark-target-unusable')).toMatchObject({ status: 'succeeded' });
  });

  // Regression: `--fault bogus` and `--fault failover:no-such-vm` were accepted and the rehearsal
  // "succeeded" without any fault injected: it proved nothing.
  it.each([
    ['bogus', /--fault bogus: no step of mode planned calls operation "bogus" on a simulated instance/, /operations this run calls on simulated instances: .*"failover"/],
    ['failover:no-such-vm', /--fault failover:no-such-vm: no step of mode planned calls failover on VM "no-such-vm"/, /failover runs on the VMs: "pg-1", "pg-2", "app-1", "app-2", "app-3"/],
    ['failover:pg-3', /calls failover on VM "pg-3"/, /did you mean "pg-1"\?/],
    ['sitee.failover', /no step of mode planned calls a simulated instance "sitee"/, /did you mean "site"\?/],
    ['testFailover:app-2', /no step of mode planned calls operation "testFailover"/, /did you mean "failover"\?/],
  ])('refuses --fault %s that no step of the run can hit: exit 2, a did-you-mean and the valid values, before anything runs', async (fault, message, hint) => {
    const before = existsSync(join(state, 'runs')) ? readdirSync(join(state, 'runs')).length : 0;
    const r = await run('planned', '--auto-approve', '--fault', fault);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(new RegExp(`\\n  hint: ${hint.source}`));
    expect(existsSync(join(state, 'runs')) ? readdirSync(join(state, 'runs')).length : 0, 'no run was started').toBe(before);
  });

  it('rejects a malformed --fault as wrong usage', async () => {
    const r = await run('planned', '--auto-approve', '--fault', 'failover:pg-1:0');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/times must be a whole number from 1/);
  });
});

describe('NO_COLOR', () => {
  it('leaves no escape codes in the output of a run that waits, fails and succeeds', async () => {
    for (const args of [[], ['--auto-approve', '--fault', 'failover:pg-1'], ['--auto-approve']]) {
      const r = await run('planned', ...args);
      expect(r.stdout + r.stderr, args.join(' ')).not.toMatch(ESCAPE);
    }
  });

  it('on a terminal still leaves out every colour (a live status line may redraw itself)', async () => {
    const r = await run('planned', '--auto-approve', '--fault', 'failover:pg-1');
    const tty = await drplan(['run', PLAN, '--mode', 'planned', '--dry-run', '--auto-approve', '--fault', 'failover:pg-1', '--state', state], { isTTY: true });
    expect(r.code).toBe(1);
    expect(tty.code).toBe(1);
    expect(tty.stdout + tty.stderr).not.toMatch(SGR);
  });

  it('the check can see colour: FORCE_COLOR without NO_COLOR colours the output', async () => {
    const r = await drplan(['run', PLAN, '--mode', 'planned', '--dry-run', '--auto-approve', '--state', state], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(SGR);
  });
});

describe('bin/drplan.js run (the real process)', () => {
  it('a dry-run with --auto-approve exits 0 and prints the run id on its first line', () => {
    const bin = join(root, 'bin', 'drplan.js');
    if (!existsSync(join(root, 'dist', 'bundle', 'main.js'))) throw new Error('dist/ is missing: run the suite with `npm test`, which builds first');
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', DRPLAN_PRINCIPAL: 'tester' };
    delete env.FORCE_COLOR;
    delete env.DRPLAN_STATE;
    delete env.DRPLAN_ADAPTERS;
    const result = spawnSync(process.execPath, [bin, 'run', PLAN, '--mode', 'planned', '--dry-run', '--auto-approve', '--state', state], { cwd: root, encoding: 'utf8', env, timeout: 60_000 });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const id = FIRST_LINE.exec(result.stdout.split('\n')[0]!)?.[1];
    expect(id).toBeDefined();
    expect(existsSync(join(state, 'runs', id!))).toBe(true);
    expect(result.stdout).toMatch(/^succeeded in /m);
  });
});
