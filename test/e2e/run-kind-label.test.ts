import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../engine/cli/cli.js';
import type { CliIo } from '../../engine/cli/io.js';

// Regression: a real (non-dry) run whose adapters are all simulators was labelled "real run" in
// `status` and the report, as if it had failed a service over. Driven in-process through
// cli(argv, io): real runs of small plans on the real clock, with tiny simulated estimates.

const SIMULATORS = `apiVersion: drplan/v1
kind: RecoveryPlan
metadata: { name: sims }
spec:
  adapters:
    site:
      type: simulator
      estimates: { replicationHealth: 5ms, shutdown: 5ms, sync: 5ms, failover: 5ms, start: 5ms }
  sites: { source: site, target: site }
  modes: { planned: {} }
  groups:
    - id: db
      vms: [db-1]
`;
// The same, plus one command: that touches the machine drplan runs on, so it is a real run.
const WITH_COMMAND = SIMULATORS.replace('name: sims', 'name: with-command') + `  finalize:\n    - id: touch\n      run: [sh, -c, "true"]\n`;
// A command only in another mode does not run in this one.
const COMMAND_IN_TEST_ONLY = SIMULATORS.replace('name: sims', 'name: test-command').replace('modes: { planned: {} }', 'modes: { planned: {}, test: {} }') + `  finalize:\n    - id: touch\n      modes: [test]\n      run: [sh, -c, "true"]\n`;

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'drplan-run-kind-'));
  writeFileSync(join(dir, 'sims.yaml'), SIMULATORS);
  writeFileSync(join(dir, 'with-command.yaml'), WITH_COMMAND);
  writeFileSync(join(dir, 'test-command.yaml'), COMMAND_IN_TEST_ONLY);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function drplan(args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    env: { NO_COLOR: '1', DRPLAN_PRINCIPAL: 'tester', PATH: process.env.PATH },
    cwd: dir,
    isTTY: false,
  };
  const code = await cli(args, io);
  return { code, stdout, stderr };
}

async function runOf(file: string, ...more: string[]) {
  const r = await drplan(['run', file, '--mode', 'planned', '--state', 'state', ...more]);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return { runId: /^run (\S+) ·/.exec(r.stdout)![1]!, firstLine: r.stdout.split('\n')[0]! };
}

const SIMULATORS_ONLY = 'real run on simulators only (no real system touched)';

describe('what kind of run it was, in status and the report', () => {
  it('a real run whose every adapter is a simulator and that runs no command says so: first line, status, report (md, html, json)', async () => {
    const { runId, firstLine } = await runOf('sims.yaml');
    expect(firstLine).toContain(`· mode planned · ${SIMULATORS_ONLY}`);
    const status = await drplan(['status', runId, '--state', 'state']);
    expect(status.stdout).toMatch(new RegExp(`mode\\s+planned · ${SIMULATORS_ONLY.replace(/[()]/g, '\\$&')}\\n`));
    const md = await drplan(['report', runId, '--state', 'state']);
    expect(md.stdout).toContain(`| Kind | ${SIMULATORS_ONLY} |`);
    expect(md.stdout).toMatch(/^> \*\*Real run on simulators only:\*\* every adapter of the plan is a simulator and no step ran a command, so no real system was touched\./m);
    const html = await drplan(['report', runId, '--state', 'state', '--format', 'html']);
    expect(html.stdout).toContain(`<dt>Kind</dt><dd>${SIMULATORS_ONLY}</dd>`);
    expect(html.stdout).toContain('<strong>Real run on simulators only:</strong>');
    const json = JSON.parse((await drplan(['report', runId, '--state', 'state', '--format', 'json'])).stdout);
    expect(json.run).toMatchObject({ dryRun: false, simulatedTime: false, simulatorsOnly: true });
  });

  it('a command that runs makes it a real run: no simulators-only label', async () => {
    const { runId, firstLine } = await runOf('with-command.yaml');
    expect(firstLine).not.toContain('simulators only');
    const status = await drplan(['status', runId, '--state', 'state']);
    expect(status.stdout).toMatch(/mode\s+planned · real run\n/);
    const md = await drplan(['report', runId, '--state', 'state']);
    expect(md.stdout).toContain('| Kind | real run |');
    expect(md.stdout).not.toContain('simulators only');
    const json = JSON.parse((await drplan(['report', runId, '--state', 'state', '--format', 'json'])).stdout);
    expect(json.run.simulatorsOnly).toBe(false);
  });

  it('a command only in another mode does not count; a dry-run keeps its own label', async () => {
    const { runId } = await runOf('test-command.yaml');
    expect((await drplan(['status', runId, '--state', 'state'])).stdout).toContain(SIMULATORS_ONLY);
    const dry = await runOf('with-command.yaml', '--dry-run');
    expect(dry.firstLine).toContain('· dry-run (simulated time)');
    const status = await drplan(['status', dry.runId, '--state', 'state']);
    expect(status.stdout).toMatch(/mode\s+planned · dry-run against the simulator \(simulated time\)\n/);
  });
});
