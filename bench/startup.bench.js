// `drplan validate plans/payments-eu.yaml` as a user or CI runs it: a new Node process each time,
// so start-up (module loading, schema compilation) counts. `node -e ''` is the floor no CLI
// written for Node can go below on this machine.

import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, nowMs, percentile } from './stats.js';

export const name = 'startup';
export const description = 'a cold `drplan validate` process, against a bare `node -e ""`';

const RUNS = 10;
const TARGET_MS = 300;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function run() {
  const validate = measure([join(root, 'bin', 'drplan.js'), 'validate', 'plans/payments-eu.yaml']);
  const baseline = measure(['-e', '']);
  return [
    {
      case: 'drplan validate plans/payments-eu.yaml',
      runs: RUNS,
      medianMs: median(validate),
      p95Ms: percentile(validate, 95),
      target: `≤ ${TARGET_MS} ms`,
      meets: median(validate) <= TARGET_MS,
      note: `${(median(validate) - median(baseline)).toFixed(0)} ms above the bare node start-up`,
    },
    { case: "node -e '' (baseline)", runs: RUNS, medianMs: median(baseline), p95Ms: percentile(baseline, 95) },
  ];
}

function measure(args) {
  const spawnOnce = () => {
    const start = nowMs();
    const result = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    const elapsed = nowMs() - start;
    if (result.status !== 0) {
      throw new Error(`node ${args.join(' ')} exited ${result.status ?? result.signal}:\n${result.stdout}${result.stderr}`);
    }
    return elapsed;
  };
  spawnOnce(); // warm the file cache; not counted
  return Array.from({ length: RUNS }, spawnOnce);
}
