import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { launcherModulePath } from '../../../../adapters/shell/launcher-path.js';
import { runProcess, type ProcessOutcome, type ProcessSpec } from '../../../../adapters/shell/run-process.js';
import { createProcessStarter, type ProcessStarter } from '../../../../adapters/shell/start-process.js';
import { isProcessGone, makePlanDir, readPid, realClock, waitUntil } from './helpers.js';

// runProcess keeps one contract whichever way a command is started: through the launcher (the
// usual way), or spawned by drplan itself when no launcher can be started.

type Starter = ReturnType<typeof createProcessStarter>;

const starters: [string, () => Starter, Starter['launcher']['state']][] = [
  ['through the launcher', () => createProcessStarter(launcherModulePath()), 'running'],
  ['spawned directly (no launcher could start)', () => createProcessStarter('/nonexistent/launcher-main.js'), 'unavailable'],
];

function spec(planDir: string, argv: string[], extra: Partial<ProcessSpec> = {}): ProcessSpec {
  return {
    file: argv[0]!,
    args: argv.slice(1),
    cwd: planDir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    maxOutputBytes: 1 << 20,
    killGraceMs: 1000,
    signal: new AbortController().signal,
    clock: realClock,
    ...extra,
  };
}

function expectKind<K extends ProcessOutcome['kind']>(outcome: ProcessOutcome, kind: K): Extract<ProcessOutcome, { kind: K }> {
  expect(outcome.kind).toBe(kind);
  return outcome as Extract<ProcessOutcome, { kind: K }>;
}

describe.each(starters)('runProcess, %s', (_name, makeStarter, launcherState) => {
  const starter: ProcessStarter & Pick<Starter, 'launcher'> = makeStarter();

  beforeAll(async () => {
    // The first command starts the launcher (and is spawned directly meanwhile).
    await runProcess(spec('/', ['true']), starter);
    await waitUntil(() => starter.launcher.state === launcherState, `the launcher is ${launcherState}`);
  });

  it('reports exit code, signal, both streams, cwd and env', async () => {
    const planDir = await makePlanDir();
    const script = 'pwd; echo "$GREETING" >&2; exit 3';
    const outcome = expectKind(await runProcess(spec(planDir, ['sh', '-c', script], { env: { PATH: process.env.PATH!, GREETING: 'hé' } }), starter), 'exited');
    expect(outcome).toMatchObject({ exitCode: 3, signal: null, pipesLeftOpen: false });
    expect(outcome.output).toMatchObject({ stderr: 'hé\n', stdoutTruncated: false, stderrTruncated: false });
    expect(outcome.output.stdout).toMatch(new RegExp(`${path.basename(planDir)}\\n$`));
    expect(outcome.output.durationMs).toBeGreaterThanOrEqual(0);
    const killed = expectKind(await runProcess(spec(planDir, ['sh', '-c', 'kill -USR1 $$']), starter), 'exited');
    expect(killed).toMatchObject({ exitCode: null, signal: 'SIGUSR1' });
  });

  it('writes stdin then closes it, and gives /dev/null without it', async () => {
    const planDir = await makePlanDir();
    const withStdin = expectKind(await runProcess(spec(planDir, ['cat'], { stdin: 'line 1\nlíne 2\n' }), starter), 'exited');
    expect(withStdin.output.stdout).toBe('line 1\nlíne 2\n');
    const without = expectKind(await runProcess(spec(planDir, ['wc', '-c']), starter), 'exited');
    expect(without.output.stdout.trim()).toBe('0');
  });

  it('keeps the tail of each stream within maxOutputBytes, flagged truncated, without a cut character', async () => {
    const planDir = await makePlanDir();
    const script = 'i=0; while [ $i -lt 2000 ]; do printf "ééééé"; i=$((i+1)); done; printf END; printf short >&2';
    const outcome = expectKind(await runProcess(spec(planDir, ['sh', '-c', script], { maxOutputBytes: 101 }), starter), 'exited');
    expect(outcome.output.stdoutTruncated).toBe(true);
    expect(outcome.output.stdout).toMatch(/^é+END$/);
    expect(Buffer.byteLength(outcome.output.stdout)).toBeLessThanOrEqual(101);
    expect(outcome.output).toMatchObject({ stderr: 'short', stderrTruncated: false });
  });

  it('gives not-started with the errno fields for a missing program', async () => {
    const planDir = await makePlanDir();
    const outcome = expectKind(await runProcess(spec(planDir, ['drplan-no-such-program']), starter), 'not-started');
    expect(outcome.error).toBeInstanceOf(Error);
    expect(outcome.error).toMatchObject({ code: 'ENOENT', syscall: 'spawn drplan-no-such-program', path: 'drplan-no-such-program' });
    expect(typeof outcome.error.errno).toBe('number');
  });

  it('gives not-started for arguments Node refuses before forking', async () => {
    const planDir = await makePlanDir();
    const outcome = expectKind(await runProcess(spec(planDir, ['echo', 'a\0b']), starter), 'not-started');
    expect(outcome.error.code).toBe('ERR_INVALID_ARG_VALUE');
  });

  it('stops the whole group on timeout, SIGKILL for what ignores SIGTERM', async () => {
    const planDir = await makePlanDir();
    const pidFile = path.join(planDir, 'stubborn.pid');
    const script = '(trap "" TERM; exec sleep 300) & echo $! > "$1"; echo started; wait';
    const outcome = expectKind(await runProcess(spec(planDir, ['sh', '-c', script, 'sh', pidFile], { timeoutMs: 500, killGraceMs: 300 }), starter), 'stopped');
    expect(outcome).toMatchObject({ cause: { kind: 'timeout', afterMs: 500 }, forced: true });
    expect(outcome.output.stdout).toBe('started\n');
    const stubborn = await readPid(pidFile);
    await waitUntil(() => isProcessGone(stubborn), `${stubborn} is gone`);
  });

  it('stops the group when the signal aborts, with the reason', async () => {
    const planDir = await makePlanDir();
    const abort = new AbortController();
    const running = runProcess(spec(planDir, ['sleep', '300'], { signal: abort.signal }), starter);
    setTimeout(() => abort.abort('operator said stop'), 100);
    const outcome = expectKind(await running, 'stopped');
    expect(outcome).toMatchObject({ cause: { kind: 'cancelled', reason: 'operator said stop' }, forced: false });
  });

  it('does not wait beyond the drain period for a background process holding stdout', async () => {
    const planDir = await makePlanDir();
    const outcome = expectKind(await runProcess(spec(planDir, ['sh', '-c', 'sleep 60 & echo $!']), starter), 'exited');
    expect(outcome).toMatchObject({ exitCode: 0, pipesLeftOpen: true });
    process.kill(Number(outcome.output.stdout.trim()), 'SIGKILL');
  });
});
