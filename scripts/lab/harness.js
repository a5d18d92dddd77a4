// The lab from JavaScript: start and stop labs, make a copy of plans/pg-failover.yaml that points
// at one, drive the drplan CLI (including signed approvals), and read back what happened.
// Used by the end-to-end tests (test/e2e/pg-*.test.ts) and the benchmark (bench/pg-failover.bench.js);
// types in harness.d.ts. Nothing here talks to anything but loopback addresses.
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { parse, stringify } from 'yaml';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LAB_SCRIPTS = join(REPO, 'scripts', 'lab');
const BIN = join(REPO, 'bin', 'drplan.js');

/** Where a lab lives and answers. */
export function labSettings({ dir, port }) {
  return {
    dir,
    port,
    siteA: { host: '127.0.10.1', dataDir: join(dir, 'site-a', 'data') },
    siteB: { host: '127.0.20.1', dataDir: join(dir, 'site-b', 'data') },
    test: { host: '127.0.30.1', dataDir: join(dir, 'test', 'data') },
    proxy: { host: '127.0.40.1' },
    socket: join(dir, 'haproxy', 'admin.sock'),
    ackLog: join(dir, 'load', 'acked.log'),
  };
}

function labEnv(lab) {
  return { ...process.env, DRPLAN_LAB_DIR: lab.dir, DRPLAN_LAB_PORT: String(lab.port) };
}

/** Runs a program; resolves with its exit code and output, never rejects on a non-zero exit. */
export function exec(file, args, options = {}) {
  return new Promise((resolve) => {
    execFile(file, args, { maxBuffer: 64 * 1024 * 1024, ...options }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

async function labScript(lab, script, args = []) {
  const result = await exec('bash', [join(LAB_SCRIPTS, script), ...args], { env: labEnv(lab) });
  if (result.code !== 0) throw new Error(`scripts/lab/${script} ${args.join(' ')} failed (exit ${result.code}):\n${result.stderr}${result.stdout}`);
  return result;
}

/** Is PostgreSQL + HAProxy installed (scripts/lab/install.sh --check)? */
export async function labInstalled() {
  return (await exec('bash', [join(LAB_SCRIPTS, 'install.sh'), '--check'])).code === 0;
}

export async function labUp(lab, { load = true } = {}) {
  return labScript(lab, 'up.sh', load ? [] : ['--no-load']);
}

export const labDown = (lab) => labScript(lab, 'down.sh');
export const labCtl = (lab, ...args) => labScript(lab, 'ctl.sh', args);

/** kill -9 of site A's postmaster; resolves with the time of the kill (ms since the epoch). */
export async function killPrimary(lab) {
  const pid = Number(readFileSync(join(lab.siteA.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const at = Date.now();
  process.kill(pid, 'SIGKILL');
  return at;
}

/** Stops the write-load client and checks its log against the service: see verify-writes.js. */
export async function stopLoadAndVerify(lab, host = lab.proxy.host) {
  await labCtl(lab, 'load-stop');
  const result = await exec(process.execPath, [join(LAB_SCRIPTS, 'verify-writes.js'), '--log', lab.ackLog, '--host', host, '--port', String(lab.port)]);
  if (result.code !== 0) throw new Error(`verify-writes failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/**
 * Writes `<dir>/pg-failover.yaml`, a copy of plans/pg-failover.yaml aimed at `lab` (its data
 * directories, port and HAProxy socket), with its smoke script beside it. `gate: false` drops
 * the sign-off gate for unattended runs (benchmarks); tests keep it and approve through the CLI.
 * `syncTimeout` overrides the postgres adapter's (a test of a sync that cannot finish).
 */
export function writePlanCopy(lab, dir, { gate = true, syncTimeout } = {}) {
  mkdirSync(join(dir, 'scripts'), { recursive: true });
  const plan = parse(readFileSync(join(REPO, 'plans', 'pg-failover.yaml'), 'utf8'));
  const spec = plan.spec;
  const pair = spec.adapters.pg.config.pairs['pg-main'];
  pair.primary.dataDir = lab.siteA.dataDir;
  pair.standby.dataDir = lab.siteB.dataDir;
  pair.test.dataDir = lab.test.dataDir;
  spec.adapters.pg.config.port = lab.port;
  spec.adapters.lb.config.socket = lab.socket;
  spec.parameters.servicePort.default = String(lab.port);
  spec.parameters.testPort.default = String(lab.port);
  if (syncTimeout) spec.adapters.pg.config.syncTimeout = syncTimeout;
  if (!gate) spec.prechecks = spec.prechecks.filter((s) => !s.gate);
  const file = join(dir, 'pg-failover.yaml');
  writeFileSync(file, stringify(plan));
  copyFileSync(join(REPO, 'plans', 'scripts', 'pg-smoke.sh'), join(dir, 'scripts', 'pg-smoke.sh'));
  return file;
}

/** Runs the drplan CLI (the built bin) in `cwd` as `principal`. */
export function drplan(cwd, args, { principal = 'dba-oncall', env = {} } = {}) {
  return exec(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, DRPLAN_PRINCIPAL: principal, DRPLAN_CONFIG_DIR: join(cwd, '.drplan-config'), NO_COLOR: '1', ...env },
  });
}

/** Starts the drplan CLI as a child process (to kill it), returning the child. */
export function spawnDrplan(cwd, args, { principal = 'dba-oncall' } = {}) {
  return spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, DRPLAN_PRINCIPAL: principal, DRPLAN_CONFIG_DIR: join(cwd, '.drplan-config'), NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Key pairs for the plan's approvers (public keys beside the plan copy). */
export async function generateKeys(cwd, principals = ['dba-oncall', 'dba-lead']) {
  for (const p of principals) {
    if (existsSync(join(cwd, 'approvers', `${p}.pub`))) continue;
    const r = await drplan(cwd, ['keys', 'generate', p], { principal: p });
    if (r.code !== 0) throw new Error(`drplan keys generate ${p}: ${r.stderr}`);
  }
}

/** The run id a `drplan run` printed on its first line. */
export function runIdOf(stdout) {
  const m = /^run (\S+)/m.exec(stdout);
  if (!m) throw new Error(`no run id in:\n${stdout}`);
  return m[1];
}

/**
 * Starts a run that waits at the sign-off gate (`--detach`), approves the gate as the other
 * approver, and resumes it to the end. Resolves with the run id and the resumed run's output.
 */
export async function runThroughGate(cwd, plan, mode, { initiator = 'dba-oncall', approver = 'dba-lead' } = {}) {
  await generateKeys(cwd);
  const started = await drplan(cwd, ['run', plan, '--mode', mode, '--detach'], { principal: initiator });
  const runId = runIdOf(started.stdout);
  if (started.code !== 3) return { runId, code: started.code, stdout: started.stdout, stderr: started.stderr };
  const approved = await drplan(cwd, ['approve', runId, 'failover-signoff'], { principal: approver });
  if (approved.code !== 0) throw new Error(`approve failed: ${approved.stderr}`);
  const resumed = await drplan(cwd, ['resume', runId], { principal: initiator });
  return { runId, code: resumed.code, stdout: started.stdout + resumed.stdout, stderr: started.stderr + resumed.stderr };
}

/** The run's journal records. */
export function readJournal(cwd, runId) {
  return readFileSync(join(cwd, '.drplan', 'runs', runId, 'journal.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

/** `drplan status <run> --format json`. */
export async function runStatus(cwd, runId) {
  const r = await drplan(cwd, ['status', runId, '--format', 'json']);
  return JSON.parse(r.stdout);
}

/** One query on host:port as postgres; resolves with the rows (undefined when nothing answers). */
export async function query(host, port, text, values = []) {
  const client = new pg.Client({ host, port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch {
    return undefined;
  }
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Is anything listening on host:port (TCP)? */
export async function listening(host, port) {
  const r = await exec('ss', ['-Hltn', `src ${host}:${port}`]);
  return r.stdout.trim() !== '';
}

/** How many writes the write-load client has had acknowledged by `server` (an address) so far. */
export function ackedOn(lab, server) {
  if (!existsSync(lab.ackLog)) return 0;
  let n = 0;
  for (const line of readFileSync(lab.ackLog, 'utf8').split('\n')) if (line.endsWith(` ${server}`) && !line.startsWith('#')) n++;
  return n;
}

/** Polls `check` every 20 ms until it holds; rejects naming `what` after `timeoutMs`. */
export async function waitFor(what, check, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A lab of its own for one test file or benchmark: the first port from a random start in
 * 55432–55631 whose four addresses are free and whose directory (`/tmp/drplan-e2e-<name>-<port>`)
 * does not exist, so two runs of the suite on one machine (two developers, a developer and CI)
 * never take each other's lab down.
 */
export async function allocateLab(name) {
  const base = 55432;
  const span = 200;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = base + ((start + i) % span);
    const candidate = labSettings({ dir: `/tmp/drplan-e2e-${name}-${port}`, port });
    if (existsSync(candidate.dir)) continue;
    let busy = false;
    for (const host of [candidate.siteA.host, candidate.siteB.host, candidate.test.host, candidate.proxy.host]) busy ||= await listening(host, port);
    if (!busy) return candidate;
  }
  throw new Error(`no free lab port in ${base}-${base + span - 1}`);
}
