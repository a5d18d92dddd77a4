// What the engine itself costs per step and per VM: a run through the real runner (XState
// machine, journal records, retries/deadline bookkeeping, p-queue fan-out) against an adapter
// that resolves at once, compared with a plain `for … await adapter.call()` loop making the
// same calls. Real clock (nothing sleeps), MemoryStore journal, no-op logger.
//
//   a) 1,000 sequential action steps (finalize of a plan with no VMs)   → µs per step
//   b) 10 groups × 1,000 VMs in a chain, concurrency 8, unplanned mode  → µs per VM (failover + start)
//
// Each case: one warm-up run, then timed runs (fewer if they pass the time budget); medians of the
// wall time and of the process's CPU time (on a shared machine wall time grows with the load,
// CPU time much less). resolveExecution (compile) is done once per case, outside the timing,
// and reported in the note.

import { systemClock } from '../dist/engine/run/clock.js';
import { benchAdapter, cpuMs, plainLoop, planFromText, runExecution, sequentialStepsPlan, unplannedExecution, vmName, vmPlan } from './engine-common.js';
import { median, nowMs, peakRssMb } from './stats.js';

export const name = 'engine-overhead';
export const description = 'engine cost per step and per VM against a plain async loop making the same adapter calls';

const BUDGET_MS = 60_000;

const CASES = [
  {
    label: '1,000 sequential steps',
    unit: 'step',
    units: 1000,
    runs: 9,
    targetUs: 100,
    text: () => sequentialStepsPlan(1000),
    calls: () => Array.from({ length: 1000 }, (_, i) => ['noop', {}, `s${i}`]),
  },
  {
    label: '10 groups × 1,000 VMs (chain, concurrency 8)',
    unit: 'VM',
    units: 10_000,
    runs: 5,
    targetUs: 5,
    text: () => vmPlan({ groups: 10, vms: 1000, concurrency: 8 }),
    calls: () =>
      Array.from({ length: 10 }, (_, g) => Array.from({ length: 1000 }, (_, v) => vmName(g, v))).flatMap((vms, g) =>
        vms.flatMap((vm) => [
          ['failover', { vm: { name: vm } }, `g${g}/${vm}/failover`],
          ['start', { vm: { name: vm } }, `g${g}/${vm}/start`],
        ]),
      ),
  },
];

export async function run() {
  const rows = [];
  for (const c of CASES) rows.push(await measure(c));
  return rows;
}

async function measure(c) {
  const plan = planFromText(c.text(), `bench/${c.unit}s.yaml`);
  const r0 = nowMs();
  const exec = unplannedExecution(plan);
  const resolveMs = nowMs() - r0;
  const clock = { nowMs };

  const warm = await runExecution(exec, { clock: systemClock, ...clock });
  const wall = [];
  const cpu = [];
  const started = nowMs();
  for (let i = 0; i < c.runs && (i === 0 || nowMs() - started < BUDGET_MS); i++) {
    const r = await runExecution(exec, { clock: systemClock, ...clock });
    wall.push(r.wallMs);
    cpu.push(r.cpuMs);
  }

  // The floor: the same adapter calls in a plain sequential loop (warmed up too).
  const instance = benchAdapter.open({});
  const calls = c.calls();
  await plainLoop(instance, calls);
  const loopWall = [];
  const loopCpu = [];
  for (let i = 0; i < 5; i++) {
    const c0 = cpuMs();
    const t0 = nowMs();
    await plainLoop(instance, calls);
    loopWall.push(nowMs() - t0);
    loopCpu.push(cpuMs() - c0);
  }

  const per = (ms) => (1000 * ms) / c.units;
  const engineUs = per(median(wall));
  const loopUs = per(median(loopWall));
  const overheadUs = engineUs - loopUs;
  const cpuOverheadUs = per(median(cpu)) - per(median(loopCpu));
  return {
    case: `${c.label}: µs per ${c.unit}`,
    runs: wall.length,
    medianMs: median(wall),
    peakRssMb: peakRssMb(),
    target: `≤ ${c.targetUs} µs/${c.unit} overhead`,
    meets: overheadUs <= c.targetUs,
    note:
      `overhead ${overheadUs.toFixed(1)} µs/${c.unit} wall (engine ${engineUs.toFixed(1)} − plain loop ${loopUs.toFixed(2)}), ` +
      `${cpuOverheadUs.toFixed(1)} µs/${c.unit} CPU (engine ${per(median(cpu)).toFixed(1)} − loop ${per(median(loopCpu)).toFixed(2)}); ` +
      `${warm.records.length.toLocaleString('en')} journal records per run; warm-up run ${warm.wallMs.toFixed(0)} ms; ` +
      `resolveExecution (not timed above) ${resolveMs.toFixed(0)} ms for ${exec.steps.length.toLocaleString('en')} execution steps`,
  };
}
