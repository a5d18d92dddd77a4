import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpAdapter } from '../../../../adapters/http/index.js';
import type { AdapterInstance, OperationContext } from '../../../../adapters/types.js';
import { systemClock } from '../../../../engine/run/clock.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base = '';
const seen: Seen[] = [];
let flaky = 0;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/ok') return json(res, 200, { received: body ? JSON.parse(body) : null, q: url.searchParams.get('q') });
      if (url.pathname === '/accepted') return json(res, 202, { queued: true });
      if (url.pathname === '/flaky') return flaky-- > 0 ? json(res, 503, { error: 'busy' }) : json(res, 200, { finally: true });
      if (url.pathname === '/forbidden') return json(res, 403, { error: 'no' });
      if (url.pathname === '/slow') return setTimeout(() => json(res, 200, {}), 2000);
      if (url.pathname === '/text') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end('plain words');
      }
      json(res, 404, {});
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function json(res: ServerResponse, status: number, value: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

const logs: unknown[] = [];
function ctx(signal = new AbortController().signal): OperationContext {
  const log = (fields: unknown) => logs.push(fields);
  return { runId: 'r', stepId: 's', attempt: 1, idempotencyKey: 'r:s:1', signal, logger: { info: log, warn: log, error: log, debug: log }, clock: systemClock, mode: 'planned' };
}

async function open(config: Record<string, unknown> = {}): Promise<AdapterInstance> {
  return httpAdapter.open({ baseUrl: base, retries: { attempts: 3, backoff: '10ms' }, ...config }, { instance: 'api', planDir: '.', clock: systemClock, random: Math.random, logger: ctx().logger, env: { API_TOKEN: 's3cret' } });
}

describe('http adapter', () => {
  it('sends JSON with headers and query, returns status and parsed JSON', async () => {
    const api = await open({ headers: { authorization: 'env:API_TOKEN' } });
    const out = await api.call('request', { url: '/ok', body: { a: 1 }, query: { q: 'x y' } }, ctx());
    expect(out).toMatchObject({ status: 200, body: { received: { a: 1 }, q: 'x y' } });
    const last = seen.at(-1)!;
    expect(last.method).toBe('POST');
    expect(last.headers.authorization).toBe('s3cret');
    expect(last.headers['content-type']).toBe('application/json');
    // The secret never reaches the logs.
    expect(JSON.stringify(logs)).not.toContain('s3cret');
  });

  it('accepts the expected status and refuses others with method, URL and status', async () => {
    const api = await open();
    expect(await api.call('request', { method: 'POST', url: '/accepted', expectStatus: 202 }, ctx())).toMatchObject({ status: 202 });
    await expect(api.call('request', { url: '/forbidden' }, ctx())).rejects.toThrow(/GET .*\/forbidden answered 403 Forbidden \(expected 2xx\)/);
  });

  it('retries 5xx answers with backoff, then succeeds', async () => {
    flaky = 2;
    const api = await open();
    const before = seen.length;
    expect(await api.call('get', { url: '/flaky' }, ctx())).toMatchObject({ status: 200, body: { finally: true } });
    expect(seen.length - before).toBe(3);
  });

  it('gives up on connection errors after its attempts, saying why', async () => {
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const api = await open({ baseUrl: `http://127.0.0.1:${port}` });
    await expect(api.call('get', { url: '/ok' }, ctx())).rejects.toThrow(/failed after 3 attempts: connection refused/);
  });

  it('times out a request per its timeout', async () => {
    const api = await open({ retries: { attempts: 1 } });
    await expect(api.call('get', { url: '/slow', timeout: '100ms' }, ctx())).rejects.toThrow(/no answer within 100 ms/);
  });

  it('stops when the step is cancelled', async () => {
    const api = await open();
    const controller = new AbortController();
    const call = api.call('get', { url: '/slow' }, ctx(controller.signal));
    setTimeout(() => controller.abort(new Error('cancelled by operator')), 50);
    await expect(call).rejects.toThrow(/cancelled by operator/);
  });

  it('returns text bodies as text, refuses missing secrets and non-http URLs', async () => {
    const api = await open();
    expect(await api.call('get', { url: '/text' }, ctx())).toMatchObject({ body: 'plain words' });
    await expect(api.call('get', { url: '/ok', headers: { 'x-key': 'env:NOT_SET_ANYWHERE' } }, ctx())).rejects.toThrow(/NOT_SET_ANYWHERE is not set/);
    await expect(api.call('get', { url: 'file:///etc/passwd' }, ctx())).rejects.toThrow(/file: URLs are not supported/);
    await expect(api.call('get', { method: 'POST', url: '/ok' }, ctx())).rejects.toThrow(/http.get only reads/);
  });
});
