import { describe, expect, it } from 'vitest';
import { createLogRecorder, exec, expectOperationError, makeContext, makePlanDir, nodeEval } from './helpers.js';

// What a finished command turns into: the step output, or an error that ends with what it said.

describe('shell exec results', () => {
  it('returns exit code, stdout, stderr and duration for a successful command', async () => {
    const planDir = await makePlanDir();
    const output = await exec(planDir, { argv: nodeEval('console.log("out"); console.error("err")') });
    expect(output).toMatchObject({ exitCode: 0, stdout: 'out\n', stderr: 'err\n', truncated: false });
    expect(output.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('fails on a non-zero exit, naming the command, the code and the last 20 lines of stderr', async () => {
    const planDir = await makePlanDir();
    const code = 'for (let i = 1; i <= 30; i++) console.error("problem " + i); process.exit(3)';
    const error = await expectOperationError(exec(planDir, { argv: nodeEval(code, 'db-1') }));
    expect(error.message).toContain(`exited with code 3`);
    expect(error.message).toContain('db-1');
    expect(error.message).toContain('stderr (last 20 lines)');
    expect(error.message).toContain('problem 30');
    expect(error.message).toContain('problem 11');
    expect(error.message).not.toMatch(/problem 10\b/);
    expect(error.details.output).toMatchObject({ exitCode: 3, signal: null });
    expect(error.details.output?.stderr).toContain('problem 1\n');
  });

  it('keeps the stderr tail in the message within 4 KiB', async () => {
    const planDir = await makePlanDir();
    const code = 'for (let i = 0; i < 20; i++) console.error(String(i).padStart(1000, "x")); process.exit(1)';
    const error = await expectOperationError(exec(planDir, { argv: nodeEval(code) }));
    const tail = error.message.slice(error.message.indexOf('stderr ('));
    expect(Buffer.byteLength(tail)).toBeLessThan(4096 + 200);
    expect(error.message).toContain('x19');
  });

  it('shows the end of stdout when a failing command printed nothing on stderr', async () => {
    const planDir = await makePlanDir();
    const error = await expectOperationError(exec(planDir, { argv: nodeEval('console.log("replica lag too high"); process.exit(2)') }));
    expect(error.message).toMatch(/exited with code 2\nstdout \(last line\):\n {2}replica lag too high/);
  });

  it('fails when the command dies of a signal, naming the signal', async () => {
    const planDir = await makePlanDir();
    const error = await expectOperationError(exec(planDir, { argv: ['sh', '-c', 'echo dying >&2; kill -USR1 $$'] }));
    expect(error.message).toContain('was killed by signal SIGUSR1');
    expect(error.message).toContain('dying');
    expect(error.details.output).toMatchObject({ exitCode: null, signal: 'SIGUSR1' });
  });

  it('keeps only the tail of a 50 MB output, bounded by maxOutputBytes, and marks it truncated', async () => {
    const planDir = await makePlanDir();
    const code = [
      'const chunk = Buffer.alloc(1 << 20, "a");',
      'for (let i = 0; i < 50; i++) process.stdout.write(chunk);',
      'process.stdout.write("\\nTHE END\\n");',
      'console.error("small");',
    ].join('\n');
    const output = await exec(planDir, { argv: nodeEval(code) });
    const stdout = output.stdout as string;
    expect(output.truncated).toBe(true);
    expect(Buffer.byteLength(stdout)).toBeLessThanOrEqual(1024 * 1024);
    expect(Buffer.byteLength(stdout)).toBeGreaterThan(1024 * 1024 - 16);
    expect(stdout.endsWith('aaaa\nTHE END\n')).toBe(true);
    expect(output.stderr).toBe('small\n');
  });

  it('honours a smaller maxOutputBytes on each stream and never splits a UTF-8 character', async () => {
    const planDir = await makePlanDir();
    const code = 'process.stdout.write("é".repeat(1000) + "end"); process.stderr.write("ü".repeat(1000))';
    const output = await exec(planDir, { argv: nodeEval(code) }, { maxOutputBytes: 100 });
    expect(output.truncated).toBe(true);
    expect(output.stdout).toMatch(/^é+end$/);
    expect(Buffer.byteLength(output.stdout as string)).toBeLessThanOrEqual(100);
    expect(output.stderr).toMatch(/^ü+$/);
  });

  it('writes stdin to the command and closes it', async () => {
    const planDir = await makePlanDir();
    const output = await exec(planDir, { argv: nodeEval('process.stdin.pipe(process.stdout)'), stdin: 'héllo\n$(not run)\n' });
    expect(output.stdout).toBe('héllo\n$(not run)\n');
  });

  it('gives a command without stdin an immediately closed stdin, so reading it does not hang', async () => {
    const planDir = await makePlanDir();
    const code = 'let n = 0; process.stdin.on("data", (d) => (n += d.length)).on("end", () => console.log(n))';
    const output = await exec(planDir, { argv: nodeEval(code) });
    expect(output.stdout).toBe('0\n');
  });

  it('does not fail when the command exits without reading its stdin', async () => {
    const planDir = await makePlanDir();
    const output = await exec(planDir, { argv: ['true'], stdin: 'x'.repeat(4 * 1024 * 1024) });
    expect(output.exitCode).toBe(0);
  });

  it('logs start and finish with the argv', async () => {
    const planDir = await makePlanDir();
    const logger = createLogRecorder();
    await exec(planDir, { argv: ['echo', 'hello world'] }, {}, makeContext({ logger }));
    expect(logger.entries.map((e) => e.message)).toEqual(["starting echo 'hello world'", "finished echo 'hello world'"]);
    expect(logger.entries[0]!.fields).toMatchObject({ argv: ['echo', 'hello world'], cwd: planDir });
    expect(logger.entries[1]!.fields).toMatchObject({ exitCode: 0 });
  });

  it('finishes when a background process it started keeps stdout open, with a warning', async () => {
    const planDir = await makePlanDir();
    const logger = createLogRecorder();
    const output = await exec(planDir, { argv: ['sh', '-c', 'sleep 60 & echo $!'] }, {}, makeContext({ logger }));
    const pid = Number((output.stdout as string).trim());
    process.kill(pid, 'SIGKILL');
    expect(output.exitCode).toBe(0);
    expect(logger.entries.some((e) => e.level === 'warn' && e.message.includes('background'))).toBe(true);
  });
});

describe('shell exec with json: true', () => {
  it('returns the JSON object the command prints', async () => {
    const planDir = await makePlanDir();
    const output = await exec(planDir, { argv: nodeEval('console.log(JSON.stringify({ lag: 3, healthy: true, host: "db-2" }))'), json: true });
    expect(output).toEqual({ lag: 3, healthy: true, host: 'db-2' });
  });

  it('fails quoting the start of stdout when it is not JSON', async () => {
    const planDir = await makePlanDir();
    const error = await expectOperationError(exec(planDir, { argv: ['echo', 'OK: all good'], json: true }));
    expect(error.message).toContain('did not print valid JSON');
    expect(error.message).toContain('stdout starts with: "OK: all good"');
  });

  it('fails when the JSON is not an object', async () => {
    const planDir = await makePlanDir();
    const error = await expectOperationError(exec(planDir, { argv: ['echo', '[1, 2]'], json: true }));
    expect(error.message).toContain('printed an array on stdout');
  });

  it('fails when stdout is empty', async () => {
    const planDir = await makePlanDir();
    const error = await expectOperationError(exec(planDir, { argv: ['true'], json: true }));
    expect(error.message).toContain('printed nothing on stdout');
  });

  it('fails when the JSON was cut by maxOutputBytes', async () => {
    const planDir = await makePlanDir();
    const code = 'console.log(JSON.stringify({ rows: Array(100).fill("row") }))';
    const error = await expectOperationError(exec(planDir, { argv: nodeEval(code), json: true }, { maxOutputBytes: 64 }));
    expect(error.message).toContain('raise maxOutputBytes');
  });

  it('still fails on a non-zero exit before looking at stdout', async () => {
    const planDir = await makePlanDir();
    const error = await expectOperationError(exec(planDir, { argv: nodeEval('console.log("{}"); process.exit(4)'), json: true }));
    expect(error.message).toContain('exited with code 4');
  });
});
