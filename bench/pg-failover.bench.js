// Real failovers on the lab (scripts/lab): PostgreSQL primary + streaming standby + HAProxy on
// loopback, under the lab's write load. Each repetition starts a fresh lab and takes it down.
//
//   planned   fence→traffic: from the start of the shutdown step (the fence) to HAProxy serving
//             site B, read from the run's journal; 0 acknowledged writes may be lost
//   unplanned kill→traffic:  from `kill -9` of site A's postmaster to HAProxy serving site B;
//             drplan is started right after the kill, so its start-up counts
//
// Each is driven by drplan (`drplan run` on a copy of plans/pg-failover.yaml without its gate,
// the way a pre-approved run goes) and, for comparison, by the same steps typed by hand: psql,
// pg_ctl and the HAProxy runtime API, with nothing in between.
//
//   node bench/run-all.js pg-failover            (DRPLAN_BENCH_PG_RUNS=5 by default)
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as lab from '../scripts/lab/harness.js';
import { median, percentile } from './stats.js';

export const name = 'pg-failover';
export const description = 'real PostgreSQL + HAProxy failovers on loopback, driven by drplan and by hand';

const RUNS = Number(process.env.DRPLAN_BENCH_PG_RUNS ?? 5);
/** The lab, allocated when the benchmark starts (a free port, so a test run beside it is safe). */
let L;
const sh = promisify(execFile);

/** Debian keeps PostgreSQL's programs out of PATH: the newest installed version's directory. */
function bindir() {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : '';
}
const BIN = bindir();
const asPg = (file, args) => (process.getuid?.() === 0 ? sh('runuser', ['-u', 'postgres', '--', file, ...args]) : sh(file, args));
const psql = (host, sql) => sh(join(BIN, 'psql'), ['-X', '-At', '-v', 'ON_ERROR_STOP=1', `host=${host} port=${L.port} user=postgres dbname=postgres`, '-c', sql]);

function haproxy(command) {
  return new Promise((resolve, reject) => {
    const s = createConnection({ path: L.socket });
    let out = '';
    s.on('connect', () => s.write(`${command}\n`));
    s.on('data', (d) => (out += d));
    s.on('end', () => resolve(out));
    s.on('error', reject);
  });
}

async function switchByHand() {
  await haproxy('set server pg/site-a state maint');
  await haproxy('shutdown sessions server pg/site-a');
  await haproxy('set server pg/site-b state ready');
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function freshLab() {
  await lab.labUp(L);
  await lab.waitFor('the write load', () => lab.ackedOn(L, L.siteA.host) >= 50);
}

/** drplan, planned: fence→traffic from the journal, and the writes lost. */
async function plannedByDrplan() {
  await freshLab();
  const work = mkdtempSync(join(tmpdir(), 'drplan-bench-pg-'));
  try {
    const plan = lab.writePlanCopy(L, work, { gate: false });
    const r = await lab.drplan(work, ['run', plan, '--mode', 'planned']);
    if (r.code !== 0) throw new Error(`planned run failed:\n${r.stdout}${r.stderr}`);
    const journal = lab.readJournal(work, lab.runIdOf(r.stdout));
    const at = (type, step) => journal.find((x) => x.type === type && x.data.stepId === step).time;
    const ms = at('step.succeeded', 'traffic-to-target') - at('step.started', 'database/pg-main/shutdown');
    await lab.waitFor('writes on site B', () => lab.ackedOn(L, L.siteB.host) >= 10);
    const check = await lab.stopLoadAndVerify(L);
    return { ms, lost: check.lost };
  } finally {
    await lab.labDown(L);
    rmSync(work, { recursive: true, force: true });
  }
}

/** drplan, unplanned: kill→traffic (drplan started after the kill), and run start→traffic. */
async function unplannedByDrplan() {
  await freshLab();
  const work = mkdtempSync(join(tmpdir(), 'drplan-bench-pg-'));
  try {
    const plan = lab.writePlanCopy(L, work, { gate: false });
    await sleep(200);
    const killedAt = await lab.killPrimary(L);
    const r = await lab.drplan(work, ['run', plan, '--mode', 'unplanned']);
    if (r.code !== 0) throw new Error(`unplanned run failed:\n${r.stdout}${r.stderr}`);
    const journal = lab.readJournal(work, lab.runIdOf(r.stdout));
    const traffic = journal.find((x) => x.type === 'step.succeeded' && x.data.stepId === 'traffic-to-target').time;
    return { ms: traffic - killedAt, engineMs: traffic - journal[0].time };
  } finally {
    await lab.labDown(L);
    rmSync(work, { recursive: true, force: true });
  }
}

/** By hand, planned: fence, clean stop, wait for the standby to replay the shutdown checkpoint, promote, switch. */
async function plannedByHand() {
  await freshLab();
  try {
    const start = Date.now();
    await psql(L.siteA.host, "ALTER SYSTEM SET default_transaction_read_only = on");
    await psql(L.siteA.host, "SELECT pg_reload_conf(), count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()");
    await asPg(join(BIN, 'pg_ctl'), ['stop', '-D', L.siteA.dataDir, '-m', 'fast', '-w']);
    const { stdout } = await sh(join(BIN, 'pg_controldata'), ['-D', L.siteA.dataDir]);
    const checkpoint = /Latest checkpoint location:\s+(\S+)/.exec(stdout)[1];
    for (;;) {
      const { stdout: ok } = await psql(L.siteB.host, `SELECT pg_last_wal_replay_lsn() > '${checkpoint}'::pg_lsn`);
      if (ok.trim() === 't') break;
      await sleep(10);
    }
    await psql(L.siteB.host, 'SELECT pg_promote()');
    await switchByHand();
    const ms = Date.now() - start;
    await lab.waitFor('writes on site B', () => lab.ackedOn(L, L.siteB.host) >= 10);
    const check = await lab.stopLoadAndVerify(L);
    return { ms, lost: check.lost };
  } finally {
    await lab.labDown(L);
  }
}

/** By hand, unplanned: kill, promote, switch. */
async function unplannedByHand() {
  await freshLab();
  try {
    await sleep(200);
    const killedAt = await lab.killPrimary(L);
    await psql(L.siteB.host, 'SELECT pg_promote()');
    await switchByHand();
    return { ms: Date.now() - killedAt };
  } finally {
    await lab.labDown(L);
  }
}

function row(kase, values, target, limit, note) {
  return {
    case: kase,
    runs: values.length,
    medianMs: median(values),
    p95Ms: percentile(values, 95),
    ...(target ? { target, meets: median(values) <= limit } : {}),
    note: `${note}; all: ${values.map((v) => Math.round(v)).join(', ')} ms`,
  };
}

export async function run() {
  if (!(await lab.labInstalled())) {
    return [{ case: 'skipped', note: 'PostgreSQL or HAProxy is not installed: bash scripts/lab/install.sh (as root)' }];
  }
  L = await lab.allocateLab('bench-pg');
  const results = { plannedDrplan: [], plannedHand: [], unplannedDrplan: [], unplannedHand: [] };
  // Interleaved, so a change in the machine's load hits every case alike.
  for (let i = 0; i < RUNS; i++) {
    results.plannedDrplan.push(await plannedByDrplan());
    results.plannedHand.push(await plannedByHand());
    results.unplannedDrplan.push(await unplannedByDrplan());
    results.unplannedHand.push(await unplannedByHand());
    process.stderr.write(`bench: pg-failover repetition ${i + 1}/${RUNS} done\n`);
  }
  const lost = (xs) => xs.reduce((n, x) => n + x.lost, 0);
  return [
    row('planned fence→traffic, drplan', results.plannedDrplan.map((x) => x.ms), '≤ 1.0 s', 1000, `acknowledged writes lost: ${lost(results.plannedDrplan)}`),
    row('planned fence→traffic, by hand', results.plannedHand.map((x) => x.ms), '', 0, `acknowledged writes lost: ${lost(results.plannedHand)}`),
    row('unplanned kill→traffic, drplan (CLI start included)', results.unplannedDrplan.map((x) => x.ms), '≤ 0.6 s', 600, 'drplan run started right after kill -9'),
    row('unplanned run start→traffic, drplan', results.unplannedDrplan.map((x) => x.engineMs), '', 0, "from the run's first journal record"),
    row('unplanned kill→traffic, by hand', results.unplannedHand.map((x) => x.ms), '', 0, 'psql pg_promote() + runtime API'),
  ];
}
