import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Who a process is, beyond its pid: a pid is reused once its process is gone, so a lock that
 * names only a pid can be kept "alive" by an unrelated process. The kernel's boot id and the
 * process's start time (in clock ticks since boot) name one process for the life of the host.
 * Both come from /proc; where it is missing (macOS, BSD) they are left out and only the pid counts.
 */
export interface ProcessIdentity {
  pid: number;
  host: string;
  /** /proc/sys/kernel/random/boot_id: changes at every boot. */
  boot?: string;
  /** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
  start?: number;
}

let ownBoot: string | undefined | null = null;

export function bootId(): string | undefined {
  if (ownBoot === null) {
    try {
      ownBoot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
    } catch {
      ownBoot = undefined;
    }
  }
  return ownBoot;
}

/** What /proc says of a pid: its start time and whether it has exited (a zombie awaiting its parent). */
function procStat(pid: number): { start: number; exited: boolean } | 'gone' | 'unknown' {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    // ENOENT with /proc mounted: no such process. Anything else (no /proc at all): cannot tell.
    return (error as NodeJS.ErrnoException).code === 'ENOENT' && procMounted() ? 'gone' : 'unknown';
  }
  // The command name (field 2) is in parentheses and may itself contain spaces or ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const start = Number(fields[19]);
  if (!Number.isSafeInteger(start)) return 'unknown';
  return { start, exited: fields[0] === 'Z' || fields[0] === 'X' };
}

function procMounted(): boolean {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
}

export function ownIdentity(): ProcessIdentity {
  const stat = procStat(process.pid);
  const boot = bootId();
  return { pid: process.pid, host: hostname(), ...(boot ? { boot } : {}), ...(typeof stat === 'object' ? { start: stat.start } : {}) };
}

/**
 * Whether the process a lock names still runs. `elsewhere`: it ran on another host, which cannot
 * be checked from here. On this host it is dead when the host rebooted since (another boot id),
 * when no process has its pid, when that process has exited (a zombie), or when the process with
 * its pid started at another time than the one recorded (the pid was reused). Without /proc only
 * the pid is checked: an unrelated process with a reused pid then keeps the lock alive (refused,
 * never wrongly taken over).
 */
export function processState(holder: ProcessIdentity): 'alive' | 'dead' | 'elsewhere' {
  if (holder.host !== hostname()) return 'elsewhere';
  const boot = bootId();
  if (holder.boot && boot && holder.boot !== boot) return 'dead';
  // kill(0) and kill(-n) would address process groups, not the holder.
  if (!Number.isSafeInteger(holder.pid) || holder.pid <= 0) return 'dead';
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return 'dead';
  }
  const stat = procStat(holder.pid);
  if (stat === 'gone') return 'dead';
  if (stat === 'unknown') return 'alive';
  if (stat.exited) return 'dead';
  if (holder.start !== undefined && stat.start !== holder.start) return 'dead';
  return 'alive';
}
