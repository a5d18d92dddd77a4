import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// The approver page in a real browser: Debian's Chromium (scripts/install-chromium.sh installs it;
// `npx playwright install` cannot work here) driven by playwright-core, against the real binary.
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const BIN = join(process.cwd(), 'bin/drplan.js');

const PLAN = `
apiVersion: drplan/v1
kind: RecoveryPlan
metadata: { name: payments-eu }
spec:
  objectives: { rto: 30m }
  adapters:
    site: { type: simulator, estimates: { shutdown: 5ms, sync: 5ms, failover: 5ms, start: 5ms } }
  sites: { source: site, target: site }
  approvers: { dba: [alice, bob, carol] }
  modes: { planned: {} }
  groups:
    - id: database
      vms: [pg-1]
      pre:
        - id: dba-signoff
          gate: { approvers: [dba], quorum: 1, timeout: 30m, instructions: "Confirm replication lag of {{group.id}} is zero" }
`;

const missing = !existsSync(CHROMIUM)
  ? `Debian's chromium is not installed at ${CHROMIUM} (scripts/install-chromium.sh installs it with apt-get as root; .ci/run calls it)`
  : !existsSync(join(process.cwd(), 'node_modules/playwright-core'))
    ? 'playwright-core is not installed (npm ci installs it)'
    : null;
if (missing) console.warn(`serve-browser: skipped: ${missing}`);

const run = promisify(execFile);
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
});

describe('the approver page in Chromium', () => {
  it('an approver opens the waiting run, loads their key file, approves, and the run the engine drives finishes', async (context) => {
    if (missing) return context.skip(missing);
    const dir = mkdtempSync(join(tmpdir(), 'drplan-browser-'));
    writeFileSync(join(dir, 'plan.yaml'), PLAN);
    const env = (principal: string) => ({ ...process.env, DRPLAN_CONFIG_DIR: join(dir, 'config'), DRPLAN_PRINCIPAL: principal, NO_COLOR: '1' });
    const drplan = (args: string[], principal: string) => run(process.execPath, [BIN, ...args], { cwd: dir, env: env(principal) }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    await Promise.all(['alice', 'bob', 'carol'].map((p) => drplan(['keys', 'generate', p], p)));

    // carol starts the real run; it stops at the gate (exit 3).
    const started = (await drplan(['run', 'plan.yaml', '--mode', 'planned', '--detach'], 'carol')) as { stdout: string; code?: number };
    expect(started.code).toBe(3);
    const runId = /^run (\S+)/.exec(started.stdout)![1]!;

    // An engine drives it again (as an operator would leave `drplan resume` running), waiting at the gate.
    const engine = spawn(process.execPath, [BIN, 'resume', runId], { cwd: dir, env: env('carol'), stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(engine);
    let engineOut = '';
    engine.stdout!.on('data', (d: Buffer) => (engineOut += d.toString()));
    engine.stderr!.on('data', (d: Buffer) => (engineOut += d.toString()));
    const engineExit = new Promise<number | null>((done) => engine.on('exit', (code) => done(code)));

    // The server, on a free loopback port; its first line names the address.
    const server = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { cwd: dir, env: env('server'), stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(server);
    const serverExit = new Promise<number | null>((done) => server.on('exit', (code) => done(code)));
    const base = await new Promise<string>((done, fail) => {
      let out = '';
      server.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^drplan serve: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) done(m[1]!);
      });
      server.on('exit', (code) => fail(new Error(`drplan serve exited ${code}: ${out}`)));
    });

    const { chromium } = await import('playwright-core');
    // launch() gives the browser a fresh, empty profile of its own (the --user-data-dir the flags call for).
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
      await page.goto(`${base}runs/${runId}`);
      await expect.poll(() => page.textContent('.instructions')).toBe('Confirm replication lag of database is zero');
      expect(await page.getByRole('button', { name: 'Approve' }).isDisabled()).toBe(true);
      await expect.poll(() => page.textContent('#live')).toBe('live'); // the event stream is open

      // A public key is not a key to sign with: the page says so.
      await page.setInputFiles('#key-file', join(dir, 'approvers/alice.pub'));
      await expect.poll(() => page.textContent('#who')).toMatch(/This is a public key/);

      // alice's private key, as `drplan keys generate` wrote it: the page finds out who she is.
      await page.setInputFiles('#key-file', join(dir, 'config/keys/alice.key'));
      await expect.poll(() => page.textContent('#who')).toBe('Signed in as alice — your key stays in this page.');
      expect(await page.getByRole('button', { name: 'Approve' }).isEnabled()).toBe(true);

      // Reject needs a reason: nothing is sent without one.
      await page.getByRole('button', { name: 'Reject' }).click();
      await expect.poll(() => page.textContent('form.decide .result')).toMatch(/A rejection needs a reason/);
      expect(readFileSync(join(dir, '.drplan/runs', runId, 'journal.jsonl'), 'utf8')).not.toMatch(/gate\.rejected|request\.refused/);

      await page.fill('form.decide textarea', 'lag is 0 on pg-1 and pg-2');
      await page.getByRole('button', { name: 'Approve' }).click();
      // The engine took it from its inbox and finished the run; the page follows the journal live.
      await expect.poll(() => page.textContent('#notice'), { timeout: 20_000 }).toMatch(/Approved dba-signoff as alice\. The engine driving the run has it\./);
      await expect.poll(() => page.textContent('.summary .badge'), { timeout: 20_000 }).toBe('succeeded');
      await expect.poll(() => page.textContent('#live')).toBe('run ended');
      expect(await engineExit).toBe(0);
      expect(engineOut).toMatch(/approved dba-signoff by alice/);
      expect(problems).toEqual([]);

      const journal = readFileSync(join(dir, '.drplan/runs', runId, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      const approval = journal.find((r) => r.type === 'gate.approved');
      expect(approval.data).toMatchObject({ stepId: 'dba-signoff', by: 'alice', comment: 'lag is 0 on pg-1 and pg-2' });
      expect(approval.data.signed.statement).toMatchObject({ v: 1, runId, stepId: 'dba-signoff', decision: 'approve', principal: 'alice' });
      expect(journal.at(-1).type).toBe('run.succeeded');
      // The signature made in the browser verifies with the repository's key, as `drplan verify` checks it.
      const { verifyDecision, publicKeyFromPem } = await import('../../engine/approvals/decision-statement.js');
      expect(verifyDecision(approval.data.signed, publicKeyFromPem(readFileSync(join(dir, 'approvers/alice.pub'), 'utf8'))!)).toBe(true);
    } finally {
      await browser.close();
      process.kill(server.pid!, 'SIGTERM');
    }
    expect(await serverExit).toBe(0);
  }, 60_000);
});
