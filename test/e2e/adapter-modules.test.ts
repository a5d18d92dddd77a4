import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../engine/cli/cli.js';

const MODULE = resolve('test/fixtures/adapters/echo-adapter.mjs');
const PLAN = `
apiVersion: drplan/v1
kind: RecoveryPlan
metadata: { name: echoed }
spec:
  adapters:
    site: { type: simulator, estimates: { shutdown: 1ms, sync: 1ms, failover: 1ms, start: 1ms } }
    echo: { type: echo, config: { prefix: "> " } }
  sites: { source: site, target: site }
  modes: { planned: {} }
  groups: [{ id: g, vms: [vm-1] }]
  finalize:
    - id: hello
      action: echo.say
      with: { text: "{{plan.name}} is up" }
    - id: again
      action: echo.say
      with: { text: "{{steps.hello.output.said}}" }
`;

function io(cwd: string, env: Record<string, string | undefined>) {
  const out: string[] = [];
  return { out, io: { stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(s), env: { ...env, NO_COLOR: '1' }, cwd, isTTY: false } };
}

describe('third-party adapters (DRPLAN_ADAPTERS)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drplan-ext-'));
  writeFileSync(join(dir, 'plan.yaml'), PLAN);

  it('are unknown without the module, and validate with it', async () => {
    const without = io(dir, {});
    expect(await cli(['validate', 'plan.yaml', '--format', 'json'], without.io)).toBe(1);
    expect(JSON.parse(without.out.join('')).diagnostics.map((d: { code: string }) => d.code)).toContain('UNKNOWN_ADAPTER_TYPE');
    const withIt = io(dir, { DRPLAN_ADAPTERS: MODULE });
    expect(await cli(['validate', 'plan.yaml'], withIt.io)).toBe(0);
    // The adapter's declared `with` schema is enforced like a built-in's.
    writeFileSync(join(dir, 'bad.yaml'), PLAN.replace('with: { text: "{{plan.name}} is up" }', 'with: { txt: hi }'));
    const bad = io(dir, { DRPLAN_ADAPTERS: MODULE });
    expect(await cli(['validate', 'bad.yaml', '--format', 'json'], bad.io)).toBe(1);
    expect(JSON.parse(bad.out.join('')).diagnostics.map((d: { code: string }) => d.code)).toContain('INVALID_WITH');
  });

  it('run for real with their own code, and are simulated in a dry-run', async () => {
    const real = io(dir, { DRPLAN_ADAPTERS: MODULE });
    expect(await cli(['run', 'plan.yaml', '--mode', 'planned', '--format', 'json'], real.io)).toBe(0);
    const status = JSON.parse(real.out.join(''));
    expect(status.steps.find((s: { id: string }) => s.id === 'again').output).toEqual({ said: '> > echoed is up' });
    const dry = io(dir, { DRPLAN_ADAPTERS: MODULE });
    expect(await cli(['run', 'plan.yaml', '--mode', 'planned', '--dry-run', '--format', 'json'], dry.io)).toBe(0);
    const simulated = JSON.parse(dry.out.join(''));
    expect(simulated.steps.find((s: { id: string }) => s.id === 'hello').output.said).not.toBe('> echoed is up');
  });

  it('a module that is not an adapter is refused with a clear message (exit 2)', async () => {
    writeFileSync(join(dir, 'not-adapter.mjs'), 'export const adapters = [{ type: "Bad Name" }];');
    const broken = io(dir, { DRPLAN_ADAPTERS: './not-adapter.mjs' });
    expect(await cli(['validate', 'plan.yaml'], broken.io)).toBe(2);
    expect(broken.out.join('')).toMatch(/DRPLAN_ADAPTERS: .*not-adapter.mjs: adapter type "Bad Name" is not a lowercase name/);
    expect(readFileSync(join(dir, 'plan.yaml'), 'utf8')).toBe(PLAN);
  });
});
