import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../engine/cli/cli.js';

function plan(url: string): string {
  return `
apiVersion: drplan/v1
kind: RecoveryPlan
metadata: { name: notified }
spec:
  adapters:
    site: { type: simulator, estimates: { shutdown: 5ms, sync: 5ms, failover: 5ms, start: 5ms } }
  sites: { source: site, target: site }
  approvers: { dba: [alice, bob] }
  notifications:
    webhook: { url: "${url}", headers: { authorization: "env:HOOK_TOKEN" }, timeout: 2s }
    approvalUrl: https://drplan.example.com/
  modes: { planned: {} }
  groups:
    - id: db
      vms: [db-1]
      pre:
        - id: signoff
          gate: { approvers: [dba], quorum: 1, timeout: 1h, instructions: "Confirm {{group.id}} replication lag is zero" }
`;
}

function io(cwd: string, env: Record<string, string>) {
  const out: string[] = [];
  return { out, io: { stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(s), env: { ...env, NO_COLOR: '1' }, cwd, isTTY: false } };
}

describe('notifications', () => {
  it('a gate that starts waiting calls the webhook with the gate, its rendered instructions and the approval link', async () => {
    const received: { headers: Record<string, unknown>; body: Record<string, unknown> }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(body) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const dir = mkdtempSync(join(tmpdir(), 'drplan-notify-'));
      writeFileSync(join(dir, 'plan.yaml'), plan(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`));
      const { io: cliIo } = io(dir, { HOOK_TOKEN: 'Bearer t0k3n', DRPLAN_PRINCIPAL: 'carol' });
      const code = await cli(['run', 'plan.yaml', '--mode', 'planned', '--detach'], cliIo);
      expect(code).toBe(3);
      expect(received).toHaveLength(1);
      const { headers, body } = received[0]!;
      expect(headers.authorization).toBe('Bearer t0k3n');
      expect(body).toMatchObject({
        event: 'drplan.waiting',
        plan: 'notified',
        step: 'signoff',
        kind: 'gate',
        instructions: 'Confirm db replication lag is zero',
        principals: ['alice', 'bob'],
        quorum: 1,
      });
      expect(body.approvalUrl).toBe(`https://drplan.example.com/runs/${body.runId}`);
      expect(Date.parse(String(body.deadline))).toBeGreaterThan(Date.now());

      // A dry-run rehearses: it never pages anyone.
      const dry = io(dir, { HOOK_TOKEN: 'x' });
      expect(await cli(['run', 'plan.yaml', '--mode', 'planned', '--dry-run'], dry.io)).toBe(3);
      expect(received).toHaveLength(1);
    } finally {
      server.close();
    }
  });
});
