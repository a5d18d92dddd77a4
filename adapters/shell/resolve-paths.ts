import { stat } from 'node:fs/promises';
import path from 'node:path';
import { OperationError } from '../types.js';

/**
 * Where a command runs and which file it is. Plans are reviewed and run from anywhere, so a
 * relative path means "next to the plan", never "wherever drplan was started".
 */

/**
 * The program to spawn for `argv[0]`: a path with a slash (`./scripts/smoke.sh`,
 * `bin/check`) resolves against the plan directory; a bare name (`psql`) stays bare and is looked
 * up in the command's PATH.
 */
export function resolveProgram(program: string, planDir: string): string {
  if (path.isAbsolute(program) || !program.includes('/')) return program;
  return path.resolve(planDir, program);
}

/** The absolute working directory for `cwd` (relative to the plan directory), or the default. */
export function resolveWorkingDirectory(cwd: string | undefined, fallback: string, planDir: string): string {
  return cwd === undefined ? fallback : path.resolve(planDir, cwd);
}

/**
 * Fails unless `dir` is a directory. Checked before spawning because a missing cwd makes spawn
 * report ENOENT, which would read as "command not found".
 */
export async function assertDirectory(dir: string, planDir: string): Promise<void> {
  const stats = await stat(dir).catch(() => undefined);
  if (stats?.isDirectory()) return;
  const what = stats ? 'is not a directory' : 'does not exist';
  throw new OperationError(
    `shell: working directory ${dir} ${what} (cwd resolves against the plan directory ${planDir}); create it or fix \`cwd\``,
    { retryable: false },
  );
}
