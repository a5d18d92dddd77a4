// `drplan validate` of plans with many labels (metadata.labels), in process: load, validate and
// print the diagnostics as the command does (to a sink that counts bytes). Each size is ten
// times the one before (20,000, 200,000, then 1,000,000 labels, past the 4 MiB file limit,
// which is raised for it) so the time per label shows whether the work is linear: it should
// stay flat. One label in 200 carries an unknown tag, a warning: a valid plan that prints
// diagnostics, the case that once grew with warnings × file size (every code frame split the
// whole file into lines). The same plans without tags are the baseline.

import { builtinCatalog } from '../dist/adapters/catalog.js';
import { writeDiagnostics } from '../dist/engine/cli/format-diagnostics.js';
import { paint } from '../dist/engine/cli/io.js';
import { loadPlanText } from '../dist/engine/load/load-plan.js';
import { validatePlan } from '../dist/engine/validate/validate-plan.js';
import { median, nowMs, peakRssMb } from './stats.js';

export const name = 'plan-labels';
export const description = 'load + validate + print the diagnostics of plans with 20k, 200k and 1M labels, in process';

const RUNS = 3;
/** Timed repetitions of one case stop early past this (at least one is always timed). */
const BUDGET_MS = 60_000;
const SIZES = [20_000, 200_000, 1_000_000];
/** One label in this many has an unknown tag (a warning). */
const TAGGED_EVERY = 200;

/**
 * A valid plan with `labels` labels, one per line (`    l123: x`, ~14.5 bytes each: 200,000
 * labels are 2.9 MB), every `taggedEvery`-th one tagged `!t` when given.
 */
export function labelsPlan(labels, taggedEvery = 0) {
  const out = ['apiVersion: drplan/v1', 'kind: RecoveryPlan', 'metadata:', '  name: many-labels', '  labels:'];
  for (let i = 0; i < labels; i++) out.push(taggedEvery > 0 && i % taggedEvery === 0 ? `    l${i}: !t x` : `    l${i}: x`);
  out.push(
    'spec:',
    '  objectives: { rto: 15m, rpo: 5m }',
    '  adapters:',
    '    site: { type: simulator }',
    '  sites: { source: site, target: site }',
    '  modes: { planned: {} }',
    '  groups:',
    '    - id: web',
    '      vms: [web-1]',
  );
  return out.join('\n') + '\n';
}

export async function run() {
  const rows = [];
  for (const tagged of [false, true]) for (const labels of SIZES) rows.push(measureCase(labels, tagged));
  return rows;
}

function measureCase(labels, tagged) {
  const bytes = Buffer.from(labelsPlan(labels, tagged ? TAGGED_EVERY : 0));
  const p = paint(false);
  const once = () => {
    const t0 = nowMs();
    const loaded = loadPlanText(bytes, 'labels.yaml', { maxBytes: bytes.length });
    if (!loaded.source) throw new Error(`the generated plan no longer loads: ${loaded.diagnostics[0]?.message}`);
    const validated = validatePlan(loaded.source, builtinCatalog);
    if (!validated.plan) throw new Error(`the generated plan no longer validates: ${validated.diagnostics[0]?.message}`);
    const t1 = nowMs();
    let printed = 0;
    const diagnostics = [...loaded.diagnostics, ...validated.diagnostics];
    writeDiagnostics((s) => (printed += s.length), diagnostics, loaded.source.text, p, { file: 'labels.yaml', counts: loaded.omitted ?? { errors: 0, warnings: 0 } });
    const t2 = nowMs();
    return { total: t2 - t1 + (t1 - t0), check: t1 - t0, print: t2 - t1, printed, warnings: diagnostics.length + (loaded.omitted?.warnings ?? 0) };
  };
  const first = once();
  const samples = [];
  const started = nowMs();
  while (samples.length < RUNS && (samples.length === 0 || nowMs() - started < BUDGET_MS)) samples.push(once());
  const med = median(samples.map((s) => s.total));
  return {
    case: `${labels.toLocaleString('en')} labels${tagged ? `, ${first.warnings.toLocaleString('en')} warnings` : ''} (${(bytes.length / 1e6).toFixed(1)} MB)`,
    runs: samples.length,
    medianMs: med,
    peakRssMb: peakRssMb(),
    note:
      `${((med * 1000) / labels).toFixed(1)} µs per label; median load+validate ${median(samples.map((s) => s.check)).toFixed(0)} ms, ` +
      `print ${median(samples.map((s) => s.print)).toFixed(0)} ms (${(first.printed / 1024).toFixed(0)} KiB); first (cold) run ${first.total.toFixed(0)} ms`,
  };
}
