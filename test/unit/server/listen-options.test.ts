import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../../engine/cli/cli.js';
import { checkListenRequest, isLoopbackHost } from '../../../engine/server/listen-options.js';
import { loopbackHostAllowed, sameOrigin, tokenMatches } from '../../../engine/server/request-guards.js';
import { makeServeFixture } from './serve-fixture.js';

const TOKEN = '0123456789abcdef0123456789abcdef';

function files(): { dir: string; at: (p: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'drplan-listen-'));
  writeFileSync(join(dir, 'token'), TOKEN + '\n', { mode: 0o600 });
  writeFileSync(join(dir, 'short'), 'abc\n', { mode: 0o600 });
  writeFileSync(join(dir, 'cert.pem'), '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n');
  writeFileSync(join(dir, 'key.pem'), '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n');
  return { dir, at: (p) => resolve(dir, p) };
}

describe('where drplan serve may listen', () => {
  it('knows loopback addresses from the rest', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.5', 'example.org', '128.0.0.1', '::ffff:10.0.0.1']) expect(isLoopbackHost(h), h).toBe(false);
  });

  it('refuses a non-loopback host unless TLS and a token are both given, naming what is missing', () => {
    const f = files();
    const check = (r: Partial<Parameters<typeof checkListenRequest>[0]>) => checkListenRequest({ host: '0.0.0.0', port: '7420', ...r }, f.at);
    const none = check({});
    expect(none).toMatchObject({ ok: false, message: 'refusing to listen on 0.0.0.0, which is not a loopback address, without --tls-cert/--tls-key and --auth-token-file' });
    expect(check({ tlsCert: 'cert.pem', tlsKey: 'key.pem' })).toMatchObject({ ok: false, message: expect.stringMatching(/without --auth-token-file$/) });
    expect(check({ authTokenFile: 'token' })).toMatchObject({ ok: false, message: expect.stringMatching(/without --tls-cert\/--tls-key$/) });
    expect(check({ tlsCert: 'cert.pem', authTokenFile: 'token' })).toMatchObject({ ok: false, message: '--tls-cert and --tls-key go together' });
    const ok = check({ tlsCert: 'cert.pem', tlsKey: 'key.pem', authTokenFile: 'token' });
    expect(ok).toMatchObject({ ok: true, setup: { host: '0.0.0.0', port: 7420, authToken: TOKEN, loopback: false, warnings: [] } });
  });

  it('checks the port, the files and the token', () => {
    const f = files();
    const check = (r: Partial<Parameters<typeof checkListenRequest>[0]>) => checkListenRequest({ host: '127.0.0.1', port: '7420', ...r }, f.at);
    expect(check({})).toMatchObject({ ok: true, setup: { loopback: true, tls: null, authToken: null } });
    expect(check({ port: '0' })).toMatchObject({ ok: true, setup: { port: 0 } });
    expect(check({ port: '70000' })).toMatchObject({ ok: false, message: '--port 70000: expected a port number 0-65535' });
    expect(check({ port: 'http' })).toMatchObject({ ok: false });
    expect(check({ authTokenFile: 'short' })).toMatchObject({ ok: false, message: expect.stringMatching(/at least 24 characters/) });
    expect(check({ authTokenFile: 'missing' })).toMatchObject({ ok: false, message: expect.stringMatching(/cannot read the file/) });
    expect(check({ tlsCert: 'key.pem', tlsKey: 'key.pem' })).toMatchObject({ ok: false, message: expect.stringMatching(/not a PEM certificate/) });
    chmodSync(f.at('token'), 0o644);
    expect(check({ authTokenFile: 'token' })).toMatchObject({ ok: true, setup: { warnings: [expect.stringMatching(/can be read by other users/)] } });
  });

  it('`drplan serve --host 0.0.0.0` exits 2 with the reason and a hint; on loopback it prints its address first', async () => {
    const out: string[] = [];
    const io = { stdout: (s: string) => void out.push(s), stderr: (s: string) => void out.push(s), env: { NO_COLOR: '1' }, cwd: files().dir, isTTY: false };
    expect(await cli(['serve', '--host', '0.0.0.0'], io)).toBe(2);
    expect(out.join('')).toMatch(/^drplan: refusing to listen on 0.0.0.0, which is not a loopback address, without --tls-cert\/--tls-key and --auth-token-file\n  hint: .*ssh -L/);
    out.length = 0;
    expect(await cli(['serve', '--port', '0'], io)).toBe(0); // in-process it starts and stops at once
    expect(out[0]).toMatch(/^drplan serve: http:\/\/127\.0\.0\.1:\d+\/ · runs in /);
  });
});

describe('request guards', () => {
  it('accepts the token as Bearer or as the Basic password, nothing else', () => {
    expect(tokenMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(tokenMatches(`bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(tokenMatches(`Basic ${Buffer.from(`anyone:${TOKEN}`).toString('base64')}`, TOKEN)).toBe(true);
    expect(tokenMatches(`Basic ${Buffer.from(`${TOKEN}:`).toString('base64')}`, TOKEN)).toBe(false);
    expect(tokenMatches(`Bearer ${TOKEN}x`, TOKEN)).toBe(false);
    expect(tokenMatches(undefined, TOKEN)).toBe(false);
    expect(tokenMatches(TOKEN, TOKEN)).toBe(false);
  });

  it('knows loopback Host headers and same-origin requests', () => {
    expect(loopbackHostAllowed('127.0.0.1:7420')).toBe(true);
    expect(loopbackHostAllowed('localhost')).toBe(true);
    expect(loopbackHostAllowed('[::1]:80')).toBe(true);
    expect(loopbackHostAllowed('127.0.0.1.evil.example')).toBe(false);
    expect(loopbackHostAllowed('localhost.evil.example:7420')).toBe(false);
    expect(loopbackHostAllowed(undefined)).toBe(false);
    expect(sameOrigin(undefined, 'x')).toBe(true);
    expect(sameOrigin('http://127.0.0.1:7420', '127.0.0.1:7420')).toBe(true);
    expect(sameOrigin('http://127.0.0.1:7421', '127.0.0.1:7420')).toBe(false);
    expect(sameOrigin('null', '127.0.0.1:7420')).toBe(false);
  });
});

describe('over TLS with a token', () => {
  it('serves https, requires the token, and tells browsers to stay on https', async (context) => {
    const f = files();
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', f.at('tls.key'), '-out', f.at('tls.crt')], { stdio: 'ignore' });
    } catch {
      context.skip('openssl is not installed: no certificate to test TLS with');
    }
    const check = checkListenRequest({ host: '127.0.0.1', port: '0', tlsCert: 'tls.crt', tlsKey: 'tls.key', authTokenFile: 'token' }, f.at);
    if (!check.ok) throw new Error(check.message);
    const fixture = makeServeFixture();
    const app = fixture.server({ tls: check.setup.tls, authToken: check.setup.authToken });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const port = (app.server.address() as AddressInfo).port;
      const get = (headers: Record<string, string>) =>
        new Promise<{ status: number; headers: Record<string, unknown> }>((done, fail) => {
          request({ host: '127.0.0.1', port, path: '/api/runs', headers: { host: `localhost:${port}`, ...headers }, rejectUnauthorized: false }, (res) => {
            res.resume();
            done({ status: res.statusCode ?? 0, headers: res.headers });
          })
            .on('error', fail)
            .end();
        });
      expect((await get({})).status).toBe(401);
      const ok = await get({ authorization: `Bearer ${TOKEN}` });
      expect(ok.status).toBe(200);
      expect(ok.headers['strict-transport-security']).toBe('max-age=31536000');
    } finally {
      await app.close();
    }
  });
});
