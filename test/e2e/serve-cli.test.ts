import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const BIN = join(process.cwd(), 'bin/drplan.js');
const run = promisify(execFile);

/** Starts the real `drplan serve`; resolves with its address once it prints it, and a stop that sends SIGTERM. */
async function startServe(dir: string, args: string[] = []) {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const url = await new Promise<string>((done, fail) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^drplan serve: (http:\/\/\S+\/)/.exec(out);
      if (m) done(m[1]!);
    });
    child.on('exit', (code) => fail(new Error(`exited ${code}: ${out}`)));
  });
  return { url, exit, output: () => out, stop: () => process.kill(child.pid!, 'SIGTERM') };
}

describe('drplan serve (the real binary)', () => {
  it('listens on loopback, prints its address first, answers the API, and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drplan-serve-cli-'));
    const server = await startServe(dir);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(`${server.url}api/runs`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    // A second server on the same port says why it cannot start.
    const port = new URL(server.url).port;
    const clash = await run(process.execPath, [BIN, 'serve', '--port', port], { cwd: dir }).catch((e: { code: number; stderr: string }) => e);
    expect((clash as { code: number }).code).toBe(1);
    expect((clash as { stderr: string }).stderr).toMatch(/cannot listen on 127\.0\.0\.1:\d+: the port is in use/);
    server.stop();
    expect(await server.exit).toBe(0);
  });

  it('refuses a non-loopback address without TLS and a token: exit 2, with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drplan-serve-cli-'));
    const refused = await run(process.execPath, [BIN, 'serve', '--host', '0.0.0.0'], { cwd: dir }).catch((e: { code: number; stderr: string }) => e);
    expect((refused as { code: number }).code).toBe(2);
    expect((refused as { stderr: string }).stderr).toMatch(/refusing to listen on 0\.0\.0\.0, which is not a loopback address, without --tls-cert\/--tls-key and --auth-token-file/);
  });
});
