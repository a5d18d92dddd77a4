import { resolve } from 'node:path';
import { FileStore } from '../store/file-store.js';
import type { CliIo } from './io.js';

/** The run store commands use: `--state DIR`, else `$DRPLAN_STATE`, else `.drplan/` here. */
export function openStateStore(io: CliIo, state: string | undefined): FileStore {
  const dir = resolve(io.cwd, state ?? io.env.DRPLAN_STATE ?? '.drplan');
  return new FileStore(dir, { warn: (message) => io.stderr(`drplan: warning: ${message}\n`) });
}

export const STATE_OPTION = ['--state <dir>', 'where runs are kept (default: $DRPLAN_STATE or .drplan/)'] as const;

/** Who is acting: `$DRPLAN_PRINCIPAL`, else the operating-system user. */
export function actingPrincipal(io: CliIo): string {
  if (io.env.DRPLAN_PRINCIPAL) return io.env.DRPLAN_PRINCIPAL;
  return io.env.USER ?? io.env.LOGNAME ?? 'unknown';
}
