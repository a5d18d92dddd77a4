import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeLoss, type CommandIdentity } from '../../../../adapters/shell/describe-failure.js';
import { LAUNCHER_PROTOCOL } from '../../../../adapters/shell/launcher-protocol.js';
import { runProcess, type ProcessOutcome, type ProcessSpec } from '../../../../adapters/shell/run-process.js';
import { createProcessStarter } from '../../../../adapters/shell/start-process.js';
import { makePlanDir, realClock, waitUntil } from './helpers.js';

// A launcher that cannot start means commands are spawned directly; one that dies mid-way turns
// what it had in flight into a 'lost' outcome that says so. Broken launchers are stand-in modules.

/** Writes a stand-in launcher module: `body` runs on start, `onSpawn(request)` for each spawn. */
function writeLauncher(dir: string, name: string, body: string, onSpawn = '() => {}'): string {
  const file = path.join(dir, `${name}.mjs`);
  writeFileSync(
    file,
    `import { appendFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(path.join(dir, `${name}.starts`))}, 'start\\n');
process.on('disconnect', () => process.exit(0));
const onSpawn = ${onSpawn};
process.on('message', (request) => { if (request.type === 'spawn') onSpawn(request); });
${body}
`,
  );
  return file;
}

const ready = `process.send({ type: 'ready', protocol: ${LAUNCHER_PROTOCOL} });`;

function starts(dir: string, name: string): number {
  const file = path.join(dir, `${name}.starts`);
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
}

function spec(dir: string, argv: string[]): ProcessSpec {
  return {
    file: argv[0]!,
    args: argv.slice(1),
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    maxOutputBytes: 1 << 20,
    killGraceMs: 1000,
    signal: new AbortController().signal,
    clock: realClock,
  };
}

const command: CommandIdentity = { display: './failover.sh db', program: './failover.sh', resolved: '/plans/failover.sh', planDir: '/plans', searchPath: '/usr/bin' };

async function runAndExpectDirect(dir: string, launcherFile: string): Promise<void> {
  const starter = createProcessStarter(launcherFile);
  const runsInDrplan = async () => {
    const outcome = await runProcess(spec(dir, ['sh', '-c', 'echo $PPID']), starter);
    expect(outcome).toMatchObject({ kind: 'exited', exitCode: 0, output: { stdout: `${process.pid}\n`, stderr: '' } });
  };
  await runsInDrplan();
  await waitUntil(() => starter.launcher.state === 'unavailable', 'the launcher is given up');
  await runsInDrplan();
  expect(starter.launcher.pid).toBeUndefined();
}

/** A starter whose launcher is up (the command that starts it is spawned directly). */
async function startedStarter(dir: string, launcherFile: string) {
  const starter = createProcessStarter(launcherFile);
  await runProcess(spec(dir, ['true']), starter);
  await waitUntil(() => starter.launcher.state === 'running', 'the launcher is running');
  return starter;
}

describe('when no launcher can be started', () => {
  it('spawns directly when the launcher module is missing (a checkout that was not built)', async () => {
    const dir = await makePlanDir();
    await runAndExpectDirect(dir, path.join(dir, 'missing.js'));
  });

  it('spawns directly when the launcher crashes on start, and does not try again for every command', async () => {
    const dir = await makePlanDir();
    await runAndExpectDirect(dir, writeLauncher(dir, 'crashing', "throw new Error('broken launcher');"));
    expect(starts(dir, 'crashing')).toBe(1);
  });

  it('spawns directly when the launcher speaks another protocol (dist/ built from other sources), and stops it', async () => {
    const dir = await makePlanDir();
    const file = writeLauncher(dir, 'stale', `process.send({ type: 'ready', protocol: ${LAUNCHER_PROTOCOL + 100} }); setInterval(() => {}, 1000);`);
    await runAndExpectDirect(dir, file);
    expect(starts(dir, 'stale')).toBe(1);
  });
});

describe('when the launcher dies with commands in flight', () => {
  it('reports a command it never answered for as lost, with what the launcher said last, and starts a new launcher next', async () => {
    const dir = await makePlanDir();
    const file = writeLauncher(dir, 'dying', ready, "() => { process.stderr.write('Error: out of file descriptors\\n    at spawn (x.js:1:1)\\n\\nNode.js v20\\n'); process.exit(3); }");
    const starter = await startedStarter(dir, file);
    const outcome = await runProcess(spec(dir, ['true']), starter);
    expect(outcome).toMatchObject({
      kind: 'lost',
      launcher: { exitCode: 3, signal: null, lastWords: 'Error: out of file descriptors' },
      pid: null,
      exit: null,
      stop: null,
    });
    const error = describeLoss(command, outcome as Extract<ProcessOutcome, { kind: 'lost' }>, 1000);
    const launcherPid = (outcome as Extract<ProcessOutcome, { kind: 'lost' }>).launcher.pid;
    expect(error.message).toBe(
      `command ./failover.sh db may or may not have started: drplan's process launcher (pid ${launcherPid}) exited with code 3 ` +
        '(Error: out of file descriptors) before saying; check what it did before running it again',
    );
    expect(starter.launcher.state).toBe('none');
    expect(await runProcess(spec(dir, ['true']), starter)).toMatchObject({ kind: 'exited', exitCode: 0 });
    await waitUntil(() => starts(dir, 'dying') === 2, 'a second launcher started');
  });

  it('reports an exit status that arrived without its output', async () => {
    const dir = await makePlanDir();
    const onSpawn = `(request) => {
      process.send({ type: 'spawned', id: request.id, pid: 999999 });
      process.send({ type: 'exited', id: request.id, code: 0, signal: null }, () => process.kill(process.pid, 'SIGKILL'));
    }`;
    const outcome = await runProcess(spec(dir, ['true']), await startedStarter(dir, writeLauncher(dir, 'mute', ready, onSpawn)));
    expect(outcome).toMatchObject({ kind: 'lost', pid: 999999, exit: { code: 0, signal: null }, stop: null, launcher: { signal: 'SIGKILL' } });
    const lost = outcome as Extract<ProcessOutcome, { kind: 'lost' }>;
    expect(describeLoss(command, lost, 1000).message).toBe(
      `command ./failover.sh db exited with code 0, but its output is unknown: drplan's process launcher (pid ${lost.launcher.pid}) was killed by SIGKILL before passing it on`,
    );
  });

  it('says so when the group of a lost command had already ended', () => {
    const outcome: Extract<ProcessOutcome, { kind: 'lost' }> = {
      kind: 'lost',
      launcher: { pid: 42, exitCode: null, signal: 'SIGKILL', lastWords: null },
      pid: 4242,
      exit: null,
      stop: null,
      output: { stdout: '', stderr: '', stdoutTruncated: false, stderrTruncated: false, durationMs: 1500 },
    };
    const error = describeLoss(command, outcome, 5000);
    expect(error.message).toBe(
      "command ./failover.sh db has an unknown outcome: drplan's process launcher (pid 42) was killed by SIGKILL while it ran, so its exit status and output are lost; " +
        'its process group had already ended. It may have done some or all of its work: check what it did before running it again',
    );
    expect(error.details.output).toMatchObject({ exitCode: null, durationMs: 1500 });
    const forced = describeLoss(command, { ...outcome, stop: { forced: true } }, 5000);
    expect(forced.message).toContain('drplan killed its process group (SIGTERM, then SIGKILL after 5s)');
  });
});
