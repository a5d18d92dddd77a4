import { mkdtemp, readFile, writeFile, chmod } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { shellAdapter, type ShellConfig } from '../../../../adapters/shell/index.js';
import {
  OperationError,
  type AdapterInstance,
  type AdapterLogger,
  type Clock,
  type JsonObject,
  type OperationContext,
} from '../../../../adapters/types.js';

/** Shared set-up for the shell adapter tests: real processes, real time, temporary plan dirs. */

export const realClock: Clock = {
  simulated: false,
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export interface LogEntry {
  level: 'info' | 'warn' | 'error' | 'debug';
  fields: Record<string, unknown>;
  message: string;
}

export function createLogRecorder(): AdapterLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: LogEntry['level']) => (fields: Record<string, unknown>, message: string) => void entries.push({ level, fields, message });
  return { entries, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
}

export function makeContext(overrides: Partial<OperationContext> = {}): OperationContext {
  return {
    runId: 'run-1',
    stepId: 'step-1',
    attempt: 1,
    idempotencyKey: 'run-1:step-1:1',
    signal: new AbortController().signal,
    logger: createLogRecorder(),
    clock: realClock,
    mode: 'test',
    ...overrides,
  };
}

/** A fresh directory standing in for the directory of a plan file. */
export function makePlanDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'drplan-shell-'));
}

export async function openShell(
  config: ShellConfig,
  options: { planDir: string; env?: Record<string, string | undefined> },
): Promise<AdapterInstance> {
  return shellAdapter.open(config, {
    instance: 'sh',
    planDir: options.planDir,
    clock: realClock,
    random: () => 0.5,
    logger: createLogRecorder(),
    env: options.env ?? process.env,
  });
}

/** Opens an instance on `planDir` and runs one `exec`. */
export async function exec(planDir: string, input: JsonObject, config: ShellConfig = {}, ctx = makeContext()): Promise<JsonObject> {
  const shell = await openShell(config, { planDir });
  return shell.call('exec', input, ctx);
}

/** The OperationError `promise` rejects with. */
export async function expectOperationError(promise: Promise<unknown>): Promise<OperationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OperationError);
  return error as OperationError;
}

/** `node -e code args...`: in the child, the args are `process.argv.slice(1)`. */
export function nodeEval(code: string, ...args: string[]): string[] {
  return [process.execPath, '-e', code, ...args];
}

/** Writes a script and makes it executable. */
export async function writeExecutable(file: string, text: string, mode = 0o755): Promise<string> {
  await writeFile(file, text);
  await chmod(file, mode);
  return file;
}

/** Polls until `check` holds; fails after a generous `timeoutMs`. */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Reads a pid a command wrote to `file`, waiting for it to appear. */
export async function readPid(file: string): Promise<number> {
  await waitUntil(async () => existsSync(file) && (await readFile(file, 'utf8')).trim() !== '', `${file} holds a pid`);
  return Number((await readFile(file, 'utf8')).trim());
}

/** True once `pid` has exited (a zombie waiting for init to reap it has exited too). */
export function isProcessGone(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (existsSync('/proc/self/stat')) {
    try {
      const text = readFileSync(stat, 'utf8');
      return text.slice(text.lastIndexOf(')') + 2).startsWith('Z');
    } catch {
      return true;
    }
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}
