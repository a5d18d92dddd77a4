/**
 * The real `drplan` process for the crash-torture and journal-damage tests: `node bin/drplan.js`
 * spawned as a user would start it, killed with SIGKILL at a chosen moment — after a delay, when
 * the effect ledger or the journal has grown by N lines — the way a power cut or the OOM killer
 * stops an engine: no handler runs, nothing is flushed. Or disturbed the way a terminal session
 * disturbs it: its stdout read by `| head -1` (the reader takes the first line and closes the
 * pipe), or a hangup (SIGHUP to its process group, its output pipes gone) as when an SSH session
 * drops. Those it must survive.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'drplan.js');

/**
 * When to SIGKILL the process. `machine`: the whole host goes down — the commands drplan started
 * (which lead process groups of their own and otherwise outlive it) are killed too.
 */
export type KillPoint = (
  | { kind: 'delay'; ms: number }
  /** When the ledger has `lines` more lines than when the process started. */
  | { kind: 'ledger'; lines: number }
  /** When the ledger shows an attempt of this step begun. */
  | { kind: 'begin'; stepId: string }
  /** When the journal has `records` more records than when the process started. */
  | { kind: 'journal'; records: number }
) & { machine?: boolean };

export interface ProcessOutcome {
  code: number | null;
  /** The signal that ended it, when one did (SIGKILL when `killed`). */
  signal: NodeJS.Signals | null;
  /** True when this harness killed it (it was still running at the kill point). */
  killed: boolean;
  /** True when it got the hangup (it was still running at the hangup point). */
  hungUp: boolean;
  /** True when its stdout was closed on it (`closeStdout`, or the hangup) while it still ran. */
  stdoutClosed: boolean;
  /** True when it ran past `timeoutMs` and was killed for it. */
  timedOut: boolean;
  pid: number;
  stdout: string;
  stderr: string;
  ms: number;
  /** When it was spawned and when it was seen gone (epoch ms). */
  startedAt: number;
  endedAt: number;
}

export interface SpawnOptions {
  cwd: string;
  env?: Record<string, string>;
  kill?: KillPoint | null;
  /**
   * When to hang up: SIGHUP to the process group the process leads (it is spawned leading one, as
   * a shell job does) and both output pipes closed, as when the terminal goes. Only once the
   * process has written something (a delay counts from then); `machine` is ignored.
   */
  hangup?: KillPoint | null;
  /** Read stdout up to its first line, then close the pipe: `drplan … | head -1`. */
  closeStdout?: boolean;
  /** Where to count ledger lines and journal records for ledger/journal kill points. */
  ledgerFile?: string;
  /** Kills the commands drplan started (for `machine` kill points). */
  killCommands?: () => void;
  /** The journal, or a function finding it once the run id is known (from stdout). */
  journalFile?: string | ((stdout: string) => string | null);
  /** Called every ~25 ms while the process runs (e.g. to act as an operator); kills wait while it is busy. */
  onTick?: () => Promise<void>;
  timeoutMs?: number;
}

export function drplanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // TORTURE_OWNER tells this harness's processes (and the launchers they start) from those of another torture running on the machine.
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', DRPLAN_PRINCIPAL: 'torture-operator', DRPLAN_TORTURE_OWNER: String(process.pid), ...extra };
  delete env.FORCE_COLOR;
  delete env.DRPLAN_STATE;
  return env;
}

const counted = new Map<string, { size: number; lines: number; text: string }>();

/** A file's text, re-read only when its size changed (the files polled here only grow). */
function readGrowing(file: string | null | undefined): string {
  if (!file || !existsSync(file)) return '';
  const size = statSync(file).size;
  const known = counted.get(file);
  if (known?.size === size) return known.text;
  const text = readFileSync(file, 'utf8');
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  counted.set(file, { size, lines, text });
  return text;
}

/** Forgets the files under `dir` (a finished case's): a campaign polls thousands of them. */
export function forgetPolledFiles(dir: string): void {
  for (const file of counted.keys()) if (file.startsWith(dir)) counted.delete(file);
}

/** Newline-terminated lines in a file (0 when it does not exist). */
function countLines(file: string | null | undefined): number {
  if (!file) return 0;
  readGrowing(file);
  return counted.get(file)?.lines ?? 0;
}

/** Starts `drplan <args>` and resolves when it ends or has been killed at `options.kill`. */
export function runDrplan(args: readonly string[], options: SpawnOptions): Promise<ProcessOutcome> {
  const started = Date.now();
  // A hangup reaches the terminal's foreground process group: the engine leads its own here, so
  // the harness can signal it (and whatever drplan keeps in it) without signalling itself.
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: drplanEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'], detached: Boolean(options.hangup) });
  let stdout = '';
  let stderr = '';
  let stdoutClosed = false;
  let hungUp = false;
  let timedOut = false;
  const closeOutput = (streams: ('stdout' | 'stderr')[]) => {
    // Destroying the read end closes the pipe: the engine's next write to it gets EPIPE.
    for (const name of streams) {
      const stream = name === 'stdout' ? child.stdout : child.stderr;
      if (stream.destroyed) continue;
      if (name === 'stdout') stdoutClosed = true;
      stream.destroy();
    }
  };
  // A process that has written something runs drplan's code (its signal handlers are set up);
  // before that it is Node starting, which no program can keep a hangup from ending.
  let firstOutputAt: number | null = null;
  child.stdout.on('data', () => (firstOutputAt ??= Date.now()));
  child.stderr.on('data', () => (firstOutputAt ??= Date.now()));
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    if (!options.closeStdout) return void (stdout += s);
    // `head -1`: what it read up to the first newline is all the reader ever gets.
    const newline = s.indexOf('\n');
    stdout += newline === -1 ? s : s.slice(0, newline + 1);
    if (newline !== -1) closeOutput(['stdout']);
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const journalOf = (): string | null => (typeof options.journalFile === 'function' ? options.journalFile(stdout) : options.journalFile ?? null);
  const ledgerBase = countLines(options.ledgerFile);
  let journalBase: number | null = typeof options.journalFile === 'string' ? countLines(options.journalFile) : null;
  let killed = false;
  let exited = false;
  let busy = false;

  const kill = () => {
    if (exited || killed) return;
    killed = child.kill('SIGKILL');
    if (killed && options.kill?.machine) options.killCommands?.();
  };
  const hangup = () => {
    if (exited || hungUp) return;
    try {
      process.kill(-child.pid!, 'SIGHUP');
      hungUp = true;
    } catch {
      return; // the group is gone: the process ended meanwhile
    }
    closeOutput(['stdout', 'stderr']);
  };
  const journalBaseline = (): number | null => {
    const journal = journalOf();
    if (!journal) return null;
    // A run's journal is created after the process started: count from its first sight.
    journalBase ??= 0;
    return countLines(journal) - journalBase;
  };
  /** Whether the moment `k` has come; a delay counts from `from` (not yet, while it is null). */
  const reached = (k: KillPoint | null | undefined, from: number | null = started): boolean => {
    if (!k) return false;
    if (k.kind === 'delay') return from !== null && Date.now() - from >= k.ms;
    if (k.kind === 'ledger') return countLines(options.ledgerFile) - ledgerBase >= k.lines;
    if (k.kind === 'begin') return readGrowing(options.ledgerFile).split('\n').some((l) => l.startsWith('begin ') && l.split(' ')[2] === k.stepId);
    const grown = journalBaseline();
    return grown !== null && grown >= k.records;
  };

  // Poll: fast for the kill point (the windows between an effect and its journal record are a
  // few milliseconds), slower for the operator.
  let lastTick = 0;
  const poll = setInterval(() => {
    if (exited) return;
    if (!busy && reached(options.kill)) return kill();
    if (!hungUp && firstOutputAt !== null && reached(options.hangup, firstOutputAt)) hangup();
    if (options.onTick && !busy && Date.now() - lastTick >= 25) {
      lastTick = Date.now();
      busy = true;
      options.onTick().finally(() => (busy = false));
    }
  }, 2);
  const timeout = setTimeout(() => {
    stderr += `\n[torture] timed out after ${options.timeoutMs ?? 60_000} ms; killed\n`;
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 60_000);

  return new Promise((resolve, reject) => {
    child.once('error', reject);
    // 'close', not 'exit': the pipes are drained, so stdout is complete; and Node has reaped the
    // child, so its pid is free (a stale-lock check must see it dead, not a zombie).
    child.once('close', (code, signal) => {
      exited = true;
      const exitedAt = Date.now();
      clearInterval(poll);
      clearTimeout(timeout);
      const done = () => resolve({ code, signal, killed, hungUp, stdoutClosed, timedOut, pid: child.pid ?? -1, stdout, stderr, ms: Date.now() - started, startedAt: started, endedAt: exitedAt });
      // An operator command still in flight finishes first: it belongs to this process's life.
      const wait = () => (busy ? setTimeout(wait, 5) : done());
      wait();
    });
  });
}

/** Whether a process with this pid exists (zombies count: they still hold the pid). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Shell launchers (adapters/shell/launcher-main.ts) of torture engines still alive: a killed
 * engine's launcher must exit by itself, a finished engine's is ended and reaped. Found through
 * /proc by the environment every torture engine of this harness process gets (`drplanEnv`), which
 * the launcher inherits.
 */
export function tortureLaunchers(): number[] {
  if (!existsSync('/proc/self/environ')) return [];
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('launcher-main.js')) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue; // exited, awaiting its reaper
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`DRPLAN_TORTURE_OWNER=${process.pid}`)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
