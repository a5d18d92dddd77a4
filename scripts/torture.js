// `npm run torture`: the crash torture as a command — real drplan processes on generated plans,
// SIGKILLed, hung up, read by `| head -1`, resumed 2–3 at once on stale locks, until each run
// ends; a report of what was done and found (docs/reliability.md).
//
// The campaign is the TypeScript the test suite runs (test/helpers/torture-*.ts, driven by
// test/e2e/crash-torture.test.ts): one implementation. This script builds it with esbuild into
// node_modules/.cache/ and runs it against the built drplan: every import of engine/ or
// adapters/ is pointed at its compiled twin in dist/ (what bin/drplan.js runs), so the harness's
// own reads of the journal and its in-process operator commands are the shipped code too.
//
//   npm run torture                      build, then run until the targets are met
//   node scripts/torture.js --help       after npm run build
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = join(root, 'test', 'helpers', 'torture-command.ts');
const outfile = join(root, 'node_modules', '.cache', 'drplan-torture', 'torture-command.js');

if (!existsSync(join(root, 'dist', 'engine', 'cli', 'cli.js')) || !existsSync(join(root, 'dist', 'bundle', 'main.js'))) {
  process.stderr.write('torture: dist/ is missing or incomplete: run `npm run build` first (`npm run torture` does).\n');
  process.exit(2);
}

/** engine/… and adapters/… from dist/, as compiled; every .ts file keeps its own import.meta.url. */
const builtDrplan = {
  name: 'built-drplan',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = resolve(args.resolveDir, args.path);
      const rel = relative(root, target);
      const [top] = rel.split(sep);
      if (top !== 'engine' && top !== 'adapters' && top !== 'schemas') return undefined;
      const compiled = join(root, 'dist', rel.replace(/\.ts$/, '.js'));
      if (!existsSync(compiled)) return { errors: [{ text: `${rel} has no compiled twin ${relative(root, compiled)}: run npm run build` }] };
      return { path: pathToFileURL(compiled).href, external: true };
    });
    // The helpers find the fixtures and bin/ from where they are: keep that where they were.
    b.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
      resolveDir: dirname(args.path),
    }));
  },
};

await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  plugins: [builtDrplan],
  logLevel: 'warning',
});

const { main } = await import(pathToFileURL(outfile).href);
process.exitCode = await main(process.argv.slice(2));
