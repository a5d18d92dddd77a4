/**
 * The effect ledger written by test/fixtures/torture/ledger.sh: what really happened, whatever the
 * journal says. The crash-torture harness reads it as an operator would check the world.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface LedgerLine {
  kind: 'begin' | 'fail' | 'effect';
  runId: string;
  stepId: string;
  n: number;
  pid?: number;
}

export function readLedger(file: string, runId?: string): LedgerLine[] {
  if (!existsSync(file)) return [];
  const out: LedgerLine[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [kind, run, step, n, pid] = line.split(' ');
    if ((kind !== 'begin' && kind !== 'fail' && kind !== 'effect') || !run || !step) continue;
    if (runId !== undefined && run !== runId) continue;
    out.push({ kind, runId: run, stepId: step, n: Number(n), ...(pid ? { pid: Number(pid) } : {}) });
  }
  return out;
}

/** How many times each step's effect happened. */
export function effectCounts(lines: readonly LedgerLine[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const l of lines) if (l.kind === 'effect') counts.set(l.stepId, (counts.get(l.stepId) ?? 0) + 1);
  return counts;
}

/** Processes still running the ledger script for this ledger file (Linux: /proc). */
function ledgerProcesses(ledgerFile: string): number[] | null {
  if (!existsSync('/proc/self/cmdline')) return null;
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // A zombie's cmdline is empty: it can write nothing more, so it does not count.
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').includes(ledgerFile)) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** The host went down: the ledger commands still running die with it (Linux; elsewhere a no-op). */
export function killLedgerCommands(ledgerFile: string): void {
  for (const pid of ledgerProcesses(ledgerFile) ?? []) {
    // The script leads a process group (the shell adapter's doing): its dd and sleep go too.
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // not a group leader, or already gone
      }
    }
  }
}

/**
 * After drplan is killed, the commands it had started go on (they lead process groups of their
 * own): wait until none is left, so the ledger says all there is to say before anyone decides
 * from it. Where /proc is missing, wait until every begun attempt has its outcome line and the
 * ledger has been quiet for a while.
 */
export async function waitForOrphans(ledgerFile: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let lastSize = -1;
  let quietSince = Date.now();
  for (;;) {
    const procs = ledgerProcesses(ledgerFile);
    if (procs !== null) {
      if (procs.length === 0) return;
    } else {
      const lines = readLedger(ledgerFile);
      const size = lines.length;
      if (size !== lastSize) {
        lastSize = size;
        quietSince = Date.now();
      }
      const open = lines.filter((l) => l.kind === 'begin' && !lines.some((o) => o.kind !== 'begin' && o.runId === l.runId && o.stepId === l.stepId && o.n === l.n));
      if (open.length === 0 && Date.now() - quietSince > 300) return;
    }
    if (Date.now() > until) throw new Error(`ledger commands for ${ledgerFile} still running after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
