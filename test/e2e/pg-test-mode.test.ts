import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as h from '../../scripts/lab/harness.js';

// A drill: drplan clones the standby into an isolated instance on the test address, smoke-checks
// it there, and removes it. Production (site A taking writes, site B streaming) must not notice.
// Own lab on a port of its own (scripts/lab/up.sh / down.sh).

const installed = await h.labInstalled();
const run = installed || process.env.CI === 'true';
const lab = await h.allocateLab('pg-test');

/** Alive and not a zombie. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

describe.skipIf(!run)('test failover (real PostgreSQL + HAProxy)', () => {
  let work = '';
  beforeAll(async () => {
    await h.labUp(lab);
    work = mkdtempSync(join(tmpdir(), 'drplan-pg-test-'));
  }, 120_000);
  afterAll(async () => {
    await h.labDown(lab);
    if (work) rmSync(work, { recursive: true, force: true });
  }, 120_000);

  it('the copy answers on its own address; production keeps streaming and never sees its writes; cleanup leaves nothing', async () => {
    const plan = h.writePlanCopy(lab, work);
    await h.generateKeys(work);
    const started = await h.drplan(work, ['run', plan, '--mode', 'test', '--detach']);
    expect(started.code, started.stdout + started.stderr).toBe(3);
    const runId = h.runIdOf(started.stdout);
    expect((await h.drplan(work, ['approve', runId, 'failover-signoff'], { principal: 'dba-lead' })).code).toBe(0);
    const systemId = (await h.query(lab.siteA.host, lab.port, 'SELECT system_identifier::text AS id FROM pg_control_system()'))![0]!.id;

    // Watch the test address while the drill runs: the copy appears there, as a primary of its own.
    const drill = h.spawnDrplan(work, ['resume', runId]);
    const exited = new Promise<number>((resolve) => drill.on('exit', (code) => resolve(code ?? -1)));
    let seen: Record<string, unknown> | undefined;
    await h.waitFor('the test copy on its own address', async () => {
      const rows = await h.query(
        lab.test.host,
        lab.port,
        `SELECT host(inet_server_addr()) AS addr, pg_is_in_recovery() AS standby, (SELECT system_identifier::text FROM pg_control_system()) AS id,
                (SELECT count(*)::int FROM pg_stat_wal_receiver) AS receivers, current_setting('primary_conninfo') AS conninfo`,
      );
      seen = rows?.[0];
      return seen !== undefined;
    }, 60_000);
    expect(seen).toEqual({ addr: lab.test.host, standby: false, id: systemId, receivers: 0, conninfo: '' });
    expect(await exited).toBe(0);

    const status = await h.runStatus(work, runId);
    expect(status.state).toBe('succeeded');
    const out = (id: string) => status.steps.find((s: { id: string }) => s.id === id)?.output;
    const copy = out('database/pg-main/testFailover');
    expect(copy).toMatchObject({ host: lab.test.host, port: lab.port, network: 'drill-loopback', reused: false });
    expect(out('smoke-drill-copy').stdout).toContain(`served by ${lab.test.host} (primary)`);
    expect(out('database/pg-main/cleanupTest')).toMatchObject({ deleted: true, stoppedPid: copy.pid });

    // Cleanup: no process, no port, no data directory. (An exited postmaster may stay a zombie
    // until its parent, init, reaps it: on some machines init does not, and a zombie runs nothing.)
    expect(running(copy.pid)).toBe(false);
    expect(await h.listening(lab.test.host, lab.port)).toBe(false);
    expect(existsSync(lab.test.dataDir)).toBe(false);
    expect(existsSync(`${lab.test.dataDir}.drplan-partial`)).toBe(false);

    // Production: site A still takes writes, site B still streams from it, on timeline 1, and
    // neither has the row the drill's smoke check wrote into the copy.
    const before = h.ackedOn(lab, lab.siteA.host);
    await h.waitFor('site A still taking writes', () => h.ackedOn(lab, lab.siteA.host) >= before + 20);
    const streaming = await h.query(lab.siteA.host, lab.port, "SELECT state FROM pg_stat_replication WHERE application_name = 'site-b'");
    expect(streaming).toEqual([{ state: 'streaming' }]);
    expect(await h.query(lab.siteB.host, lab.port, 'SELECT pg_is_in_recovery() AS standby')).toEqual([{ standby: true }]);
    for (const host of [lab.siteA.host, lab.siteB.host]) {
      const rows = await h.query(host, lab.port, "SELECT count(*)::int AS n FROM pg_class WHERE relname = 'drplan_smoke'");
      expect(rows, `drill table on ${host}`).toEqual([{ n: 0 }]);
    }
    const check = await h.stopLoadAndVerify(lab);
    expect(check.lost).toBe(0);
    expect(Object.keys(check.servers)).toEqual([lab.siteA.host]);
  }, 120_000);

  // On the same lab, after the drill: SPEC §2.3's promise for planned mode.
  it('a planned failover whose final sync cannot finish stops before anything is promoted', async () => {
    const dir = join(work, 'sync-fails');
    const plan = h.writePlanCopy(lab, dir, { syncTimeout: '2s' });
    // Site B still streams (the replication precheck passes) but no longer replays what it
    // receives, so it will never have replayed site A's shutdown checkpoint.
    await h.query(lab.siteB.host, lab.port, 'SELECT pg_wal_replay_pause()');
    const result = await h.runThroughGate(dir, plan, 'planned');
    expect(result.code).toBe(1);
    const status = await h.runStatus(dir, result.runId);
    const step = (id: string) => status.steps.find((s: { id: string }) => s.id === id);
    expect(status.state).toBe('failed');
    expect(step('database/pg-main/shutdown').status).toBe('succeeded');
    expect(step('database/pg-main/sync')).toMatchObject({ status: 'failed' });
    expect(step('database/pg-main/sync').error).toMatch(/did not replay site-a's shutdown checkpoint .* Nothing was promoted/);
    for (const id of ['database/pg-main/failover', 'traffic-to-target']) expect(step(id).status).not.toBe('succeeded');
    expect(await h.query(lab.siteB.host, lab.port, 'SELECT pg_is_in_recovery() AS standby')).toEqual([{ standby: true }]);
    const lb = await h.drplan(dir, ['status', result.runId]);
    expect(lb.stdout).not.toMatch(/done\s+traffic-to-target/);
  }, 120_000);
});

if (!run) {
  describe('test failover (real PostgreSQL + HAProxy)', () => {
    it.skip('needs PostgreSQL and HAProxy: run `bash scripts/lab/install.sh` as root (CI does)', () => undefined);
  });
}
