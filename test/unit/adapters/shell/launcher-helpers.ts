import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * For the launcher tests: a small drplan stand-in process that runs one command through the
 * built runProcess (dist/, as the launcher itself is), and a look at who a process's parent is.
 */

const RUN_PROCESS = fileURLToPath(new URL('../../../../dist/adapters/shell/run-process.js', import.meta.url));

const PARENT_SCRIPT = `
import { runProcess } from ${JSON.stringify(RUN_PROCESS)};
const clock = {
  simulated: false,
  now: () => Date.now(),
  sleep: (ms, signal) => new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
  }),
};
const spec = (file, args) => ({ file, args, cwd: process.cwd(), env: process.env, maxOutputBytes: 1 << 20,
  killGraceMs: 1000, signal: new AbortController().signal, clock });
// Commands are spawned directly until the launcher is up: wait for it, as a long run would.
for (let tries = 0; ; tries++) {
  const probe = await runProcess(spec('sh', ['-c', 'echo $PPID']));
  if (Number(probe.output.stdout) !== process.pid) break;
  if (tries === 400) throw new Error('the launcher did not start');
  await new Promise((resolve) => setTimeout(resolve, 50));
}
// Ctrl-C cancels the command, as drplan's run does.
const abort = new AbortController();
process.on('SIGINT', () => abort.abort('interrupted (Ctrl-C)'));
const [file, ...args] = JSON.parse(process.argv[2]);
const outcome = await runProcess({ ...spec(file, args), signal: abort.signal });
process.stdout.write(JSON.stringify(outcome));
`;

export interface ParentProcess {
  pid: number;
  /** Resolves when it has ended: its exit code (null when killed) and what it printed. */
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>;
}

/**
 * Starts a Node process that waits for its launcher, runs `argv` with runProcess (SIGINT cancels
 * it), prints the outcome as JSON and ends. It leads its own process group, as drplan started
 * from a shell does.
 */
export function startParent(dir: string, argv: string[]): ParentProcess {
  const script = path.join(dir, 'parent.mjs');
  writeFileSync(script, PARENT_SCRIPT);
  const child = spawn(process.execPath, [script, JSON.stringify(argv)], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stdout })),
  );
  return { pid: child.pid!, ended };
}

/** The command line of a running process (Linux /proc). */
export function commandLine(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
}

/** The parent pid of a running process (Linux /proc). */
export function parentPid(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}
