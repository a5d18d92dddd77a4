import { spawn, type ChildProcess } from 'node:child_process';

/**
 * How every step command is spawned, by the launcher (launcher-main.ts) or by drplan itself when
 * there is none (spawn-direct.ts): never through a shell, as the leader of a new process group
 * (so that stopping it reaches everything it started), stdout and stderr piped, stdin piped only
 * when there is something to write. Throws, before forking, for arguments the OS cannot take.
 * Imports nothing but Node: the launcher loads it.
 */
export function spawnCommand(command: { file: string; args: readonly string[]; cwd: string; env: Record<string, string>; withStdin: boolean }): ChildProcess {
  return spawn(command.file, [...command.args], {
    cwd: command.cwd,
    env: command.env,
    shell: false,
    detached: true,
    windowsHide: true,
    stdio: [command.withStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
}
