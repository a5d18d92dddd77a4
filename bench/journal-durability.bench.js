// What durability costs (SPEC §4 Store, STYLE "Durability"): the file store fsyncs every record
// before `append` resolves, and group commit lets appends that arrive during one write+fsync share
// the next. Measured in process against dist/, in a temporary directory on the machine's disk:
//
//   - durable records per second: one appender awaiting each append, against 64 concurrent
//     appenders (what a group's VM operations look like to the journal);
//   - resume: FileStore.open (lock, read, verify the whole hash chain) + RunHistory.of + close,
//     for a 10,000-record journal — what `drplan resume` pays before it does anything;
//   - a whole dry-run of 10 groups × 1,000 VMs (planned mode: 40,000 VM operations), journal on
//     files against journal in memory: the run-time price of durability.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinCatalog } from '../dist/adapters/catalog.js';
import { resolveExecution } from '../dist/engine/compile/resolve-execution.js';
import { resolveParams } from '../dist/engine/compile/resolve-params.js';
import { loadPlanText } from '../dist/engine/load/load-plan.js';
import { openAdapters } from '../dist/engine/app/open-adapters.js';
import { RunHistory } from '../dist/engine/run/run-history.js';
import { startRun } from '../dist/engine/run/run-plan.js';
import { SimulatedClock } from '../dist/engine/run/simulated-clock.js';
import { FileStore } from '../dist/engine/store/file-store.js';
import { MemoryStore } from '../dist/engine/store/memory-store.js';
import { validatePlan } from '../dist/engine/validate/validate-plan.js';
import { median, nowMs, percentile } from './stats.js';

export const name = 'journal-durability';
export const description = 'file-store journal: durable appends (fsync) with and without group commit, resume of 10,000 records, dry-run cost of durability';

const SEQUENTIAL = 400;
const APPENDERS = 64;
const PER_APPENDER = 40;
const RESUME_RECORDS = 10_000;
const RESUME_RUNS = 10;
const RESUME_TARGET_MS = 200;
const RUN_REPEATS = 2;
const T0 = Date.parse('2026-01-01T00:00:00Z');

const silent = { info() {}, warn() {}, error() {}, debug() {} };

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'drplan-bench-journal-'));
  const fsyncs = await countFsyncs();
  try {
    const rows = [];
    rows.push(...(await appendRates(dir, fsyncs)));
    rows.push(await resumeTime(dir));
    rows.push(...(await dryRunCost(dir, fsyncs)));
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Wraps FileHandle.prototype.datasync (what FileJournal calls) to count fsyncs. */
async function countFsyncs() {
  const probe = join(tmpdir(), `drplan-bench-probe-${process.pid}`);
  writeFileSync(probe, '');
  const handle = await open(probe, 'r');
  const proto = Object.getPrototypeOf(handle);
  await handle.close();
  rmSync(probe);
  const original = proto.datasync;
  const counter = { n: 0 };
  proto.datasync = function (...args) {
    counter.n++;
    return original.apply(this, args);
  };
  return counter;
}

const started = (runId) => ({
  type: 'run.started',
  data: { runId, plan: 'bench', planFile: 'bench.yaml', planDigest: 'bench', mode: 'planned', params: {}, initiator: 'bench', engineVersion: 'bench', dryRun: true, autoApprove: true, faults: [], seed: 1, simulated: true },
});
const stepStarted = (stepId, attempt = 1) => ({ type: 'step.started', data: { stepId, attempt, idempotencyKey: `bench:${stepId}:${attempt}`, deadline: null } });
const stepSucceeded = (stepId) => ({ type: 'step.succeeded', data: { stepId, attempt: 1, output: { recoveryPoint: '2026-01-01T00:00:00.000Z', dataLossWindowSeconds: 30 } } });

async function appendRates(dir, fsyncs) {
  const store = new FileStore(dir);

  // One appender: each record is written and fsynced before the next is asked for.
  const seq = await store.create('sequential');
  await seq.append([started('sequential')], T0);
  const latencies = [];
  fsyncs.n = 0;
  const t0 = nowMs();
  for (let i = 0; i < SEQUENTIAL; i++) {
    const s = nowMs();
    await seq.append([stepStarted(`s${i}`)], T0);
    latencies.push(nowMs() - s);
  }
  const seqMs = nowMs() - t0;
  const seqFsyncs = fsyncs.n;
  await seq.close();
  const seqRate = (SEQUENTIAL / seqMs) * 1000;

  // 64 appenders at once, each awaiting its own appends: group commit shares the fsyncs.
  const con = await store.create('concurrent');
  await con.append([started('concurrent')], T0);
  fsyncs.n = 0;
  const conLatencies = [];
  const t1 = nowMs();
  await Promise.all(
    Array.from({ length: APPENDERS }, async (_, a) => {
      for (let i = 0; i < PER_APPENDER; i++) {
        const s = nowMs();
        await con.append([stepStarted(`a${a}-${i}`)], T0);
        conLatencies.push(nowMs() - s);
      }
    }),
  );
  const conMs = nowMs() - t1;
  const conFsyncs = fsyncs.n;
  await con.close();
  const total = APPENDERS * PER_APPENDER;
  const conRate = (total / conMs) * 1000;

  return [
    {
      case: `durable appends, 1 appender awaiting each (${SEQUENTIAL} records)`,
      runs: SEQUENTIAL,
      medianMs: median(latencies),
      p95Ms: percentile(latencies, 95),
      note: `${Math.round(seqRate).toLocaleString('en')} records/s; ${seqFsyncs} fsyncs (one per record)`,
    },
    {
      case: `durable appends, ${APPENDERS} concurrent appenders (${total.toLocaleString('en')} records)`,
      runs: total,
      medianMs: median(conLatencies),
      p95Ms: percentile(conLatencies, 95),
      note: `${Math.round(conRate).toLocaleString('en')} records/s (${(conRate / seqRate).toFixed(1)}× one appender); ${conFsyncs} fsyncs, ${(total / conFsyncs).toFixed(1)} records per fsync`,
    },
  ];
}

/** A realistic 10,000-record journal: start, then started/succeeded pairs of VM operations. */
async function resumeTime(dir) {
  const store = new FileStore(dir);
  const journal = await store.create('resume');
  await journal.append([started('resume')], T0);
  let written = 1;
  let n = 0;
  while (written < RESUME_RECORDS) {
    const batch = [];
    for (let i = 0; i < 100 && written + batch.length < RESUME_RECORDS; i += 2) {
      const id = `g${n % 10}/vm-${String(n).padStart(5, '0')}/failover`;
      batch.push(stepStarted(id));
      if (written + batch.length < RESUME_RECORDS) batch.push(stepSucceeded(id));
      n++;
    }
    await journal.append(batch, T0 + written);
    written += batch.length;
  }
  await journal.close();

  const once = async () => {
    const t0 = nowMs();
    const j = await store.open('resume');
    const t1 = nowMs();
    const history = RunHistory.of(j.records());
    const t2 = nowMs();
    await j.close();
    const t3 = nowMs();
    if (j.records().length !== RESUME_RECORDS || history.steps.size === 0) throw new Error('resume read the wrong journal');
    return { total: t3 - t0, open: t1 - t0, fold: t2 - t1 };
  };
  await once(); // warm: JIT, file cache
  const samples = [];
  for (let i = 0; i < RESUME_RUNS; i++) samples.push(await once());
  const totals = samples.map((s) => s.total);
  const med = median(totals);
  return {
    case: `resume a ${RESUME_RECORDS.toLocaleString('en')}-record journal (open + verify + RunHistory)`,
    runs: RESUME_RUNS,
    medianMs: med,
    p95Ms: percentile(totals, 95),
    target: `≤ ${RESUME_TARGET_MS} ms`,
    meets: med <= RESUME_TARGET_MS,
    note: `median split: open (lock, read, verify chain, fsync) ${median(samples.map((s) => s.open)).toFixed(0)} ms, RunHistory.of ${median(samples.map((s) => s.fold)).toFixed(0)} ms`,
  };
}

/** 10 groups of 1,000 VMs, each group depending on the one before, 100 VM operations at once. */
function bigPlanText() {
  const lines = [
    'apiVersion: drplan/v1',
    'kind: RecoveryPlan',
    'metadata:',
    '  name: bench-durability',
    'spec:',
    '  adapters:',
    '    site:',
    '      type: simulator',
    '      config: { seed: 1 }',
    '      estimates: { replicationHealth: 5s, shutdown: 30s, sync: 20s, failover: 1m, start: 30s, testFailover: 1m, cleanupTest: 20s }',
    '  sites: { source: site, target: site }',
    '  groups:',
  ];
  for (let g = 0; g < 10; g++) {
    const vms = Array.from({ length: 1000 }, (_, v) => `vm-${g}-${String(v).padStart(4, '0')}`);
    lines.push(`    - id: g${g}`, '      concurrency: 100', `      vms: [${vms.join(', ')}]`);
  }
  return lines.join('\n') + '\n';
}

async function dryRunCost(dir, fsyncs) {
  const loaded = loadPlanText(Buffer.from(bigPlanText()), 'bench-durability.yaml');
  const validated = validatePlan(loaded.source, builtinCatalog);
  if (!validated.plan) throw new Error(`the benchmark plan does not validate: ${validated.diagnostics.map((d) => d.message).join('; ')}`);
  const { params } = resolveParams(validated.plan, {});
  const exec = resolveExecution(validated.plan, 'planned', params);

  let k = 0;
  const once = async (store) => {
    const runId = `dry-${k++}`;
    const clock = new SimulatedClock(T0);
    const opened = await openAdapters(validated.plan, { dryRun: true, faults: [], seed: 1, clock, logger: silent, env: process.env });
    fsyncs.n = 0;
    const t0 = nowMs();
    const journal = await store.create(runId);
    const handle = startRun({
      exec,
      journal,
      adapters: opened.adapters,
      shell: opened.shell,
      clock,
      logger: silent,
      stopWhenWaiting: false,
      start: { ...started(runId).data, plan: exec.plan.name },
    });
    const result = await handle.result;
    await journal.close();
    const ms = nowMs() - t0;
    await opened.close();
    if (result.state !== 'succeeded') throw new Error(`the benchmark dry-run ended ${result.state}`);
    return { ms, records: journal.records().length, fsyncs: fsyncs.n };
  };

  const memory = [];
  const files = [];
  for (let i = 0; i < RUN_REPEATS; i++) {
    memory.push(await once(new MemoryStore()));
    files.push(await once(new FileStore(dir)));
  }
  const memMs = median(memory.map((r) => r.ms));
  const fileMs = median(files.map((r) => r.ms));
  const records = files[0].records;
  const perFsync = records / median(files.map((r) => r.fsyncs));
  return [
    {
      case: 'dry-run 10 groups × 1,000 VMs (planned), journal in memory',
      runs: RUN_REPEATS,
      medianMs: memMs,
      p95Ms: percentile(memory.map((r) => r.ms), 95),
      note: `${records.toLocaleString('en')} records`,
    },
    {
      case: 'dry-run 10 groups × 1,000 VMs (planned), journal on files (fsync)',
      runs: RUN_REPEATS,
      medianMs: fileMs,
      p95Ms: percentile(files.map((r) => r.ms), 95),
      // In a dry-run the simulated clock is held while a record is written, so simulated VM
      // operations finish one at a time and group commit has nothing to group: one fsync per record.
      note: `${(fileMs / memMs).toFixed(1)}× the in-memory run (+${(fileMs - memMs).toFixed(0)} ms); ${Math.round(median(files.map((r) => r.fsyncs))).toLocaleString('en')} fsyncs, ${perFsync.toFixed(1)} records per fsync`,
    },
  ];
}
