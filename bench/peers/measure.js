// Runs one command and measures it the same way whatever the program: wall time, CPU time of
// the whole process tree, peak memory.
//
// - Wall: from spawn to exit, on the monotonic clock.
// - CPU: user + system time of the command and every descendant it waited for, as GNU time
//   (`/usr/bin/time -f`) reads it from wait4(); without /usr/bin/time, `bash -c '...; times'`
//   gives the same children-included totals.
// - Memory: the peak of the summed proportional set size of the process tree (every
//   descendant's PSS from /proc/<pid>/smaps_rollup, sampled every `sampleMs`; RSS where PSS
//   cannot be read), which is what the machine must hold: Ansible's forks count together, and
//   pages two processes share (the Node binary in drplan and its launcher, Python in Ansible's
//   forks) count once, split between them. And GNU time's %M, the largest single process's
//   peak RSS.

import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';
const PAGE_KB = 4; // statm counts pages; 4 KiB on x86_64 and arm64 Linux

/** True when CPU figures come from GNU time (else from bash's `times`). */
export const hasGnuTime = existsSync(GNU_TIME);

/**
 * @typedef {{
 *   exitCode: number | null,
 *   wallMs: number,
 *   startedAt: number,
 *   cpuMs: number | null,
 *   userMs: number | null,
 *   sysMs: number | null,
 *   maxProcessRssMb: number | null,
 *   peakTreePssMb: number | null,
 * }} Measurement
 */

/**
 * Runs `argv` in `cwd` with stdout and stderr to files (`<logPrefix>.out`, `.err`), and measures it.
 *
 * @param {string[]} argv
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv, logPrefix: string, sampleMs?: number }} options
 * @returns {Promise<Measurement>}
 */
export async function measure(argv, options) {
  const timeFile = `${options.logPrefix}.time`;
  rmSync(timeFile, { force: true });
  const wrapped = hasGnuTime
    ? [GNU_TIME, '-f', '%U %S %M', '-o', timeFile, '--', ...argv]
    : ['bash', '-c', '"$@"; s=$?; times >"$0"; exit $s', timeFile, ...argv];
  const out = openSync(`${options.logPrefix}.out`, 'w');
  const err = openSync(`${options.logPrefix}.err`, 'w');
  const startedAt = Date.now();
  const start = process.hrtime.bigint();
  let child;
  try {
    child = spawn(wrapped[0], wrapped.slice(1), { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', out, err] });
  } finally {
    closeSync(out);
    closeSync(err);
  }
  let peakKb = 0;
  const sample = () => {
    if (child.pid === undefined) return;
    // The wrapper itself (GNU time or bash) is not part of the program.
    const kb = treePssKb(child.pid) - pssKb(child.pid);
    if (kb > peakKb) peakKb = kb;
  };
  const timer = setInterval(sample, options.sampleMs ?? 20);
  const exitCode = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)));
  }).finally(() => clearInterval(timer));
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = readCpu(timeFile);
  return {
    exitCode,
    wallMs,
    startedAt,
    cpuMs: cpu ? cpu.userMs + cpu.sysMs : null,
    userMs: cpu?.userMs ?? null,
    sysMs: cpu?.sysMs ?? null,
    maxProcessRssMb: cpu?.maxRssKb ? cpu.maxRssKb / 1024 : null,
    peakTreePssMb: peakKb > 0 ? peakKb / 1024 : null,
  };
}

function readCpu(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  if (hasGnuTime) {
    // GNU time may print "Command exited with non-zero status N" first.
    const line = text.trim().split('\n').at(-1) ?? '';
    const [u, s, m] = line.split(/\s+/).map(Number);
    if (![u, s, m].every(Number.isFinite)) return null;
    return { userMs: u * 1000, sysMs: s * 1000, maxRssKb: m };
  }
  // `times`: the shell's own line, then its children's: "0m1.234s 0m0.567s".
  const children = text.trim().split('\n').at(-1)?.match(/(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/);
  if (!children) return null;
  const ms = (m, s) => (Number(m) * 60 + Number(s)) * 1000;
  return { userMs: ms(children[1], children[2]), sysMs: ms(children[3], children[4]), maxRssKb: null };
}

/** Proportional set size of one process in KiB (its resident set where PSS is unreadable; 0 when it is gone). */
function pssKb(pid) {
  try {
    const pss = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    if (pss) return Number(pss[1]);
  } catch {
    // gone, or a kernel without smaps_rollup (< 4.14): fall back to RSS
  }
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_KB;
  } catch {
    return 0;
  }
}

/** Summed proportional set size of a process and all its descendants, in KiB. */
export function treePssKb(pid) {
  let total = 0;
  const stack = [pid];
  const seen = new Set();
  while (stack.length > 0) {
    const p = stack.pop();
    if (seen.has(p)) continue;
    seen.add(p);
    total += pssKb(p);
    stack.push(...childrenOf(p));
  }
  return total;
}

function childrenOf(pid) {
  const out = [];
  let tasks;
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const t of tasks) {
    try {
      for (const c of readFileSync(join(`/proc/${pid}/task/${t}`, 'children'), 'utf8').split(' ')) if (c) out.push(Number(c));
    } catch {
      // the task ended meanwhile
    }
  }
  return out;
}
