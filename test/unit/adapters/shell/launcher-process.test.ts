import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { launcherModulePath } from '../../../../adapters/shell/launcher-path.js';
import { runProcess } from '../../../../adapters/shell/run-process.js';
import { createProcessStarter } from '../../../../adapters/shell/start-process.js';
import type { JsonObject } from '../../../../adapters/types.js';
import { createLogRecorder, exec, expectOperationError, isProcessGone, makeContext, makePlanDir, openShell, readPid, realClock, waitUntil } from './helpers.js';
import { commandLine, parentPid, startParent } from './launcher-helpers.js';

// Commands are started by drplan's process launcher, a small process forked once, so that
// spawning never forks drplan itself. These tests look at real processes through /proc.

const printParent = ['sh', '-c', 'echo $PPID'];
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

async function parentOfCommand(planDir: string): Promise<number> {
  return Number(((await exec(planDir, { argv: printParent })).stdout as string).trim());
}

/** Runs commands until one runs in a launcher (they are spawned directly while it starts); its pid. */
async function runningLauncher(planDir: string): Promise<number> {
  let parent = await parentOfCommand(planDir);
  await waitUntil(async () => (parent = await parentOfCommand(planDir)) !== process.pid, 'a command runs in the launcher');
  return parent;
}

describe.runIf(existsSync('/proc/self/stat'))('the process launcher', () => {
  it('starts commands once it is up: their parent is the launcher, the same one for every command, not drplan', async () => {
    const planDir = await makePlanDir();
    const launcher = await runningLauncher(planDir);
    expect(parentPid(launcher)).toBe(process.pid);
    expect(commandLine(launcher)).toMatch(/launcher-main\.js/);
    for (let i = 0; i < 3; i++) expect(await parentOfCommand(planDir)).toBe(launcher);
  });

  it('is stopped and reaped when the shell adapter closes idle, and a later command starts a new one', async () => {
    const planDir = await makePlanDir();
    const launcher = await runningLauncher(planDir);
    const shell = await openShell({}, { planDir });
    await shell.close!();
    // Reaped, not a zombie: /proc has no entry for it at all (its CPU time is now drplan's).
    expect(existsSync(`/proc/${launcher}`)).toBe(false);
    const next = await runningLauncher(planDir);
    expect(next).not.toBe(launcher);
  });

  it('is waited for, not abandoned, when a run ends while it is still starting: drplan exits 0', async () => {
    const dir = await makePlanDir();
    // One command, over before the launcher is up (~50 ms); the run ends and closes the shell.
    writeFileSync(
      path.join(dir, 'plan.yaml'),
      `apiVersion: drplan/v1
kind: RecoveryPlan
metadata: { name: short }
spec:
  adapters:
    site: { type: simulator, estimates: { failover: 0s, start: 0s } }
  sites: { source: site, target: site }
  modes: { unplanned: {} }
  groups:
    - id: app
      vms: [a-1]
      post:
        - id: hello
          run: ["true"]
`,
    );
    for (let i = 0; i < 3; i++) {
      const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'drplan.js'), 'run', 'plan.yaml', '--mode', 'unplanned', '--state', 'state'], { cwd: dir, encoding: 'utf8' });
      // 13 is Node's exit code for a top-level await left unsettled because the event loop emptied.
      expect(result.status, result.stdout + result.stderr).toBe(0);
    }
  });

  it('is kept when the shell adapter closes while another instance has a command in flight', async () => {
    const planDir = await makePlanDir();
    const launcher = await runningLauncher(planDir);
    const busy = await openShell({}, { planDir });
    const controller = new AbortController();
    const running = busy.call('exec', { argv: ['sleep', '30'] }, makeContext({ signal: controller.signal }));
    await waitUntil(() => readFileSync(`/proc/${launcher}/task/${launcher}/children`, 'utf8').trim() !== '', 'the sleep runs in the launcher');
    const idle = await openShell({}, { planDir });
    await idle.close!();
    expect(isProcessGone(launcher)).toBe(false);
    controller.abort('done');
    await running.catch(() => {});
  });

  it('does not make the first command wait while it starts: that one is spawned by drplan itself', async () => {
    const planDir = await makePlanDir();
    const starter = createProcessStarter(launcherModulePath());
    const spec = { file: 'sh', args: ['-c', 'echo $PPID'], cwd: planDir, env: { PATH: process.env.PATH! }, maxOutputBytes: 1024, killGraceMs: 1000, signal: new AbortController().signal, clock: realClock };
    const first = await runProcess(spec, starter);
    expect(first).toMatchObject({ kind: 'exited', output: { stdout: `${process.pid}\n` } });
    await waitUntil(() => starter.launcher.state === 'running', 'the launcher is running');
    const later = await runProcess(spec, starter);
    expect(later).toMatchObject({ kind: 'exited', output: { stdout: `${starter.launcher.pid}\n` } });
  });

  it('exits when drplan is SIGKILLed, leaving the command running as drplan did', async () => {
    const dir = await makePlanDir();
    const launcherFile = path.join(dir, 'launcher.pid');
    const commandFile = path.join(dir, 'command.pid');
    const parent = startParent(dir, ['sh', '-c', 'echo $PPID > "$1"; echo $$ > "$2"; exec sleep 300', 'sh', launcherFile, commandFile]);
    const launcher = await readPid(launcherFile);
    const command = await readPid(commandFile);
    expect(parentPid(launcher)).toBe(parent.pid);

    process.kill(parent.pid, 'SIGKILL');
    expect((await parent.ended).signal).toBe('SIGKILL');
    await waitUntil(() => isProcessGone(launcher), `launcher ${launcher} is gone`);
    // The command leads its own process group and outlives both, as it outlived drplan before.
    expect(isProcessGone(command)).toBe(false);
    process.kill(-command, 'SIGKILL');
    await waitUntil(() => isProcessGone(command), `command ${command} is gone`);
  });

  it('keeps drplan alive while a command runs and lets it exit once idle, then exits with it', async () => {
    const dir = await makePlanDir();
    const parent = startParent(dir, ['sh', '-c', 'sleep 0.5; echo $PPID']);
    const ended = await parent.ended;
    expect(ended.code).toBe(0);
    const outcome = JSON.parse(ended.stdout) as { kind: string; exitCode: number; output: { stdout: string } };
    expect(outcome).toMatchObject({ kind: 'exited', exitCode: 0 });
    const launcher = Number(outcome.output.stdout.trim());
    expect(launcher).not.toBe(parent.pid);
    await waitUntil(() => isProcessGone(launcher), `launcher ${launcher} is gone`);
  });

  it('survives Ctrl-C with drplan, which cancels its command through it as before', async () => {
    const dir = await makePlanDir();
    const launcherFile = path.join(dir, 'launcher.pid');
    const parent = startParent(dir, ['sh', '-c', 'echo $PPID > "$1"; echo started; exec sleep 300', 'sh', launcherFile]);
    const launcher = await readPid(launcherFile);
    // What a terminal does on Ctrl-C: SIGINT to the foreground process group, drplan's.
    process.kill(-parent.pid, 'SIGINT');
    const ended = await parent.ended;
    expect(ended.code).toBe(0);
    // Had the launcher died of the SIGINT, the command's output would have been lost with it.
    expect(JSON.parse(ended.stdout)).toMatchObject({
      kind: 'stopped',
      cause: { kind: 'cancelled', reason: 'interrupted (Ctrl-C)' },
      output: { stdout: 'started\n' },
    });
    await waitUntil(() => isProcessGone(launcher), `launcher ${launcher} is gone`);
  });

  it('fails a running command clearly when the launcher dies, stops its group, and starts a new launcher for the next', async () => {
    const planDir = await makePlanDir();
    const launcherFile = path.join(planDir, 'launcher.pid');
    const backgroundFile = path.join(planDir, 'background.pid');
    const logger = createLogRecorder();
    const script = 'echo $PPID > "$1"; sleep 300 & echo $! > "$2"; wait';
    const launcher = await runningLauncher(planDir);
    const running = exec(planDir, { argv: ['sh', '-c', script, 'sh', launcherFile, backgroundFile] }, {}, makeContext({ logger }));
    expect(await readPid(launcherFile)).toBe(launcher);
    const background = await readPid(backgroundFile);

    process.kill(launcher, 'SIGKILL');
    const error = await expectOperationError(running);
    expect(error.message).toMatch(
      new RegExp(
        `^command sh -c .* has an unknown outcome: drplan's process launcher \\(pid ${launcher}\\) was killed by SIGKILL while it ran, ` +
          `so its exit status and output are lost; drplan killed its process group \\(SIGTERM\\)\\. ` +
          'It may have done some or all of its work: check what it did before running it again$',
      ),
    );
    expect(error.details.output).toMatchObject({ exitCode: null, signal: null, stdout: '', stderr: '' });
    expect(logger.entries.at(-1)).toMatchObject({ level: 'error', fields: { launcherPid: launcher, launcherSignal: 'SIGKILL', stopped: true } });
    await waitUntil(() => isProcessGone(background), `background ${background} is gone`);

    // The next command starts a new launcher (and, while it starts, is spawned directly).
    const next = await runningLauncher(planDir);
    expect(next).not.toBe(launcher);
    expect(commandLine(next)).toMatch(/launcher-main\.js/);
  });

  it('runs many commands at once, each caller getting its own stdin, output and truncation', async () => {
    const planDir = await makePlanDir();
    await runningLauncher(planDir);
    const shell = await openShell({ maxOutputBytes: 64 }, { planDir });
    // Odd commands print more than maxOutputBytes before their id; all finish in shuffled order.
    const script = 'sleep "0.$(( $1 % 5 ))"; [ $(( $1 % 2 )) = 1 ] && head -c 1000 /dev/zero | tr "\\0" x; cat; printf " %s" "$1"; echo "err $1" >&2';
    const ids = Array.from({ length: 40 }, (_, i) => i);
    const outputs = await Promise.all(
      ids.map((i) => shell.call('exec', { argv: ['sh', '-c', script, 'sh', String(i)], stdin: `in-${i}` }, makeContext()) as Promise<JsonObject>),
    );
    for (const i of ids) {
      const output = outputs[i]!;
      expect(output.stderr).toBe(`err ${i}\n`);
      expect(output.truncated).toBe(i % 2 === 1);
      if (i % 2 === 1) expect(output.stdout).toMatch(new RegExp(`^x+in-${i} ${i}$`));
      else expect(output.stdout).toBe(`in-${i} ${i}`);
    }
  });
});
