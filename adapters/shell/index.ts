import { OperationError, type Adapter, type AdapterEnvironment, type AdapterInstance } from '../types.js';
import { shellDeclaration, type ShellConfig } from './declaration.js';
import { execCommand } from './exec-command.js';
import { stopSharedLauncher } from './run-process.js';
import { resolveShellSettings } from './shell-settings.js';

/**
 * `type: shell` (SPEC §2.1 `run` steps, §4): runs local programs from an argv list — never
 * through a shell — in their own process group, with bounded output, timeouts that kill the
 * whole group, and errors that end with what the command printed last. `run:` steps call
 * `exec` on a built-in instance; plans may also declare instances and call `<name>.exec`.
 */

export { shellDeclaration, type ShellConfig } from './declaration.js';
export type { ExecInput } from './exec-input.js';
export { buildScriptArgv } from '../../engine/model/script-argv.js';

/**
 * The shell adapter.
 *
 * @example
 * ```ts
 * const sh = await shellAdapter.open({ timeout: '2m' }, environment);
 * const out = await sh.call('exec', { argv: ['./scripts/smoke.sh', 'database'] }, ctx);
 * // { exitCode: 0, stdout: '...', stderr: '', truncated: false, durationMs: 812 }
 * ```
 */
export const shellAdapter: Adapter<ShellConfig> = {
  ...shellDeclaration,
  open: openShellInstance,
};

function openShellInstance(config: ShellConfig, environment: AdapterEnvironment): AdapterInstance {
  const settings = resolveShellSettings(config, environment.planDir);
  // Aborted by close(): commands still running are stopped like a cancelled step.
  const closing = new AbortController();
  const running = new Set<Promise<unknown>>();

  return {
    async call(operation, input, ctx) {
      if (operation !== 'exec') {
        throw new OperationError(`shell has no operation "${operation}"; it provides: exec`, { retryable: false });
      }
      if (closing.signal.aborted) throw new OperationError('shell: this adapter instance is closed; no new commands can start');
      const call = execCommand(settings, input, { ...ctx, signal: AbortSignal.any([ctx.signal, closing.signal]) }, environment);
      running.add(call);
      try {
        return await call;
      } finally {
        running.delete(call);
      }
    },
    async close() {
      closing.abort(new Error('the shell adapter instance was closed'));
      await Promise.allSettled([...running]);
      await stopSharedLauncher();
    },
  };
}
