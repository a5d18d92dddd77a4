// Runs drplan's benchmarks and prints one table. Writes nothing else.
//
//   npm run bench                       # builds, then every benchmark in turn
//   node bench/run-all.js               # every benchmark (needs a build: npm run build)
//   node bench/run-all.js <name>...     # only these (node bench/run-all.js --list names them)
//
// A benchmark is a module `bench/<name>.bench.js` exporting
//   name          a short id, used on the command line
//   description   one line for the table's heading
//   run()         async; returns table rows:
//                 { case, runs?, medianMs?, p95Ms?, peakRssMb?, target?, meets?, note? }
// (bench/stats.js has the helpers: timing, median, p95, peak RSS.)
// It is found by its file name: adding one needs no change here.
//
// Each benchmark runs in a child process of its own, so one does not warm the other's caches
// and "peak RSS" is that benchmark's alone (process.resourceUsage().maxRSS of the child).
// Figures are for people and for docs/benchmarks.md: nothing here fails on a slow time; the
// exit code is non-zero only when a benchmark could not run (a missing build, a plan that no
// longer validates).

import { fork } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const SUFFIX = '.bench.js';

/** Benchmark modules by name, in file-name order. */
function discover() {
  return readdirSync(here)
    .filter((f) => f.endsWith(SUFFIX))
    .sort()
    .map((f) => ({ name: f.slice(0, -SUFFIX.length), file: join(here, f) }));
}

async function main(args) {
  const all = discover();
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`usage: node bench/run-all.js [--list] [name...]\nbenchmarks: ${all.map((b) => b.name).join(', ')}\n`);
    return 0;
  }
  if (args.includes('--list')) {
    process.stdout.write(all.map((b) => b.name).join('\n') + '\n');
    return 0;
  }
  const unknown = args.filter((a) => !all.some((b) => b.name === a));
  if (unknown.length > 0) {
    process.stderr.write(`bench: no benchmark named ${unknown.join(', ')}; there are: ${all.map((b) => b.name).join(', ')}\n`);
    return 2;
  }
  if (!existsSync(join(here, '..', 'dist', 'bundle', 'main.js'))) {
    process.stderr.write('bench: dist/ is missing; run `npm run bench` (it builds first) or `npm run build`\n');
    return 2;
  }
  const chosen = args.length > 0 ? all.filter((b) => args.includes(b.name)) : all;

  process.stdout.write(
    `drplan benchmarks · node ${process.version} · ${cpus().length} cores (${cpus()[0]?.model?.trim() ?? 'unknown cpu'}) · ` +
      `${(totalmem() / 2 ** 30).toFixed(1)} GiB · ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ` +
      `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (wall times grow with it)\n\n`,
  );
  const table = [];
  let failed = 0;
  for (const bench of chosen) {
    process.stderr.write(`bench: running ${bench.name} …\n`);
    const result = await runChild(bench.file);
    if (!result.ok) {
      failed += 1;
      process.stderr.write(`bench: ${bench.name} failed:\n${result.error}\n`);
      table.push({ bench: bench.name, case: 'FAILED (see above)' });
      continue;
    }
    for (const row of result.rows) table.push({ bench: result.name, ...row });
  }
  process.stdout.write(formatTable(table) + '\n');
  return failed > 0 ? 1 : 0;
}

function runChild(file) {
  return new Promise((resolve) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child', file], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let message = null;
    child.on('message', (m) => (message = m));
    child.on('exit', (code, signal) => {
      resolve(message ?? { ok: false, error: `the benchmark process ended (${signal ?? `exit ${code}`}) without a result` });
    });
  });
}

const ms = (v) => (v === undefined ? '' : v >= 100 ? `${v.toFixed(0)} ms` : `${v.toFixed(1)} ms`);
const mb = (v) => (v === undefined ? '' : `${v.toFixed(0)} MB`);

function formatTable(rows) {
  const columns = [
    ['benchmark', (r) => r.bench],
    ['case', (r) => r.case],
    ['runs', (r) => (r.runs === undefined ? '' : String(r.runs))],
    ['median', (r) => ms(r.medianMs)],
    ['p95', (r) => ms(r.p95Ms)],
    ['peak RSS', (r) => mb(r.peakRssMb)],
    ['target', (r) => r.target ?? ''],
    ['meets', (r) => (r.meets === undefined ? '' : r.meets ? 'yes' : 'NO')],
  ];
  const cells = rows.map((r) => columns.map(([, get]) => get(r)));
  const widths = columns.map(([title], i) => Math.max(title.length, ...cells.map((c) => c[i].length)));
  const right = new Set(['runs', 'median', 'p95', 'peak RSS']);
  const fmt = (values) =>
    '| ' + values.map((v, i) => (right.has(columns[i][0]) ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join(' | ') + ' |';
  const lines = [fmt(columns.map(([t]) => t)), '|' + widths.map((w, i) => (right.has(columns[i][0]) ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|') + '|'];
  for (const c of cells) lines.push(fmt(c));
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.bench} · ${r.case}: ${r.note}`);
  return [...lines, ...(notes.length ? ['', ...notes] : [])].join('\n');
}

// Child side: `node bench/run-all.js --child <file>` runs one module and sends its rows back.
if (process.argv[2] === '--child') {
  const file = process.argv[3];
  try {
    const mod = await import(pathToFileURL(file).href);
    const rows = await mod.run();
    process.send({ ok: true, name: mod.name, description: mod.description ?? '', rows });
  } catch (error) {
    process.send({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
  process.disconnect();
} else {
  process.exitCode = await main(process.argv.slice(2));
}
