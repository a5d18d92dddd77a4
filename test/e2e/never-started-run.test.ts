/**
 * A run killed right after it printed its id. drplan used to create the journal empty and
 * write the start record after printing the id: a kill in between left a run that `status`
 * called running ("`drplan resume ` carries it on", with no id, exit 0), `runs` did not list and
 * `resume` could not resume. Now the id is printed once the start record is durable, so a
 * printed id always names a run that resumes; and a journal left empty by an older drplan is
 * shown as never started, listed, and can be discarded.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../engine/cli/cli.js';
import type { CliIo } from '../../engine/cli/io.js';
import { buildServer } from '../../engine/server/server.js';
import { FileStore } from '../../engine/store/file-store.js';
import { acquireRunLock } from '../../engine/store/run-lock.js';
import { BIN, drplanEnv, ROOT } from '../helpers/torture-process.js';

let scratch = '';
let state = '';

async function drplan(args: string[], onStdout?: (s: string) => void) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (s) => {
      onStdout?.(s);
      stdout += s;
    },
    stderr: (s) => void (stderr += s),
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, DRPLAN_STATE: undefined, DRPLAN_PRINCIPAL: 'tester', DRPLAN_CONFIG_DIR: join(scratch, 'config') },
    cwd: ROOT,
    isTTY: false,
  };
  const code = await cli(args, io);
  return { code, stdout, stderr };
}

const RUN_LINE = /^run (\S+) ·/m;
const journalOf = (runId: string) => join(state, 'runs', runId, 'journal.jsonl');

/** What an older drplan killed between creating the journal and writing its start record left. */
function emptyRun(runId: string, journal = ''): void {
  mkdirSync(join(state, 'runs', runId), { recursive: true });
  writeFileSync(journalOf(runId), journal);
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'drplan-never-started-'));
  state = join(scratch, 'state');
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the run id is printed once the run has started', () => {
  it('when `drplan run` prints the id, the journal already holds the start record', async () => {
    const seen: string[] = [];
    const out = await drplan(['run', 'plans/payments-eu.yaml', '--mode', 'planned', '--dry-run', '--auto-approve', '--state', state], (s) => {
      const id = RUN_LINE.exec(s)?.[1];
      // Read at the very moment the line is written: a kill right after it leaves this on disk.
      if (id) seen.push(existsSync(journalOf(id)) ? (readFileSync(journalOf(id), 'utf8').split('\n')[0] ?? '') : '(no journal)');
    });
    expect(out.code, out.stderr).toBe(0);
    expect(seen).toHaveLength(1);
    expect(JSON.parse(seen[0]!)).toMatchObject({ seq: 1, type: 'run.started' });
  });

  it('a real `drplan run` SIGKILLed as soon as it printed its id leaves a run that `status` names and `resume` finishes', async () => {
    if (!existsSync(join(ROOT, 'dist', 'bundle', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
    const child = spawn(process.execPath, [BIN, 'run', 'plans/payments-eu.yaml', '--mode', 'planned', '--dry-run', '--auto-approve', '--state', state], { cwd: ROOT, env: drplanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
      if (RUN_LINE.test(stdout)) child.kill('SIGKILL');
    });
    await new Promise((resolve) => child.once('close', resolve));
    const runId = RUN_LINE.exec(stdout)![1]!;

    const status = await drplan(['status', runId, '--state', state]);
    expect(status.stdout).not.toContain('`drplan resume `');
    expect(status.stdout).not.toContain('never started');
    const runs = await drplan(['runs', '--state', state]);
    expect(runs.stdout).toContain(runId);
    const resumed = await drplan(['resume', runId, '--state', state]);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('succeeded');
  });
});

describe('a run an older drplan left with an empty journal', () => {
  it('`status` names it as never started and exits 1, in text and JSON', async () => {
    emptyRun('old-20260101-000000-aaaa');
    const text = await drplan(['status', 'old-20260101-000000-aaaa', '--state', state]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('run old-20260101-000000-aaaa: never started');
    expect(text.stdout).toContain('`drplan discard old-20260101-000000-aaaa` removes it');
    expect(text.stdout).not.toMatch(/running|drplan resume/);
    const json = await drplan(['status', 'old-20260101-000000-aaaa', '--state', state, '--format', 'json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ runId: 'old-20260101-000000-aaaa', state: 'never-started', records: 0, steps: [] });
  });

  it('`runs` lists it as never started, with the command that removes it', async () => {
    emptyRun('old-20260101-000000-bbbb');
    const text = await drplan(['runs', '--state', state]);
    expect(text.code).toBe(0);
    const line = text.stdout.split('\n').find((l) => l.startsWith('old-20260101-000000-bbbb'));
    expect(line).toMatch(/never started .*drplan discard old-20260101-000000-bbbb$/);
    const json = JSON.parse((await drplan(['runs', '--state', state, '--format', 'json'])).stdout) as { runId: string; state: string }[];
    expect(json.find((r) => r.runId === 'old-20260101-000000-bbbb')).toMatchObject({ state: 'never-started', startedAt: null });
  });

  it('`drplan serve` shows it as never started, in the list and on its own', async () => {
    emptyRun('old-20260101-000000-gggg');
    const io: CliIo = { stdout: () => {}, stderr: () => {}, env: { NO_COLOR: '1' }, cwd: ROOT, isTTY: false };
    const app = buildServer({ store: new FileStore(state), io, loopback: true, heartbeatMs: 50, pollMs: 20 });
    try {
      const list = (await app.inject({ url: '/api/runs' })).json() as { runId: string; state: string }[];
      expect(list.find((r) => r.runId === 'old-20260101-000000-gggg')).toMatchObject({ state: 'never-started' });
      expect((await app.inject({ url: '/api/runs/old-20260101-000000-gggg' })).json()).toMatchObject({ state: 'never-started', engine: null });
    } finally {
      await app.close();
    }
  });

  it('a journal holding only the cut-off start of its first record is never started too', async () => {
    emptyRun('old-20260101-000000-cccc', '{"seq":1,"time":17');
    const status = await drplan(['status', 'old-20260101-000000-cccc', '--state', state]);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain('never started');
  });

  it('`resume` refuses it, saying why and how to remove it', async () => {
    emptyRun('old-20260101-000000-dddd');
    const out = await drplan(['resume', 'old-20260101-000000-dddd', '--state', state]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('cannot be resumed: its journal is empty');
    expect(out.stderr).toContain('drplan discard old-20260101-000000-dddd');
  });

  it('`discard` removes it; afterwards no command finds it', async () => {
    emptyRun('old-20260101-000000-eeee');
    const out = await drplan(['discard', 'old-20260101-000000-eeee', '--state', state]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('discarded run old-20260101-000000-eeee');
    expect(existsSync(join(state, 'runs', 'old-20260101-000000-eeee'))).toBe(false);
    expect((await drplan(['runs', '--state', state])).stdout).not.toContain('old-20260101-000000-eeee');
    expect((await drplan(['status', 'old-20260101-000000-eeee', '--state', state])).code).toBe(1);
  });

  it('`discard` refuses a run that started: its journal is evidence', async () => {
    const run = await drplan(['run', 'plans/payments-eu.yaml', '--mode', 'unplanned', '--dry-run', '--state', state]);
    const runId = RUN_LINE.exec(run.stdout)![1]!;
    const before = readFileSync(journalOf(runId), 'utf8');
    const out = await drplan(['discard', runId, '--state', state]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(new RegExp(`run ${runId} started \\(its journal has \\d+ records\\): only a run that never started can be discarded`));
    expect(readFileSync(journalOf(runId), 'utf8')).toBe(before);
  });

  it('`discard` refuses while an engine holds the run (it may be about to write the start record)', async () => {
    emptyRun('old-20260101-000000-ffff');
    const held = acquireRunLock(join(state, 'runs', 'old-20260101-000000-ffff', 'lock'), 'old-20260101-000000-ffff', () => {});
    const out = await drplan(['discard', 'old-20260101-000000-ffff', '--state', state]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('is being driven by another drplan');
    expect(existsSync(journalOf('old-20260101-000000-ffff'))).toBe(true);
    held.release();
  });
});
