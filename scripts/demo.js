// `npm run demo`: drplan's main job on the embedded defaults (file store, simulator), from
// a fresh checkout. Every step is the real CLI (`node bin/drplan.js ...`) with its output
// shown as is; the demo stops at, and exits non-zero on, the first step that fails.
//
//   1. validate every example plan in plans/
//   2. plan plans/payments-eu.yaml in each mode (planned, unplanned, test)
//   3. when this build has `drplan run`: dry-run the same plan in each mode against the
//      simulator, passing its gates with --auto-approve (recorded as simulated)
//
// Colour follows the CLI's own rules (NO_COLOR, FORCE_COLOR, a terminal or not).

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join('bin', 'drplan.js');
const example = 'plans/payments-eu.yaml';
const modes = ['planned', 'unplanned', 'test'];

if (!existsSync(join(root, 'dist', 'bundle', 'main.js'))) {
  process.stderr.write('demo: dist/ is missing; run it as `npm run demo` (which builds first)\n');
  process.exit(1);
}

let stepNumber = 0;
const done = [];

/** Runs one CLI command with the terminal attached; stops the demo if it fails. */
function drplan(title, args) {
  stepNumber += 1;
  const shown = `drplan ${args.join(' ')}`;
  process.stdout.write(`\n── ${stepNumber}. ${title}\n$ ${shown}\n\n`);
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: root, stdio: 'inherit' });
  const code = result.status ?? 1;
  if (result.error || code !== 0) {
    const why = result.error ? result.error.message : result.signal ? `killed by ${result.signal}` : `exit code ${code}`;
    process.stderr.write(`\ndemo: step ${stepNumber} failed (${why}): ${shown}\n`);
    process.exit(code === 0 ? 1 : code);
  }
  done.push(shown);
}

/**
 * Whether this build has `drplan run`. Its exit code alone is not enough: for a command the
 * CLI does not know, `drplan run --help` prints the program's help and exits 0, so the help
 * must also be the help of `run`.
 */
function hasRunCommand() {
  const result = spawnSync(process.execPath, [bin, 'run', '--help'], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return result.status === 0 && /^Usage: drplan run\b/m.test(result.stdout);
}

process.stdout.write('drplan demo: validate the example plans, then plan (and, where the build can, dry-run) one of them in every mode\n');

drplan('validate every example plan', ['validate', 'plans/']);
for (const mode of modes) drplan(`plan ${example} in ${mode} mode (no side effects)`, ['plan', example, '--mode', mode]);

if (hasRunCommand()) {
  for (const mode of modes) {
    drplan(`dry-run ${example} in ${mode} mode on the simulator, gates auto-approved`, ['run', example, '--mode', mode, '--dry-run', '--auto-approve']);
  }
} else {
  process.stdout.write('\n── dry-runs skipped: this build has no `drplan run` command yet (`drplan run --help` does not show it)\n');
}

process.stdout.write(`\ndemo: all ${done.length} steps succeeded\n`);
for (const shown of done) process.stdout.write(`  ✓ ${shown}\n`);
