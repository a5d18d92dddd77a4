// Bundles the compiled CLI (dist/engine/cli/main.js) and the shell adapter's process launcher
// into dist/bundle/, which bin/drplan.js runs. Node loads an ES module graph file by file: the
// CLI with its dependencies is some 700 files (ajv and yaml alone ~390), and resolving, reading
// and compiling them was about half of a cold `drplan validate` (measured: 0.20 s → 0.15 s
// bundled). Every command's start-up counts — an unplanned failover starts with `drplan run`.
//
// Lazily loaded parts stay lazy: each command module and each adapter is its own chunk, loaded
// when used (esbuild's code splitting keeps the dynamic imports). Left to node_modules at run
// time: fastify (only `drplan serve` loads it) and pg (only the postgres adapter), which are
// large and only on those paths, and pg's optional native binding.
//
// The tsc output in dist/ stays as it is: tests import the compiled modules (the launcher
// tests, the bench), and the bundle is built from it, so one compiler decides what the code is.
//
//   node scripts/bundle.js          after tsc (npm run build does both)
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;
rmSync(outdir, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: {
    main: 'dist/engine/cli/main.js',
    // Next to the chunks: adapters/shell/launcher-path.ts finds it beside the module asking.
    'launcher-main': 'dist/adapters/shell/launcher-main.js',
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Chunks beside the entry points, so that a module's './launcher-main.js' is the same file wherever it lands.
  chunkNames: '[name]-[hash]',
  external: ['fastify', '@fastify/*', 'pg', 'pg-native'],
  // CommonJS dependencies (ajv, yaml, handlebars, pino) call require() for Node's built-ins;
  // an ES module has no require of its own.
  banner: { js: "import { createRequire as __drplanCreateRequire } from 'node:module'; const require = __drplanCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
});
