import { spawn, type ChildProcess } from 'node:child_process';
import { MAX_TIMER_MS } from '../../engine/model/duration.js';
import type { Clock } from '../types.js';
import { isProcessGroupAlive, signalProcessGroup } from './process-group.js';
import { createTailBuffer } from './tail-buffer.js';

/**
 * The mechanics of running one program: spawn without a shell as the leader of a new process
 * group, capture bounded output, and on timeout or abort stop the whole group (SIGTERM, then
 * SIGKILL after a grace period). It reports what happened as data; turning that into messages
 * for the operator is `describe-failure.ts`'s job.
 */

/** Everything needed to run a program, already resolved (absolute cwd, final environment). */
export interface ProcessSpec {
  /** The program: an absolute path, or a bare name looked up in `env.PATH`. */
  file: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
  /** Written to stdin, which is then closed; without it stdin is /dev/null. */
  stdin?: string;
  maxOutputBytes: number;
  timeoutMs?: number;
  killGraceMs: number;
  signal: AbortSignal;
  clock: Clock;
}

/** What a command printed (each stream's tail) and how long it ran. */
export interface CapturedOutput {
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  /** From spawn to the leader's exit. */
  durationMs: number;
}

/** Why drplan stopped a command. */
export type StopCause = { kind: 'timeout'; afterMs: number } | { kind: 'cancelled'; reason: unknown };

/** How a run ended: never started, exited by itself, or stopped by drplan. */
export type ProcessOutcome =
  | { kind: 'not-started'; error: NodeJS.ErrnoException }
  | {
      kind: 'exited';
      exitCode: number | null;
      signal: NodeJS.Signals | null;
      output: CapturedOutput;
      /** A background process still held stdout or stderr after the command exited; its later output is lost. */
      pipesLeftOpen: boolean;
    }
  | {
      kind: 'stopped';
      cause: StopCause;
      /** SIGKILL was needed: something in the group outlived SIGTERM by `killGraceMs`. */
      forced: boolean;
      output: CapturedOutput;
    };

/** How often a stopping group is checked for survivors during the kill grace. */
const GROUP_POLL_MS = 25;
/**
 * How long output may keep arriving after the leader exits. Normally the pipes close at once;
 * they stay open only when a backgrounded process inherited them, and then the step must not
 * wait for that process.
 */
const PIPE_DRAIN_MS = 1000;

/**
 * Runs `spec.file` with `spec.args` and resolves when it is over; never rejects for anything the
 * command does.
 *
 * @example
 * ```ts
 * const outcome = await runProcess({ file: 'pg_isready', args: ['-h', host], cwd, env, maxOutputBytes: 1 << 20,
 *   killGraceMs: 5000, timeoutMs: 30_000, signal, clock });
 * if (outcome.kind === 'exited' && outcome.exitCode === 0) console.log(outcome.output.stdout);
 * ```
 */
export async function runProcess(spec: ProcessSpec): Promise<ProcessOutcome> {
  const { clock } = spec;
  const startedAt = clock.now();
  const stdout = createTailBuffer(spec.maxOutputBytes);
  const stderr = createTailBuffer(spec.maxOutputBytes);

  let child: ChildProcess;
  try {
    child = spawn(spec.file, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env,
      shell: false,
      // Its own process group, so that stopping it reaches everything it started.
      detached: true,
      windowsHide: true,
      stdio: [spec.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
  } catch (error) {
    // Arguments the OS cannot take (Node checks some before forking).
    return { kind: 'not-started', error: error as NodeJS.ErrnoException };
  }
  child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));

  let exitedAt = startedAt;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      exitedAt = clock.now();
      resolve({ code, signal });
    }),
  );
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const spawnError = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', resolve);
  });
  if (spawnError) return { kind: 'not-started', error: spawnError };
  // Later 'error' events (a failed write to stdin) must not crash drplan; the exit tells the story.
  child.on('error', () => {});
  const pid = child.pid!;

  if (spec.stdin !== undefined) {
    // EPIPE when the command exits without reading everything is the command's choice, not a fault.
    child.stdin!.on('error', () => {});
    child.stdin!.end(spec.stdin, 'utf8');
  }

  const capture = (): CapturedOutput => ({
    stdout: stdout.text(),
    stderr: stderr.text(),
    stdoutTruncated: stdout.truncated,
    stderrTruncated: stderr.truncated,
    durationMs: exitedAt - startedAt,
  });

  // Aborted when the command is over, to drop our timers and listeners.
  const settled = new AbortController();
  const stopRequested = new Promise<StopCause>((resolve) => {
    const { timeoutMs } = spec;
    if (timeoutMs !== undefined) {
      sleepFor(clock, timeoutMs, settled.signal).then(
        () => resolve({ kind: 'timeout', afterMs: timeoutMs }),
        () => {},
      );
    }
    const onAbort = () => resolve({ kind: 'cancelled', reason: spec.signal.reason });
    if (spec.signal.aborted) onAbort();
    else spec.signal.addEventListener('abort', onAbort, { once: true, signal: settled.signal });
  });

  try {
    const first = await Promise.race([exited.then((exit) => ({ exit })), stopRequested.then((cause) => ({ cause }))]);
    if ('cause' in first) {
      signalProcessGroup(pid, 'SIGTERM');
      const forced = await killGroupAfterGrace(pid, exited, spec.killGraceMs, clock, settled.signal);
      await exited;
      await waitForPipes(closed, clock, settled.signal);
      return { kind: 'stopped', cause: first.cause, forced, output: capture() };
    }
    const pipesClosed = await waitForPipes(closed, clock, settled.signal);
    return { kind: 'exited', exitCode: first.exit.code, signal: first.exit.signal, output: capture(), pipesLeftOpen: !pipesClosed };
  } finally {
    settled.abort();
    child.stdin?.destroy();
    child.stdout!.destroy();
    child.stderr!.destroy();
  }
}

/**
 * After SIGTERM: waits until the leader has exited and nothing is left in its group, or until
 * `graceMs` has passed, then sends SIGKILL to whatever remains. True when SIGKILL hit something.
 */
async function killGroupAfterGrace(
  pgid: number,
  exited: Promise<unknown>,
  graceMs: number,
  clock: Clock,
  signal: AbortSignal,
): Promise<boolean> {
  let leaderGone = false;
  void exited.then(() => (leaderGone = true));
  const deadline = clock.now() + graceMs;
  for (;;) {
    if (leaderGone && !isProcessGroupAlive(pgid)) return false;
    const left = deadline - clock.now();
    if (left <= 0) break;
    await sleepFor(clock, Math.min(GROUP_POLL_MS, left), signal);
  }
  return signalProcessGroup(pgid, 'SIGKILL');
}

/** True when stdout and stderr closed within the drain period. */
function waitForPipes(closed: Promise<void>, clock: Clock, signal: AbortSignal): Promise<boolean> {
  return Promise.race([
    closed.then(() => true),
    sleepFor(clock, PIPE_DRAIN_MS, signal).then(
      () => false,
      () => false,
    ),
  ]);
}

/** `clock.sleep` for any length: one timer holds at most `MAX_TIMER_MS`. */
async function sleepFor(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  let left = ms;
  while (left > MAX_TIMER_MS) {
    await clock.sleep(MAX_TIMER_MS, signal);
    left -= MAX_TIMER_MS;
  }
  await clock.sleep(left, signal);
}
