// validate + plan of a large plan, in process: what `drplan plan big.yaml --mode planned`
// spends past start-up. The plans are generated (bench/generate-plan.js); the target is for the
// large one (1,000 declared steps, 10,000 VMs in 100 groups); a plan a tenth of its size runs
// first, to show how the time grows. Each repetition starts from the file's bytes: load (YAML →
// document with positions) → validate (schema + semantic checks) → resolveExecution (planned).

import { builtinCatalog } from '../dist/adapters/catalog.js';
import { resolveExecution } from '../dist/engine/compile/resolve-execution.js';
import { resolveParams } from '../dist/engine/compile/resolve-params.js';
import { loadPlanText } from '../dist/engine/load/load-plan.js';
import { validatePlan } from '../dist/engine/validate/validate-plan.js';
import { generatePlan } from './generate-plan.js';
import { median, nowMs, peakRssMb, percentile } from './stats.js';

export const name = 'large-plan';
export const description = 'load + validate + resolveExecution (planned) of generated plans, in process';

const RUNS = 10;
/** Timed repetitions stop early past this (at least one is always timed), so a slow build still reports. */
const BUDGET_MS = 60_000;

const CASES = [
  { label: '100 steps, 1,000 VMs (planned)', options: { steps: 100, vms: 1000, groups: 10, tiers: 2 } },
  { label: '1,000 steps, 10,000 VMs (planned)', options: { steps: 1000, vms: 10_000, groups: 100, tiers: 10 }, targetMs: 200, targetMb: 150 },
];

export async function run() {
  return CASES.map(measureCase);
}

function measureCase({ label, options, targetMs, targetMb }) {
  const bytes = Buffer.from(generatePlan(options));
  const file = `bench/generated-${options.steps}-steps.yaml`;

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

  const first = once(); // cold: JIT, and the schema validators' first use
  const samples = [];
  const started = nowMs();
  while (samples.length < RUNS && (samples.length === 0 || nowMs() - started < BUDGET_MS)) samples.push(once());
  const totals = samples.map((s) => s.total);
  const med = median(totals);
  const rss = peakRssMb();
  const split = ['load', 'validate', 'resolve'].map((k) => `${k} ${median(samples.map((s) => s[k])).toFixed(0)} ms`).join(', ');
  const stopped = samples.length < RUNS ? `stopped after ${samples.length} timed run(s), over the ${BUDGET_MS / 1000} s budget; ` : '';
  return {
    case: label,
    runs: samples.length,
    medianMs: med,
    p95Ms: percentile(totals, 95),
    peakRssMb: rss,
    ...(targetMs ? { target: `≤ ${targetMs} ms, ≤ ${targetMb} MB`, meets: med <= targetMs && rss <= targetMb } : {}),
    note:
      `${stopped}first (cold) run ${first.total.toFixed(0)} ms; median split: ${split}; ` +
      `${(bytes.length / 1024).toFixed(0)} KiB of YAML → ${first.steps.toLocaleString('en')} execution steps`,
  };
}

function fail(stage, diagnostics) {
  const shown = diagnostics.filter((d) => d.severity === 'error').slice(0, 5);
  throw new Error(
    `the generated plan no longer passes ${stage}; bench/generate-plan.js must follow the plan language:\n` +
      shown.map((d) => `  ${d.file}:${d.line}:${d.col} ${d.code} ${d.message}`).join('\n'),
  );
}
