import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The real executable, as a user's shell or CI starts it: bin/drplan.js → dist/ (built by
// `npm test` before vitest runs). Most CLI behaviour is tested in-process through cli(argv, io);
// these few check the process boundary: exit codes, what goes to stdout, no stack traces.

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin', 'drplan.js');

function drplan(args: string[], cwd = root) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env, timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A Node stack frame ("    at foo (file.js:1:2)"): never shown for a user's mistake. */
const STACK_FRAME = /^\s+at .+[:(]\d+:\d+\)?$/m;

// A plan with one mistake, on a known line: an operation the adapter does not provide.
const BROKEN_PLAN = `apiVersion: drplan/v1
kind: RecoveryPlan
metadata:
  name: broken
spec:
  adapters:
    site: { type: simulator }
  sites: { source: site, target: site }
  modes: { planned: {} }
  groups:
    - id: database
      vms: [pg-1]
      post:
        - id: promote
          action: site.promte
`;
const BROKEN_LINE = 15;

describe('bin/drplan.js (the real process)', () => {
  let scratch = '';
  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'bundle', 'main.js'))) {
      throw new Error('dist/ is missing: run the suite with `npm test`, which builds first');
    }
    scratch = mkdtempSync(join(tmpdir(), 'drplan-bin-'));
    writeFileSync(join(scratch, 'broken.yaml'), BROKEN_PLAN);
  });
  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('--help exits 0 and lists the commands', () => {
    const r = drplan(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: drplan/m);
    for (const command of ['validate', 'plan', 'graph']) expect(r.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  // One way only: a command landing before its docs must not fail others' work; a command the
  // docs call available but the build lacks is a false promise to users.
  it('docs/cli.md claims no command this build lacks', () => {
    const help = drplan(['--help']).stdout;
    const inHelp = new Set([...help.slice(help.indexOf('Commands:')).matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]!).filter((c) => c !== 'help'));
    expect(inHelp.size).toBeGreaterThan(0);
    const documented = new Map<string, string>();
    for (const row of readFileSync(join(root, 'docs', 'cli.md'), 'utf8').matchAll(/^\| (.+?) \| (available|coming) \|/gm)) {
      for (const name of row[1]!.matchAll(/`([a-z][a-z-]*)`/g)) documented.set(name[1]!, row[2]!);
    }
    expect(documented.size).toBeGreaterThan(0);
    for (const [command, status] of documented) {
      if (status === 'available') expect(inHelp.has(command), `docs/cli.md calls \`drplan ${command}\` available, but --help does not list it`).toBe(true);
    }
  });

  it('validate plans/ accepts every example plan (exit 0)', () => {
    const r = drplan(['validate', 'plans/']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/plans? checked: ok/);
    expect(r.stderr).toBe('');
  });

  it('validate on an invalid plan exits 1 with file:line:col on stdout and no stack trace', () => {
    const r = drplan(['validate', 'broken.yaml'], scratch);
    expect(r.code).toBe(1);
    const at = /^broken\.yaml:(\d+):(\d+)\b/m.exec(r.stdout);
    expect(at, r.stdout).not.toBeNull();
    expect(Number(at![1])).toBe(BROKEN_LINE);
    expect(Number(at![2])).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/UNKNOWN_OPERATION/);
    expect(r.stdout + r.stderr).not.toMatch(STACK_FRAME);
    expect(r.stdout + r.stderr).not.toMatch(/internal error|this is a bug/i);
  });

  it('validate --format json on an invalid plan prints the SPEC §3.1 shape', () => {
    const r = drplan(['validate', 'broken.yaml', '--format', 'json'], scratch);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { ok: boolean; diagnostics: Record<string, unknown>[] };
    expect(out.ok).toBe(false);
    expect(out.diagnostics.length).toBeGreaterThan(0);
    for (const d of out.diagnostics) {
      for (const key of ['code', 'severity', 'file', 'line', 'col', 'message']) expect(d).toHaveProperty(key);
    }
    expect(out.diagnostics).toContainEqual(expect.objectContaining({ code: 'UNKNOWN_OPERATION', file: 'broken.yaml', line: BROKEN_LINE }));
  });

  it('an unknown command exits 2 (wrong usage) without a stack trace', () => {
    const r = drplan(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command/);
    expect(r.stdout + r.stderr).not.toMatch(STACK_FRAME);
  });

  it('a missing required option exits 2', () => {
    const r = drplan(['plan', 'plans/payments-eu.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--mode/);
  });

  it.each(['planned', 'unplanned', 'test'])('plan --mode %s --format json parses and has the SPEC §3.1 keys', (mode) => {
    const r = drplan(['plan', 'plans/payments-eu.yaml', '--mode', mode, '--format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      plan: string;
      mode: string;
      steps: Record<string, unknown>[];
      criticalPath: { steps: string[]; estimate: string };
      objectives: { rto: string | null; fits: boolean };
    };
    expect(out.plan).toBe('payments-eu');
    expect(out.mode).toBe(mode);
    expect(out.steps.length).toBeGreaterThan(0);
    const seen = new Set<string>();
    for (const step of out.steps) {
      for (const key of ['id', 'kind', 'phase', 'group', 'vm', 'operation', 'skipped', 'after']) expect(step).toHaveProperty(key);
      expect(['action', 'run', 'gate', 'manual', 'vm']).toContain(step.kind);
      expect(['prechecks', 'shutdown', 'sync', 'groups', 'finalize', 'cleanup']).toContain(step.phase);
      expect(typeof step.skipped).toBe('boolean');
      // Steps come in an order that respects `after`.
      for (const before of step.after as string[]) expect(seen, `${String(step.id)} after ${before}`).toContain(before);
      seen.add(step.id as string);
    }
    // VM operations are steps too, with the id <group>/<vm>/<operation>.
    const recover = mode === 'test' ? 'testFailover' : 'failover';
    expect(out.steps).toContainEqual(expect.objectContaining({ id: `database/pg-1/${recover}`, kind: 'vm', group: 'database', vm: 'pg-1', operation: recover }));
    expect(Array.isArray(out.criticalPath.steps)).toBe(true);
    expect(typeof out.criticalPath.estimate).toBe('string');
    expect(out.objectives).toHaveProperty('rto');
    expect(typeof out.objectives.fits).toBe('boolean');
  });
});
