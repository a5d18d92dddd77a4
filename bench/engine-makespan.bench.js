// How close the runner's schedule comes to the ideal: 10 groups × 1,000 VMs in a chain (each group
// waits for the one before), concurrency 8, each VM's failover taking a seeded 5–50 ms (its start
// nothing), measured on the SimulatedClock so that the engine's own CPU time does not count: what
// is left is the schedule. The ideal lower bound of a group is max(sum of its durations / 8,
// its longest duration); of the chain, the sum over the groups. Reported: makespan / lower bound,
// median over several seeds (the durations change with the seed; the run itself is deterministic).
//
// A tenth-size case (10 × 100 VMs) runs on the real clock, where the engine's own time does
// count: on a loaded machine its ratio says as much about the load as about the engine.

import { systemClock } from '../dist/engine/run/clock.js';
import { SimulatedClock } from '../dist/engine/run/simulated-clock.js';
import { planFromText, runExecution, seededRandom, unplannedExecution, vmName, vmPlan } from './engine-common.js';
import { median, nowMs, peakRssMb } from './stats.js';

export const name = 'engine-makespan';
export const description = 'makespan of 10 groups × 1,000 VMs (chain, concurrency 8, seeded 5–50 ms) against the ideal schedule';

const SEEDS = [1, 2, 3, 4, 5];
const CONCURRENCY = 8;
const TARGET = 1.02;
const EPOCH = Date.parse('2026-01-01T00:00:00Z');

/** Seeded durations, 5..50 ms inclusive, per VM name. */
function durations(groups, vms, seed) {
  const random = seededRandom(seed);
  const out = {};
  for (let g = 0; g < groups; g++) for (let v = 0; v < vms; v++) out[vmName(g, v)] = 5 + Math.floor(random() * 46);
  return out;
}

function lowerBound(groups, vms, durationsMs) {
  let total = 0;
  for (let g = 0; g < groups; g++) {
    const ds = Array.from({ length: vms }, (_, v) => durationsMs[vmName(g, v)]);
    const sum = ds.reduce((a, b) => a + b, 0);
    total += Math.max(sum / CONCURRENCY, Math.max(...ds));
  }
  return total;
}

/** From the first VM operation's start to the last one's end, in the run's clock. */
function makespanOf(records) {
  const vmRecords = records.filter((r) => 'stepId' in r.data && r.data.stepId.split('/').length === 3);
  return vmRecords.at(-1).time - vmRecords[0].time;
}

async function measure(groups, vms, seed, clockKind) {
  const durationsMs = durations(groups, vms, seed);
  const plan = planFromText(vmPlan({ groups, vms, concurrency: CONCURRENCY, durationsMs }), `bench/makespan-${seed}.yaml`);
  const exec = unplannedExecution(plan);
  const clock = clockKind === 'simulated' ? new SimulatedClock(EPOCH) : systemClock;
  const r = await runExecution(exec, { clock, nowMs });
  const makespan = makespanOf(r.records);
  const bound = lowerBound(groups, vms, durationsMs);
  return { ratio: makespan / bound, makespan, bound, wallMs: r.wallMs };
}

export async function run() {
  const rows = [];
  const sim = [];
  for (const seed of SEEDS) sim.push(await measure(10, 1000, seed, 'simulated'));
  const ratios = sim.map((s) => s.ratio);
  rows.push({
    case: '10 × 1,000 VMs, simulated clock: makespan / ideal',
    runs: sim.length,
    medianMs: median(sim.map((s) => s.wallMs)),
    peakRssMb: peakRssMb(),
    target: `≤ ${TARGET}`,
    meets: median(ratios) <= TARGET,
    note:
      `ratio median ${median(ratios).toFixed(4)} (range ${Math.min(...ratios).toFixed(4)}–${Math.max(...ratios).toFixed(4)}); ` +
      `makespan median ${(median(sim.map((s) => s.makespan)) / 1000).toFixed(2)} s simulated vs ideal ${(median(sim.map((s) => s.bound)) / 1000).toFixed(2)} s; ` +
      `median column: real time of one simulated run`,
  });

  const real = [];
  for (const seed of SEEDS.slice(0, 3)) real.push(await measure(10, 100, seed, 'real'));
  const realRatios = real.map((s) => s.ratio);
  rows.push({
    case: '10 × 100 VMs, real clock: makespan / ideal',
    runs: real.length,
    medianMs: median(real.map((s) => s.wallMs)),
    note:
      `ratio median ${median(realRatios).toFixed(3)} (range ${Math.min(...realRatios).toFixed(3)}–${Math.max(...realRatios).toFixed(3)}); ` +
      `makespan median ${median(real.map((s) => s.makespan)).toFixed(0)} ms vs ideal ${median(real.map((s) => s.bound)).toFixed(0)} ms; no target (real time: the engine's own cost and the machine's load count)`,
  });
  return rows;
}
