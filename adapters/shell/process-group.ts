/**
 * Signals to a command's whole process group. Commands are spawned as group leaders
 * (`detached: true`, so the group id is the leader's pid); signalling `-pid` reaches every
 * process the command started — `sleep 600 &` in a script included — unless one left the group
 * on purpose (`setsid`).
 */

/**
 * Sends `signal` to every process in the group led by `pgid`; signal 0 only checks.
 * Returns false once the group has no process left.
 */
export function signalProcessGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return false;
    // Some member belongs to another user: the group is alive, but out of our reach.
    if (code === 'EPERM') return true;
    throw error;
  }
}

/** Whether any process (zombies included) is still in the group led by `pgid`. */
export function isProcessGroupAlive(pgid: number): boolean {
  return signalProcessGroup(pgid, 0);
}
