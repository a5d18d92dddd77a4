// validate + plan of a large plan, in process: what `drplan plan big.yaml --mode planned`
// spends past start-up. The plan is generated (bench/generate-plan.js): 1,000 declared steps,
// 10,000 VMs in 100 groups. Each repetition starts from the file's bytes: load (YAML → document
// with positions) → validate (schema + semantic checks) → resolveExecution (planned mode).

import { builtinCatalog } from '../dist/adapters/catalog.js';
import { resolveExecution } from '../dist/engine/compile/resolve-execution.js';
import { resolveParams } from '../dist/engine/compile/resolve-params.js';
import { loadPlanText } from '../dist/engine/load/load-plan.js';
import { validatePlan } from '../dist/engine/validate/validate-plan.js';
import { generatePlan } from './generate-plan.js';
import { median, nowMs, peakRssMb, percentile } from './stats.js';

export const name = 'large-plan';
export const description = 'load + validate + resolveExecution (planned) of a generated 1,000-step, 10,000-VM plan, in process';

const RUNS = 10;
const TARGET_MS = 200;
const TARGET_MB = 150;

export async function run() {
  const bytes = Buffer.from(generatePlan({ steps: 1000, vms: 10_000 }));
  const file = 'bench/generated-1000-steps.yaml';

  const once = () => {
    const t0 = nowMs();
    const loaded = loadPlanText(bytes, file);
    const t1 = nowMs();
    if (!loaded.source || loaded.diagnostics.some((d) => d.severity === 'error')) fail('load', loaded.diagnostics);
    const validated = validatePlan(loaded.source, builtinCatalog);
    const t2 = nowMs();
    if (!validated.plan) fail('validate', validated.diagnostics);
    const { params, problems } = resolveParams(validated.plan, {});
    if (problems.length > 0) throw new Error(`parameters: ${problems.map((p) => p.message).join('; ')}`);
    const exec = resolveExecution(validated.plan, 'planned', params);
    const t3 = nowMs();
    return { total: t3 - t0, load: t1 - t0, validate: t2 - t1, resolve: t3 - t2, steps: exec.steps.length };
  };

  const first = once(); // cold: JIT and ajv's compiled schema warm up here
  const samples = [];
  for (let i = 0; i < RUNS; i++) samples.push(once());
  const totals = samples.map((s) => s.total);
  const med = median(totals);
  const rss = peakRssMb();
  const split = ['load', 'validate', 'resolve'].map((k) => `${k} ${median(samples.map((s) => s[k])).toFixed(0)} ms`).join(', ');
  return [
    {
      case: '1,000 steps, 10,000 VMs (planned)',
      runs: RUNS,
      medianMs: med,
      p95Ms: percentile(totals, 95),
      peakRssMb: rss,
      target: `≤ ${TARGET_MS} ms, ≤ ${TARGET_MB} MB`,
      meets: med <= TARGET_MS && rss <= TARGET_MB,
      note:
        `first (cold) run ${first.total.toFixed(0)} ms; median split: ${split}; ` +
        `${(bytes.length / 1024).toFixed(0)} KiB of YAML → ${first.steps.toLocaleString('en')} execution steps`,
    },
  ];
}

function fail(stage, diagnostics) {
  const shown = diagnostics.filter((d) => d.severity === 'error').slice(0, 5);
  throw new Error(
    `the generated plan no longer passes ${stage}; bench/generate-plan.js must follow the plan language:\n` +
      shown.map((d) => `  ${d.file}:${d.line}:${d.col} ${d.code} ${d.message}`).join('\n'),
  );
}
