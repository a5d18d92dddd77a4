import { createRequire } from 'node:module';

// package.json sits two levels above both engine/cli (tests) and dist/engine/cli (built) — one more for dist.
const require = createRequire(import.meta.url);
function readVersion(): string {
  for (const candidate of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = require(candidate) as { name?: string; version?: string };
      if (pkg.name === 'drplan' && pkg.version) return pkg.version;
    } catch {
      // try the next location
    }
  }
  return '0.0.0-unknown';
}

export const DRPLAN_VERSION = readVersion();
