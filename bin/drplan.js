#!/usr/bin/env node
// The executable is a thin shell over the bundled CLI (scripts/bundle.js) so that `cli(argv, io)`
// stays testable in-process.
import { existsSync } from 'node:fs';
const entry = new URL('../dist/bundle/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('drplan: the compiled CLI is missing (dist/bundle/). Run `npm ci` or `npm run build` in the drplan checkout.\n');
  process.exit(70);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
