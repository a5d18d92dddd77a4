import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createLogRecorder,
  exec,
  expectOperationError,
  isProcessGone,
  makeContext,
  makePlanDir,
  openShell,
  readPid,
  waitUntil,
} from './helpers.js';

// A timed-out or cancelled command is stopped with everything it started: no grandchild survives.

describe('stopping a command', () => {
  it('kills the whole process group on timeout, backgrounded grandchild included', async () => {
    const planDir = await makePlanDir();
    const pidFile = path.join(planDir, 'grandchild.pid');
    const script = 'sleep 300 & echo $! > "$1"; wait';
    const error = await expectOperationError(exec(planDir, { argv: ['sh', '-c', script, 'sh', pidFile], timeout: '2s' }));
    expect(error.message).toMatch(/^command sh -c .* timed out after 2s; drplan killed its process group \(SIGTERM/);
    expect(error.message).toContain('raise `timeout`');
    const grandchild = await readPid(pidFile);
    await waitUntil(() => isProcessGone(grandchild), `grandchild ${grandchild} is gone`);
  });

  it('uses the instance timeout when the step gives none, and the step timeout over it', async () => {
    const planDir = await makePlanDir();
    const fromConfig = await expectOperationError(exec(planDir, { argv: ['sleep', '300'] }, { timeout: '300ms' }));
    expect(fromConfig.message).toContain('timed out after 300ms');
    const fromStep = await expectOperationError(exec(planDir, { argv: ['sleep', '300'], timeout: '200ms' }, { timeout: '1h' }));
    expect(fromStep.message).toContain('timed out after 200ms');
  });

  it('sends SIGKILL after killGrace to a grandchild that ignores SIGTERM', async () => {
    const planDir = await makePlanDir();
    const pidFile = path.join(planDir, 'stubborn.pid');
    // The subshell ignores SIGTERM and execs sleep, which inherits the ignored disposition.
    const script = '(trap "" TERM; exec sleep 300) & echo $! > "$1"; wait';
    const abort = new AbortController();
    const running = exec(planDir, { argv: ['sh', '-c', script, 'sh', pidFile] }, { killGrace: '300ms' }, makeContext({ signal: abort.signal }));
    const grandchild = await readPid(pidFile);
    abort.abort();
    const error = await expectOperationError(running);
    expect(error.message).toMatch(/was cancelled; drplan killed its process group \(SIGTERM, then SIGKILL after 300ms\)/);
    await waitUntil(() => isProcessGone(grandchild), `grandchild ${grandchild} is gone`);
  });

  it('sends SIGKILL after killGrace to a command that ignores SIGTERM itself', async () => {
    const planDir = await makePlanDir();
    const error = await expectOperationError(
      exec(planDir, { argv: ['sh', '-c', 'trap "" TERM; echo started; sleep 300'], timeout: '500ms' }, { killGrace: '200ms' }),
    );
    expect(error.message).toContain('timed out after 500ms');
    expect(error.message).toContain('then SIGKILL after 200ms');
    expect(error.message).toMatch(/stdout \(last line\):\n {2}started/);
  });

  it('stops the command when the step is cancelled through its abort signal, giving the reason', async () => {
    const planDir = await makePlanDir();
    const marker = path.join(planDir, 'started');
    const abort = new AbortController();
    const logger = createLogRecorder();
    const running = exec(planDir, { argv: ['sh', '-c', 'touch "$1"; sleep 300', 'sh', marker] }, {}, makeContext({ signal: abort.signal, logger }));
    await waitUntil(() => existsSync(marker), 'the command has started');
    abort.abort(new Error('operator ran drplan cancel'));
    const error = await expectOperationError(running);
    expect(error.message).toMatch(/was cancelled \(operator ran drplan cancel\); drplan killed its process group \(SIGTERM\)/);
    expect(logger.entries.some((e) => e.level === 'warn' && e.fields.cause === 'cancelled')).toBe(true);
  });

  it("reports the step's own timeout (an abort whose reason is a TimeoutError) as a timeout", async () => {
    const planDir = await makePlanDir();
    const error = await expectOperationError(exec(planDir, { argv: ['sleep', '300'] }, {}, makeContext({ signal: AbortSignal.timeout(200) })));
    expect(error.message).toBe(
      "command sleep 300 timed out (the step's timeout); drplan killed its process group (SIGTERM). If it needs longer, raise the step's `timeout`",
    );
  });

  it('does not start a command whose step is already cancelled', async () => {
    const planDir = await makePlanDir();
    const marker = path.join(planDir, 'ran');
    const abort = new AbortController();
    abort.abort();
    const error = await expectOperationError(exec(planDir, { argv: ['touch', marker] }, {}, makeContext({ signal: abort.signal })));
    expect(error.message).toContain('was cancelled before it started');
    expect(existsSync(marker)).toBe(false);
  });

  it('stops running commands when the instance closes', async () => {
    const planDir = await makePlanDir();
    const pidFile = path.join(planDir, 'child.pid');
    const shell = await openShell({}, { planDir });
    const running = shell.call('exec', { argv: ['sh', '-c', 'sleep 300 & echo $! > "$1"; wait', 'sh', pidFile] }, makeContext());
    const grandchild = await readPid(pidFile);
    const failed = expectOperationError(running);
    await shell.close!();
    const error = await failed;
    expect(error.message).toContain('was cancelled (the shell adapter instance was closed)');
    await waitUntil(() => isProcessGone(grandchild), `grandchild ${grandchild} is gone`);
    const refused = await expectOperationError(shell.call('exec', { argv: ['true'] }, makeContext()));
    expect(refused.message).toContain('closed');
  });
});
