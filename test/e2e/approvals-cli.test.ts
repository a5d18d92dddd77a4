import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = join(process.cwd(), 'bin/drplan.js');

const PLAN = `
apiVersion: drplan/v1
kind: RecoveryPlan
metadata: { name: gated }
spec:
  adapters:
    site: { type: simulator, estimates: { shutdown: 5ms, sync: 5ms, failover: 5ms, start: 5ms } }
  sites: { source: site, target: site }
  approvers: { dba: [alice, bob, carol] }
  modes: { planned: {} }
  groups:
    - id: db
      vms: [db-1]
      pre:
        - id: signoff
          gate: { approvers: [dba], quorum: 2, instructions: "Check {{group.id}}" }
`;

/** Runs the real binary; resolves with the exit code and output instead of throwing. */
async function drplan(dir: string, args: string[], principal: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, DRPLAN_PRINCIPAL: principal, DRPLAN_CONFIG_DIR: join(dir, 'config'), NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('signed approvals through the CLI (real processes)', () => {
  let dir = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'drplan-approvals-'));
    writeFileSync(join(dir, 'plan.yaml'), PLAN);
    for (const p of ['alice', 'bob', 'carol']) expect((await drplan(dir, ['keys', 'generate', p], p)).code).toBe(0);
  });

  it('keys: the private key is 0600 outside the repository, the public key beside the plan', () => {
    expect(statSync(join(dir, 'config/keys/alice.key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'approvers/alice.pub'), 'utf8')).toMatch(/BEGIN PUBLIC KEY/);
  });

  it('two approvers deciding from two processes at once are each counted once, and the run goes on', async () => {
    const started = await drplan(dir, ['run', 'plan.yaml', '--mode', 'planned', '--detach'], 'carol');
    expect(started.code).toBe(3);
    const runId = /^run (\S+)/.exec(started.stdout)![1]!;
    const [a, b] = await Promise.all([drplan(dir, ['approve', runId, 'signoff'], 'alice'), drplan(dir, ['approve', runId, 'signoff'], 'bob')]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const journal = readFileSync(join(dir, '.drplan/runs', runId, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const approvals = journal.filter((r) => r.type === 'gate.approved').map((r) => r.data.by).sort();
    expect(approvals).toEqual(['alice', 'bob']);
    expect(journal.find((r) => r.type === 'step.waiting')?.data.instructions).toBe('Check db');
    const resumed = await drplan(dir, ['resume', runId], 'carol');
    expect(resumed.code).toBe(0);
  });

  it('refuses the initiator, a second vote, a stranger without a key, and anything after a rejection — each with its reason', async () => {
    const started = await drplan(dir, ['run', 'plan.yaml', '--mode', 'planned', '--detach'], 'alice');
    const runId = /^run (\S+)/.exec(started.stdout)![1]!;
    const own = await drplan(dir, ['approve', runId, 'signoff'], 'alice');
    expect(own.code).toBe(1);
    expect(own.stderr).toMatch(/alice started run .* may not approve its own gate/);
    expect((await drplan(dir, ['approve', runId, 'signoff'], 'bob')).code).toBe(0);
    const twice = await drplan(dir, ['approve', runId, 'signoff'], 'bob');
    expect(twice.stderr).toMatch(/bob has already approved/);
    const stranger = await drplan(dir, ['approve', runId, 'signoff'], 'mallory');
    expect(stranger.code).toBe(2);
    expect(stranger.stderr).toMatch(/no private key for mallory/);
    expect((await drplan(dir, ['reject', runId, 'signoff', '--comment', 'replica 2h behind'], 'carol')).code).toBe(0);
    const afterReject = await drplan(dir, ['approve', runId, 'signoff'], 'carol');
    expect(afterReject.stderr).toMatch(/already rejected by carol/);
    const resumed = await drplan(dir, ['resume', runId], 'bob');
    expect(resumed.code).toBe(1);
    expect(resumed.stdout).toMatch(/rejected by carol: replica 2h behind/);
    const journal = readFileSync(join(dir, '.drplan/runs', runId, 'journal.jsonl'), 'utf8');
    expect(journal.match(/"type":"request.refused"/g)?.length).toBe(3);
    expect(readdirSync(join(dir, '.drplan/runs')).length).toBeGreaterThanOrEqual(2);
  });
});
