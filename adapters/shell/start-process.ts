import { createLauncherClient, type LauncherClient } from './launcher-client.js';
import type { ProcessStarter } from './process-starter.js';
import { spawnDirectly } from './spawn-direct.js';

// The starter's shape, for those who take one (tests hand in their own).
export type { ProcessStarter } from './process-starter.js';

/**
 * Chooses how a command starts: through the process launcher (the usual way, see launcher-main.ts
 * for why), or by spawning from drplan itself when no launcher can be started.
 */

/**
 * Starts commands through a launcher running `launcherModule`, started by the first command, and
 * spawns directly while it starts or when none can be started.
 *
 * @example
 * ```ts
 * const starter = createProcessStarter(launcherModulePath());
 * const start = await starter.start({ file: 'true', args: [], cwd: '/', env: {}, maxOutputBytes: 1024 }, clock);
 * ```
 */
export function createProcessStarter(launcherModule: string): ProcessStarter & { readonly launcher: LauncherClient } {
  const launcher = createLauncherClient(launcherModule);
  return {
    launcher,
    async start(request, clock) {
      const launched = await launcher.start(request, clock);
      // Correctness before speed: without a launcher, drplan forks itself as it always did.
      return launched ?? spawnDirectly(request, clock);
    },
  };
}
