import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { formatDuration } from '../../engine/model/duration.js';
import { OperationError, type JsonObject } from '../types.js';
import { formatOutputTail } from './output-tail.js';
import type { CapturedOutput, ProcessOutcome } from './run-process.js';

/**
 * Operator-facing errors for a command that failed: what happened, the end of what it said, and
 * what to do about it. The captured output rides along in the error's details for the journal.
 */

/** What the messages need to know about the command. */
export interface CommandIdentity {
  /** argv as shown to operators (`formatArgv`). */
  display: string;
  /** argv[0] as written in the plan. */
  program: string;
  /** The path or bare name that was spawned. */
  resolved: string;
  planDir: string;
  /** PATH of the command's environment, searched for bare names. */
  searchPath: string | undefined;
}

type Exited = Extract<ProcessOutcome, { kind: 'exited' }>;
type Stopped = Extract<ProcessOutcome, { kind: 'stopped' }>;
type Lost = Extract<ProcessOutcome, { kind: 'lost' }>;

/** The step output recorded with a failure. */
export function describeOutput(output: CapturedOutput, exitCode: number | null, signal: string | null): JsonObject {
  return {
    exitCode,
    signal,
    stdout: output.stdout,
    stderr: output.stderr,
    truncated: output.stdoutTruncated || output.stderrTruncated,
    durationMs: output.durationMs,
  };
}

/** A command that exited non-zero or died of a signal drplan did not send. */
export function describeExitFailure(command: CommandIdentity, outcome: Exited): OperationError {
  const { output, exitCode, signal } = outcome;
  const what =
    signal !== null
      ? `was killed by signal ${signal}${signal === 'SIGKILL' ? ' (not by drplan; the kernel’s out-of-memory killer does this)' : ''}`
      : `exited with code ${exitCode}`;
  return new OperationError(`command ${command.display} ${what}${describeTail(output)}`, {
    output: describeOutput(output, exitCode, signal),
  });
}

/** A command drplan stopped because it timed out or the step was cancelled. */
export function describeStop(command: CommandIdentity, outcome: Stopped, killGraceMs: number): OperationError {
  const killed = outcome.forced
    ? `drplan killed its process group (SIGTERM, then SIGKILL after ${formatDuration(killGraceMs)})`
    : 'drplan killed its process group (SIGTERM)';
  const { cause } = outcome;
  const what =
    cause.kind === 'timeout'
      ? `timed out after ${formatDuration(cause.afterMs)}; ${killed}. If it needs longer, raise \`timeout\` in the step's \`with\` or the instance config`
      : isTimeoutReason(cause.reason)
        ? `timed out${describeReason(cause.reason, "the step's timeout")}; ${killed}. If it needs longer, raise the step's \`timeout\``
        : `was cancelled${describeReason(cause.reason)}; ${killed}`;
  return new OperationError(`command ${command.display} ${what}${describeTail(outcome.output)}`, {
    output: describeOutput(outcome.output, null, null),
  });
}

/**
 * A command whose outcome is unknown: the process launcher that started it died before saying
 * how it ended. It may have done some, all or none of its work.
 */
export function describeLoss(command: CommandIdentity, outcome: Lost, killGraceMs: number): OperationError {
  const { launcher, exit, stop } = outcome;
  const how = launcher.signal !== null ? `was killed by ${launcher.signal}` : `exited with code ${launcher.exitCode}`;
  const died = `drplan's process launcher (pid ${launcher.pid}) ${how}${launcher.lastWords ? ` (${launcher.lastWords})` : ''}`;
  const check = 'check what it did before running it again';
  let what: string;
  if (outcome.pid === null) {
    what = `may or may not have started: ${died} before saying; ${check}`;
  } else if (exit !== null) {
    const ended = exit.signal !== null ? `was killed by signal ${exit.signal}` : `exited with code ${exit.code}`;
    what = `${ended}, but its output is unknown: ${died} before passing it on`;
  } else {
    const stopped = stop === null
      ? 'its process group had already ended'
      : stop.forced
        ? `drplan killed its process group (SIGTERM, then SIGKILL after ${formatDuration(killGraceMs)})`
        : 'drplan killed its process group (SIGTERM)';
    what = `has an unknown outcome: ${died} while it ran, so its exit status and output are lost; ${stopped}. It may have done some or all of its work: ${check}`;
  }
  return new OperationError(`command ${command.display} ${what}`, {
    output: describeOutput(outcome.output, exit?.code ?? null, exit?.signal ?? null),
  });
}

/** A command that could not be started at all: not found, not executable, bad interpreter. */
export async function describeSpawnFailure(command: CommandIdentity, error: NodeJS.ErrnoException): Promise<OperationError> {
  const fail = (message: string) => new OperationError(message, { retryable: false });
  const { program, resolved } = command;
  const bare = !program.includes('/');
  // For a bare name, the file PATH lookup would have found, if any.
  const file = bare ? await findInPath(program, command.searchPath) : resolved;

  if (error.code === 'ENOENT') {
    if (file !== undefined && (await isFile(file))) {
      // The file is there: execve's ENOENT is about the interpreter on its #! line.
      const shebang = await readShebang(file);
      return fail(
        `${program} exists (${file}) but cannot be run: the interpreter ${shebang ? `on its first line "${shebang}" ` : ''}was not found; install it or fix the #! line`,
      );
    }
    if (bare) {
      return fail(
        `command not found: ${program} (looked in PATH${command.searchPath ? `=${command.searchPath}` : ', which is not set'}). Install it, give its absolute path, or write ./${program} for a file relative to the plan directory`,
      );
    }
    const where = path.isAbsolute(program) ? resolved : `${resolved}, relative to the plan directory ${command.planDir}`;
    return fail(`command not found: ${program} (looked for ${where})`);
  }
  if (error.code === 'EACCES') {
    if (file !== undefined && (await isDirectory(file))) return fail(`${program} is a directory (${file}), not a program`);
    return fail(`${program} is not executable: chmod +x ${file ?? program}`);
  }
  if (error.code === 'E2BIG') {
    return fail(`command ${command.display} could not start: its arguments are too long for the OS (E2BIG); pass large data on stdin instead`);
  }
  return fail(`command ${command.display} could not start: ${error.message}`);
}

function describeTail(output: CapturedOutput): string {
  // Many scripts report errors on stdout; show it when stderr has nothing to say.
  return formatOutputTail('stderr', output.stderr) || formatOutputTail('stdout', output.stdout);
}

/** The engine aborts a step at its own `timeout` with a reason named TimeoutError (as `AbortSignal.timeout` does). */
function isTimeoutReason(reason: unknown): boolean {
  return reason instanceof Error || reason instanceof DOMException ? reason.name === 'TimeoutError' : false;
}

function describeReason(reason: unknown, fallback?: string): string {
  const text = reason instanceof Error || reason instanceof DOMException ? reason.message : typeof reason === 'string' ? reason : '';
  // The default messages of `abort()` and `AbortSignal.timeout` say nothing the verb does not.
  const generic = text === '' || text === 'This operation was aborted' || text === 'The operation was aborted due to timeout';
  if (!generic) return ` (${text})`;
  return fallback ? ` (${fallback})` : '';
}

async function findInPath(name: string, searchPath: string | undefined): Promise<string | undefined> {
  for (const dir of (searchPath ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    if (await stat(candidate).then(() => true, () => false)) return candidate;
  }
  return undefined;
}

async function isFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined))?.isFile() ?? false;
}

async function isDirectory(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined))?.isDirectory() ?? false;
}

async function readShebang(file: string): Promise<string | undefined> {
  const head = await readFile(file).then((bytes) => bytes.subarray(0, 256).toString('utf8'), () => '');
  return head.startsWith('#!') ? head.split('\n', 1)[0] : undefined;
}
