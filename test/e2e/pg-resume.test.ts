import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as h from '../../scripts/lab/harness.js';

// drplan itself is killed with SIGKILL in the middle of a planned failover — right after site B
// was promoted, before the failover step's result reached the journal — and `drplan resume`
// finishes the job: nothing is promoted twice, no acknowledged write is lost. Own lab on a port
// of its own (scripts/lab/up.sh / down.sh).

const installed = await h.labInstalled();
const run = installed || process.env.CI === 'true';
const lab = await h.allocateLab('pg-resume');

describe.skipIf(!run)('kill -9 of drplan mid planned failover, then resume (real PostgreSQL + HAProxy)', () => {
  let work = '';
  beforeAll(async () => {
    await h.labUp(lab);
    work = mkdtempSync(join(tmpdir(), 'drplan-pg-resume-'));
  }, 120_000);
  afterAll(async () => {
    await h.labDown(lab);
    if (work) rmSync(work, { recursive: true, force: true });
  }, 120_000);

  it('completes, promotes once, loses nothing', async () => {
    const plan = h.writePlanCopy(lab, work);
    await h.generateKeys(work);
    await h.waitFor('writes acknowledged by site A', () => h.ackedOn(lab, lab.siteA.host) >= 50);
    const started = await h.drplan(work, ['run', plan, '--mode', 'planned', '--detach']);
    expect(started.code, started.stdout + started.stderr).toBe(3);
    const runId = h.runIdOf(started.stdout);
    expect((await h.drplan(work, ['approve', runId, 'failover-signoff'], { principal: 'dba-lead' })).code).toBe(0);

    // The first engine: killed the moment site B stops being a standby.
    const first = h.spawnDrplan(work, ['resume', runId]);
    const firstExit = new Promise<NodeJS.Signals | null>((resolve) => first.on('exit', (_code, signal) => resolve(signal)));
    await h.waitFor(
      'site B promoted',
      async () => (await h.query(lab.siteB.host, lab.port, 'SELECT pg_is_in_recovery() AS standby'))?.[0]?.standby === false,
      60_000,
    );
    first.kill('SIGKILL');
    expect(await firstExit).toBe('SIGKILL');
    const failoverRecords = () => h.readJournal(work, runId).filter((r) => r.data.stepId === 'database/pg-main/failover');
    const inDoubt = !failoverRecords().some((r) => r.type === 'step.succeeded');
    console.info(`resume: drplan was killed ${inDoubt ? 'with the failover step in flight' : 'after the failover step was journaled'}`);

    // The second engine finishes the run.
    const resumed = await h.drplan(work, ['resume', runId]);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    const status = await h.runStatus(work, runId);
    expect(status.state).toBe('succeeded');
    const failover = status.steps.find((s: { id: string }) => s.id === 'database/pg-main/failover');
    if (inDoubt) {
      // The failover step was in flight when drplan died: it ran again and found the work done.
      expect(failoverRecords().filter((r) => r.type === 'step.started').length).toBe(2);
      expect(failover.output).toMatchObject({ promoted: false, alreadyPromoted: true, timeline: 2, lostTransactions: 0 });
    } else {
      expect(failover.output).toMatchObject({ promoted: true, timeline: 2 });
    }

    // Promoted once: timeline 2 (one promotion from timeline 1), one history file.
    const wal = readdirSync(join(lab.siteB.dataDir, 'pg_wal')).filter((f) => f.endsWith('.history'));
    expect(wal).toEqual(['00000002.history']);
    const served = await h.query(lab.proxy.host, lab.port, 'SELECT host(inet_server_addr()) AS addr, pg_is_in_recovery() AS standby');
    expect(served).toEqual([{ addr: lab.siteB.host, standby: false }]);

    await h.waitFor('writes acknowledged by site B', () => h.ackedOn(lab, lab.siteB.host) >= 20);
    const check = await h.stopLoadAndVerify(lab);
    expect(check.lost, `lost acknowledged ids: ${check.lostIds.join(', ')}`).toBe(0);
  }, 120_000);
});

if (!run) {
  describe('kill -9 of drplan mid planned failover (real PostgreSQL + HAProxy)', () => {
    it.skip('needs PostgreSQL and HAProxy: run `bash scripts/lab/install.sh` as root (CI does)', () => undefined);
  });
}
