import { fileURLToPath } from 'node:url';

/**
 * Where the launcher's module is. In dist/ (drplan as built or installed by npm) it is the
 * compiled file next to this one: dist/bundle/launcher-main.js for the bundled CLI (scripts/bundle.js
 * puts it beside its chunks), dist/adapters/shell/launcher-main.js for the tsc output. Run from its TypeScript sources (vitest), drplan uses the copy
 * in dist/, because Node cannot execute a `.ts` file: tests run after `npm run build`. A missing
 * or stale build only costs speed — the launcher is not used and commands are spawned directly.
 */
export function launcherModulePath(): string {
  const here = import.meta.url;
  const compiled = here.endsWith('.ts') ? '../../dist/adapters/shell/launcher-main.js' : './launcher-main.js';
  return fileURLToPath(new URL(compiled, here));
}
