import { MAX_TIMER_MS } from '../../engine/model/duration.js';
import type { Clock } from '../types.js';
import { launcherModulePath } from './launcher-path.js';
import type { RawOutput } from './launcher-protocol.js';
import { isProcessGroupAlive, signalProcessGroup } from './process-group.js';
import type { LauncherLoss, ProcessStarter, StartRequest } from './process-starter.js';
import { createProcessStarter } from './start-process.js';
import { decodeTail } from './tail-buffer.js';

/**
 * The mechanics of running one program: spawn without a shell as the leader of a new process
 * group (through the process launcher, see launcher-main.ts), capture bounded output, and on
 * timeout or abort stop the whole group (SIGTERM, then SIGKILL after a grace period). It reports
 * what happened as data; turning that into messages for the operator is `describe-failure.ts`'s job.
 */

/** Everything needed to run a program, already resolved (absolute cwd, final environment). */
export interface ProcessSpec extends StartRequest {
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

/** How a run ended: never started, exited by itself, stopped by drplan, or unknown because the launcher died. */
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
    }
  | {
      kind: 'lost';
      /** The launcher that died, and how. */
      launcher: LauncherLoss;
      /** The command's pid; null when the launcher died before saying whether it started. */
      pid: number | null;
      /** Known when the leader's exit was reported before the launcher died (its output was not). */
      exit: { code: number | null; signal: NodeJS.Signals | null } | null;
      /**
       * The command was still running, so drplan stopped its process group as for a cancel;
       * `forced` as in 'stopped'. Null when nothing was left to stop or it could not be found.
       */
      stop: { forced: boolean } | null;
      /** Empty: what the command printed was lost with the launcher. */
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

/** One launcher for the whole drplan process, started with the first command. */
const sharedStarter = createProcessStarter(launcherModulePath());

/**
 * Ends the shared launcher when no command is in flight, and waits for it: a closing adapter
 * leaves no process behind, and drplan reaps it, so the launcher's CPU time and its commands'
 * count as drplan's (in `time`, in wait4 of whoever started drplan). A later command starts a
 * new launcher.
 */
export function stopSharedLauncher(): Promise<void> {
  return sharedStarter.launcher.stopIfIdle();
}

/**
 * Runs `spec.file` with `spec.args` and resolves when it is over; never rejects for anything the
 * command does. `starter` is for tests; commands go through the shared launcher.
 *
 * @example
 * ```ts
 * const outcome = await runProcess({ file: 'pg_isready', args: ['-h', host], cwd, env, maxOutputBytes: 1 << 20,
 *   killGraceMs: 5000, timeoutMs: 30_000, signal, clock });
 * if (outcome.kind === 'exited' && outcome.exitCode === 0) console.log(outcome.output.stdout);
 * ```
 */
export async function runProcess(spec: ProcessSpec, starter: ProcessStarter = sharedStarter): Promise<ProcessOutcome> {
  const { clock } = spec;
  const start = await starter.start(spec, clock);
  if (start.kind === 'not-started') return start;
  if (start.kind === 'lost') {
    return { kind: 'lost', launcher: start.loss, pid: null, exit: null, stop: null, output: capture(undefined, clock.now() - start.startedAt) };
  }
  const { process: child, startedAt } = start;
  const { pid } = child;

  let exitedAt = startedAt;
  const exited = child.exited.then((exit) => {
    exitedAt = clock.now();
    return exit;
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
      await waitForPipes(child.closed, clock, settled.signal);
      const raw = await child.collect();
      // A launcher that died meanwhile took the output with it; drplan stopped the command all the same.
      return { kind: 'stopped', cause: first.cause, forced, output: capture('lost' in raw ? undefined : raw, exitedAt - startedAt) };
    }
    const { exit } = first;
    if (exit.kind === 'lost') return await stopLostCommand(pid, exit.loss, spec, startedAt, settled.signal);
    const pipesClosed = await waitForPipes(child.closed, clock, settled.signal);
    const raw = await child.collect();
    const output = capture('lost' in raw ? undefined : raw, exitedAt - startedAt);
    if ('lost' in raw) return { kind: 'lost', launcher: raw.lost, pid, exit: { code: exit.code, signal: exit.signal }, stop: null, output };
    return { kind: 'exited', exitCode: exit.code, signal: exit.signal, output, pipesLeftOpen: !pipesClosed };
  } finally {
    settled.abort();
    // Stop reading the pipes (a background process may still hold them).
    void child.collect();
  }
}

/**
 * The launcher died while the command ran: nothing will report its exit or output any more.
 * drplan stops it as it would a cancelled command — left running unsupervised behind a failed
 * step, a retry could run it twice at once.
 */
async function stopLostCommand(
  pid: number,
  loss: LauncherLoss,
  spec: ProcessSpec,
  startedAt: number,
  signal: AbortSignal,
): Promise<ProcessOutcome> {
  const { clock } = spec;
  const lostAt = clock.now();
  const output = capture(undefined, lostAt - startedAt);
  if (!signalProcessGroup(pid, 'SIGTERM')) return { kind: 'lost', launcher: loss, pid, exit: null, stop: null, output };
  // Nobody reports the leader's exit now; the group check sees it (init reaps it once orphaned).
  const forced = await killGroupAfterGrace(pid, Promise.resolve(), spec.killGraceMs, clock, signal);
  return { kind: 'lost', launcher: loss, pid, exit: null, stop: { forced }, output };
}

/** Decoded output; empty when it was lost. */
function capture(raw: RawOutput | undefined, durationMs: number): CapturedOutput {
  if (raw === undefined) return { stdout: '', stderr: '', stdoutTruncated: false, stderrTruncated: false, durationMs };
  return {
    stdout: decodeTail(raw.stdout, raw.stdoutTruncated),
    stderr: decodeTail(raw.stderr, raw.stderrTruncated),
    stdoutTruncated: raw.stdoutTruncated,
    stderrTruncated: raw.stderrTruncated,
    durationMs,
  };
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
