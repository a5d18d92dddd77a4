import { closeSync, openSync } from 'node:fs';
import { isatty } from 'node:tty';

/**
 * On exit, Node restores the terminal settings of stdin, stdout and stderr as they were at
 * start, and Node 20 aborts (SIGABRT, exit 134, "Assertion failed … ResetStdio") when that fails
 * because the terminal hung up (nodejs/node#51519, fixed in later Node lines by #58200). So a run
 * driven to its end after its SSH session dropped would exit 134 instead of its own exit code.
 * Node skips a descriptor that no longer refers to the file it started with: once the terminal is
 * gone, each of its descriptors is pointed at /dev/null, just before the process exits.
 *
 * @example
 * ```ts
 * process.once('exit', forgetHungUpTerminal()); // at start, while the terminal is there
 * ```
 */
export function forgetHungUpTerminal(): () => void {
  const fds = [0, 1, 2].filter((fd) => isatty(fd));
  return () => {
    for (const fd of fds) {
      // A hung-up terminal answers every request with EIO: it is no terminal any more.
      if (isatty(fd)) continue;
      try {
        closeSync(fd);
        // The lowest free descriptor: the one just closed (nothing else runs during 'exit').
        const reopened = openSync('/dev/null', fd === 0 ? 'r' : 'w');
        // Not it after all: a closed descriptor is skipped as well.
        if (reopened !== fd) closeSync(reopened);
      } catch {
        // Nothing more to do at exit: at worst, Node's own check fails as it would have.
      }
    }
  };
}
