/**
 * Regression (issue 11, item 4): files under 1 MB made `validate`, `plan` and `run` exit 70
 * ("Maximum call stack size exceeded": ~125,000 diagnostics spread into push()), and a chain
 * of anchors a few kilobytes long built a value deep enough to overflow every later stage.
 * Each shape is generated here (nothing megabyte-sized is committed) and given to the real
 * executable: the plan is invalid (exit 1), the first 1,000 problems are printed, then
 * "… and M more", and the summary counts every one.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DIAGNOSTICS_PER_FILE } from '../../engine/model/diagnostic-cap.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin', 'drplan.js');
const scratch = mkdtempSync(join(tmpdir(), 'drplan-hostile-'));
// Generous: the machine running the suite may be busy. What is asserted is the outcome, never a time.
const TIMEOUT_MS = 300_000;

/** Runs the real executable; asynchronously, so the test worker stays responsive meanwhile. */
function drplan(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: scratch, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

interface Shape {
  name: string;
  file: string;
  text: () => string;
  errors: number;
  warnings: number;
}

const SHAPES: Shape[] = [
  { name: '300,000 "]" lines', file: 'brackets.yaml', text: () => ']\n'.repeat(300_000), errors: 300_000, warnings: 0 },
  { name: '130,000 duplicate keys', file: 'duplicates.yaml', text: () => 'a: 1\n'.repeat(130_000), errors: 129_999, warnings: 0 },
  // A list, so the plan is also the wrong shape: one error, kept ahead of 200,000 warnings.
  { name: '200,000 unknown tags', file: 'tags.yaml', text: () => '- !t x\n'.repeat(200_000), errors: 1, warnings: 200_000 },
  { name: '100,000-deep nesting', file: 'deep.yaml', text: () => '['.repeat(100_000), errors: 1, warnings: 0 },
  { name: 'a 3 MB single line', file: 'one-line.yaml', text: () => ']'.repeat(3_000_000), errors: 3_000_000, warnings: 0 },
  {
    name: 'a chain of anchors nesting 14,000 levels deep once expanded',
    file: 'anchors.yaml',
    text: () => {
      const lines = [`a0: &a0 ${'['.repeat(90)}${']'.repeat(90)}`];
      for (let k = 1; k < 140; k++) lines.push(`a${k}: &a${k} ${'['.repeat(90)}*a${k - 1}${']'.repeat(90)}`);
      return lines.join('\n') + '\n';
    },
    errors: 1,
    warnings: 0,
  },
];

const COMMANDS: { name: string; args: (file: string) => string[]; stream: 'stdout' | 'stderr' }[] = [
  { name: 'validate', args: (f) => ['validate', f], stream: 'stdout' },
  { name: 'plan', args: (f) => ['plan', f, '--mode', 'planned'], stream: 'stderr' },
  { name: 'run', args: (f) => ['run', f, '--mode', 'planned', '--dry-run', '--auto-approve', '--state', join(scratch, 'state')], stream: 'stderr' },
];

/** "file:line:col error CODE …" or "… warning …": one per printed diagnostic. */
const DIAGNOSTIC_LINE = /^\S+:\d+:\d+ (?:error|warning) [A-Z_]+ /gm;
const count = (n: number) => n.toLocaleString('en-US');

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'bundle', 'main.js'))) throw new Error('dist/ is missing: run the suite with `npm test`, which builds first');
  for (const shape of SHAPES) writeFileSync(join(scratch, shape.file), shape.text());
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.each(SHAPES)('$name', (shape) => {
  const total = shape.errors + shape.warnings;
  const shown = Math.min(total, MAX_DIAGNOSTICS_PER_FILE);

  it.each(COMMANDS)('$name: exit 1, the first 1,000 problems, "… and M more", bounded output', async (command) => {
    const r = await drplan(command.args(shape.file));
    const out = r[command.stream];
    expect(r.signal).toBeNull();
    expect(r.stderr).not.toMatch(/internal error|this is a bug in drplan|RangeError/);
    expect(r.code).toBe(1);
    expect(out.match(DIAGNOSTIC_LINE)?.length ?? 0).toBe(shown);
    const more = total - shown;
    if (more > 0) expect(out).toContain(`… and ${count(more)} more in ${shape.file} (`);
    else expect(out).not.toContain('… and');
    // 1,000 diagnostics with code frames and hints: a few hundred kilobytes, whatever the input.
    expect(out.length).toBeLessThan(600_000);
    if (command.name === 'validate') {
      const part = (n: number, word: string) => `${count(n)} ${word}${n === 1 ? '' : 's'}`;
      expect(out).toContain(`1 plan checked: invalid (${part(shape.errors, 'error')}, ${part(shape.warnings, 'warning')})`);
    } else {
      expect(r.stderr).toContain(`${shape.file}: the plan is invalid`);
      expect(r.stdout).toBe('');
    }
  }, TIMEOUT_MS);
});

describe('--format json', () => {
  it('carries the first 1,000 diagnostics, the totals, and what each file left out', async () => {
    const r = await drplan(['validate', 'brackets.yaml', 'tags.yaml', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as {
      ok: boolean;
      errors: number;
      warnings: number;
      diagnostics: { file: string; severity: string }[];
      omitted: { file: string; errors: number; warnings: number }[];
    };
    expect(report.ok).toBe(false);
    expect(report.errors).toBe(300_001);
    expect(report.warnings).toBe(200_000);
    expect(report.diagnostics.filter((d) => d.file === 'brackets.yaml')).toHaveLength(MAX_DIAGNOSTICS_PER_FILE);
    const tags = report.diagnostics.filter((d) => d.file === 'tags.yaml');
    expect(tags).toHaveLength(MAX_DIAGNOSTICS_PER_FILE);
    // Errors are kept first: the one error of tags.yaml is among them.
    expect(tags.filter((d) => d.severity === 'error')).toHaveLength(1);
    expect(report.omitted).toEqual([
      { file: 'brackets.yaml', errors: 299_000, warnings: 0 },
      { file: 'tags.yaml', errors: 0, warnings: 199_001 },
    ]);
    expect(r.stdout.length).toBeLessThan(1_000_000);
  }, TIMEOUT_MS);
});
