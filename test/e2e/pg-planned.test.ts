import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as h from '../../scripts/lab/harness.js';

// A planned failover of a real PostgreSQL pair under continuous writes, driven by the real
// drplan binary through plans/pg-failover.yaml (a copy aimed at this file's own lab, gate kept
// and approved with signed keys). This file starts its own lab (scripts/lab/up.sh, a port of its own)
// and takes it down (scripts/lab/down.sh) — several pg-* files can run side by side.

const installed = await h.labInstalled();
// CI must run these: there a missing PostgreSQL/HAProxy fails loudly instead of skipping.
const run = installed || process.env.CI === 'true';
const lab = await h.allocateLab('pg-planned');

describe.skipIf(!run)('planned failover under continuous writes (real PostgreSQL + HAProxy)', () => {
  let work = '';
  beforeAll(async () => {
    await h.labUp(lab);
    work = mkdtempSync(join(tmpdir(), 'drplan-pg-planned-'));
  }, 120_000);
  afterAll(async () => {
    await h.labDown(lab);
    if (work) rmSync(work, { recursive: true, force: true });
  }, 120_000);

  it('loses no acknowledged write, and traffic through HAProxy lands on site B', async () => {
    const plan = h.writePlanCopy(lab, work);
    await h.waitFor('writes acknowledged by site A', () => h.ackedOn(lab, lab.siteA.host) >= 50);

    const result = await h.runThroughGate(work, plan, 'planned');
    expect(result.code, result.stdout + result.stderr).toBe(0);

    // The client keeps writing through HAProxy; its writes now land on site B.
    await h.waitFor('writes acknowledged by site B', () => h.ackedOn(lab, lab.siteB.host) >= 20);
    const check = await h.stopLoadAndVerify(lab);
    expect(check.lost, `lost acknowledged ids: ${check.lostIds.join(', ')}`).toBe(0);
    expect(check.acked).toBeGreaterThan(70);
    expect(check.servers[lab.siteB.host]).toBeGreaterThanOrEqual(20);

    const served = await h.query(lab.proxy.host, lab.port, 'SELECT host(inet_server_addr()) AS addr, pg_is_in_recovery() AS standby');
    expect(served).toEqual([{ addr: lab.siteB.host, standby: false }]);
    expect(await h.query(lab.siteA.host, lab.port, 'SELECT 1')).toBeUndefined(); // stopped

    const status = await h.runStatus(work, result.runId);
    expect(status.state).toBe('succeeded');
    const out = (id: string) => status.steps.find((s: { id: string }) => s.id === id)?.output;
    expect(out('database/pg-main/shutdown')).toMatchObject({ stopped: true, alreadyStopped: false });
    expect(out('database/pg-main/sync')).toMatchObject({ pendingBytes: 0 });
    expect(out('database/pg-main/failover')).toMatchObject({ promoted: true, timeline: 2, lostTransactions: 0, dataLossWindowSeconds: 0 });
    expect(out('traffic-to-target')).toMatchObject({ active: 'site-b', previous: ['site-a'] });

    const report = JSON.parse((await h.drplan(work, ['report', result.runId, '--format', 'json'])).stdout);
    expect(report.objectives.rpo).toMatchObject({ achievedMs: 0, met: true });
  }, 120_000);

  it('lab:down leaves no process, listener or data behind', async () => {
    await h.labDown(lab);
    for (const host of [lab.siteA.host, lab.siteB.host, lab.test.host, lab.proxy.host]) expect(await h.listening(host, lab.port)).toBe(false);
    expect(existsSync(lab.dir)).toBe(false);
  }, 60_000);
});

if (!run) {
  describe('planned failover (real PostgreSQL + HAProxy)', () => {
    it.skip('needs PostgreSQL and HAProxy: run `bash scripts/lab/install.sh` as root (CI does)', () => undefined);
  });
}
