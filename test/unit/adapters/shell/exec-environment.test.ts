import { mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ShellConfig } from '../../../../adapters/shell/index.js';
import type { JsonObject } from '../../../../adapters/types.js';
import { createLogRecorder, expectOperationError, makeContext, makePlanDir, nodeEval, openShell, writeExecutable } from './helpers.js';

// Where a command runs, which file it is, and what environment it sees.

const printEnv = nodeEval('console.log(JSON.stringify(process.env))');
const printCwd = nodeEval('console.log(process.cwd())');

async function run(planDir: string, input: JsonObject, config: ShellConfig = {}, env?: Record<string, string>) {
  const shell = await openShell(config, { planDir, ...(env ? { env } : {}) });
  return shell.call('exec', input, makeContext());
}

describe('shell exec working directory and program path', () => {
  it('runs in the plan directory by default', async () => {
    const planDir = await makePlanDir();
    const output = await run(planDir, { argv: printCwd });
    expect(output.stdout).toBe(`${await realpath(planDir)}\n`);
  });

  it('resolves config cwd and step cwd against the plan directory, the step winning', async () => {
    const planDir = await makePlanDir();
    await mkdir(path.join(planDir, 'scripts'));
    await mkdir(path.join(planDir, 'data'));
    const fromConfig = await run(planDir, { argv: printCwd }, { cwd: 'scripts' });
    expect(fromConfig.stdout).toBe(`${await realpath(path.join(planDir, 'scripts'))}\n`);
    const fromStep = await run(planDir, { argv: printCwd, cwd: 'data' }, { cwd: 'scripts' });
    expect(fromStep.stdout).toBe(`${await realpath(path.join(planDir, 'data'))}\n`);
  });

  it('fails clearly when the working directory does not exist, instead of reporting command not found', async () => {
    const planDir = await makePlanDir();
    const error = await expectOperationError(run(planDir, { argv: ['true'], cwd: 'missing' }));
    expect(error.message).toBe(
      `shell: working directory ${path.join(planDir, 'missing')} does not exist (cwd resolves against the plan directory ${planDir}); create it or fix \`cwd\``,
    );
    expect(error.details.retryable).toBe(false);
  });

  it('resolves a relative program with a slash against the plan directory, whatever the cwd', async () => {
    const planDir = await makePlanDir();
    await mkdir(path.join(planDir, 'scripts'));
    await mkdir(path.join(planDir, 'elsewhere'));
    await writeExecutable(path.join(planDir, 'scripts', 'smoke.sh'), '#!/bin/sh\necho "smoke $1 in $(pwd)"\n');
    const output = await run(planDir, { argv: ['./scripts/smoke.sh', 'database'], cwd: 'elsewhere' });
    expect(output.stdout).toBe(`smoke database in ${await realpath(path.join(planDir, 'elsewhere'))}\n`);
    const withoutDot = await run(planDir, { argv: ['scripts/smoke.sh', 'app'] });
    expect(withoutDot.stdout).toMatch(/^smoke app in /);
  });

  it('looks a bare program name up in PATH', async () => {
    const planDir = await makePlanDir();
    const output = await run(planDir, { argv: ['echo', 'from PATH'] });
    expect(output.stdout).toBe('from PATH\n');
  });
});

describe('shell exec failures to start', () => {
  it('reports a program missing from PATH', async () => {
    const planDir = await makePlanDir();
    const error = await expectOperationError(run(planDir, { argv: ['drplan-no-such-command', 'x'] }));
    expect(error.message).toMatch(/^command not found: drplan-no-such-command \(looked in PATH=.*\)\. Install it, give its absolute path, or write \.\/drplan-no-such-command/);
    expect(error.details.retryable).toBe(false);
  });

  it('reports a relative program missing from the plan directory', async () => {
    const planDir = await makePlanDir();
    const error = await expectOperationError(run(planDir, { argv: ['./scripts/missing.sh'] }));
    expect(error.message).toBe(
      `command not found: ./scripts/missing.sh (looked for ${path.join(planDir, 'scripts/missing.sh')}, relative to the plan directory ${planDir})`,
    );
  });

  it('reports a script that is not executable, with the chmod to run', async () => {
    const planDir = await makePlanDir();
    const script = await writeExecutable(path.join(planDir, 'flush.sh'), '#!/bin/sh\necho hi\n', 0o644);
    const error = await expectOperationError(run(planDir, { argv: ['./flush.sh'] }));
    expect(error.message).toBe(`./flush.sh is not executable: chmod +x ${script}`);
  });

  it('reports a directory given as the program', async () => {
    const planDir = await makePlanDir();
    await mkdir(path.join(planDir, 'scripts'));
    const error = await expectOperationError(run(planDir, { argv: ['./scripts'] }));
    expect(error.message).toContain('is a directory');
  });

  it('reports a script whose #! interpreter is missing', async () => {
    const planDir = await makePlanDir();
    await writeExecutable(path.join(planDir, 'check.py'), '#!/nonexistent/python9\nprint(1)\n');
    const error = await expectOperationError(run(planDir, { argv: ['./check.py'] }));
    expect(error.message).toContain('exists');
    expect(error.message).toContain('"#!/nonexistent/python9"');
    expect(error.message).toContain('install it or fix the #! line');
  });

  it('rejects input that breaks the exec contract, naming the field', async () => {
    const planDir = await makePlanDir();
    const shell = await openShell({}, { planDir });
    const cases: [JsonObject, RegExp][] = [
      [{ argv: [] }, /`argv` must be a non-empty list/],
      [{ argv: ['echo', 3] }, /argv\[1\] must be a string, got number 3/],
      [{ argv: [''] }, /argv\[0\], the program, is empty/],
      [{ argv: ['echo'], shell: true }, /unknown field "shell"/],
      [{ argv: ['echo'], timeout: 'soon' }, /with.timeout "soon" is not a duration/],
      [{ argv: ['echo'], env: { 'A=B': 'x' } }, /env name "A=B" is not a valid variable name/],
      [{ argv: ['echo'], env: { A: 1 } }, /env.A must be a string/],
    ];
    for (const [input, message] of cases) {
      const error = await expectOperationError(shell.call('exec', input, makeContext()));
      expect(error.message).toMatch(message);
      expect(error.details.retryable).toBe(false);
    }
    const unknownOperation = await expectOperationError(shell.call('run', { argv: ['true'] }, makeContext()));
    expect(unknownOperation.message).toBe('shell has no operation "run"; it provides: exec');
  });
});

describe('shell exec environment', () => {
  const drplanEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/home/op', LANG: 'C.UTF-8', DB_PASSWORD: 's3cret', NOISE: 'inherited' };

  it("passes drplan's environment plus config env and step env, the step winning", async () => {
    const planDir = await makePlanDir();
    const output = await run(planDir, { argv: printEnv, env: { REGION: 'eu-west', TIER: 'step' } }, { env: { TIER: 'config', SITE: 'dublin' } }, drplanEnv);
    const env = JSON.parse(output.stdout as string) as Record<string, string>;
    expect(env).toMatchObject({ NOISE: 'inherited', TIER: 'step', SITE: 'dublin', REGION: 'eu-west', HOME: '/home/op' });
  });

  it('passes only PATH, HOME and LANG plus env when inheritEnv is false', async () => {
    const planDir = await makePlanDir();
    const output = await run(planDir, { argv: printEnv }, { inheritEnv: false, env: { SITE: 'dublin' } }, drplanEnv);
    expect(JSON.parse(output.stdout as string)).toEqual({ PATH: drplanEnv.PATH, HOME: '/home/op', LANG: 'C.UTF-8', SITE: 'dublin' });
  });

  it("copies env:NAME values from drplan's environment and keeps their values out of the logs", async () => {
    const planDir = await makePlanDir();
    const shell = await openShell({ inheritEnv: false, env: { PGPASSWORD: 'env:DB_PASSWORD' } }, { planDir, env: drplanEnv });
    const logger = createLogRecorder();
    const output = await shell.call('exec', { argv: printEnv, env: { OTHER: 'env:NOISE' } }, makeContext({ logger }));
    expect(JSON.parse(output.stdout as string)).toMatchObject({ PGPASSWORD: 's3cret', OTHER: 'inherited' });
    expect(JSON.stringify(logger.entries)).not.toContain('s3cret');
    expect(logger.entries[0]!.fields.env).toEqual(['PGPASSWORD', 'OTHER']);
  });

  it('fails before running when an env:NAME variable is not set, saying which', async () => {
    const planDir = await makePlanDir();
    const error = await expectOperationError(run(planDir, { argv: ['true'] }, { env: { TOKEN: 'env:API_TOKEN' } }, drplanEnv));
    expect(error.message).toBe(
      "shell: config env TOKEN is env:API_TOKEN, but API_TOKEN is not set in drplan's environment; export API_TOKEN before running drplan",
    );
  });
});
