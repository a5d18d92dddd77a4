import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Oversized bodies against the real `drplan serve` in its own process, over real sockets (in one
// process, or with inject(), the race that resets the connection does not show): the client must
// read a 413 with a JSON error, not ECONNRESET/EPIPE because the server closed the connection
// while the client was still sending.
const BIN = join(process.cwd(), 'bin/drplan.js');
const MB = 1024 * 1024;
const BIG = Buffer.alloc(50 * MB, 0x20);
// Bodies are read before the route looks at the run: no run is needed to be answered 413.
const runId = 'no-such-run';

let port = 0;
let server: ChildProcess | null = null;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'drplan-serve-bodies-'));
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  server = child;
  let out = '';
  port = await new Promise<number>((done, fail) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^drplan serve: http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) done(Number(m[1]));
    });
    child.on('exit', (code) => fail(new Error(`drplan serve exited ${code}: ${out}`)));
  });
});
afterAll(() => {
  if (server?.pid) process.kill(server.pid, 'SIGTERM');
});

interface Answer {
  status: number;
  body: string;
}

/** node:http's client, with a Content-Length of the real size or chunked (no length). */
function post(body: Buffer, how: 'length' | 'chunked'): Promise<Answer> {
  return new Promise((done, fail) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (how === 'length') headers['content-length'] = body.length;
    const req = httpRequest({ host: '127.0.0.1', port, path: `/api/runs/${runId}/decisions`, method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: text }));
      res.on('error', fail);
    });
    req.on('error', fail);
    if (how === 'length') req.end(body);
    else {
      // Chunked: written in 1 MB pieces, as a streaming client would.
      for (let at = 0; at < body.length; at += MB) req.write(body.subarray(at, at + MB));
      req.end();
    }
  });
}

/**
 * A hand-written request on a raw socket: `head` (request line and headers), then `bytes` bytes
 * of body, then the client's end of the connection after `waitMs`. Resolves with everything the
 * server sent and how the connection ended.
 */
function raw(head: string, bytes: number, waitMs: number): Promise<{ text: string; reset: boolean }> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let reset = false;
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (text += c));
    socket.on('error', () => (reset = true));
    socket.on('close', () => done({ text, reset }));
    socket.write(head);
    let sent = 0;
    const piece = Buffer.alloc(MB, 0x20);
    const pump = (): void => {
      while (sent < bytes) {
        sent += piece.length;
        if (!socket.write(piece)) {
          socket.once('drain', pump);
          return;
        }
      }
      setTimeout(() => socket.end(), waitMs);
    };
    pump();
  });
}

const statusLines = (text: string): string[] => text.match(/HTTP\/1\.1 \d{3}(?= )/g) ?? [];
const jsonBodies = (text: string): unknown[] => (text.match(/\{"error":[^\n]*?\}(?=HTTP|$)/g) ?? []).map((b) => JSON.parse(b) as unknown);

describe('a request body over the limit', () => {
  it('a 50 MB body with its Content-Length gets 413 and a JSON error, ten times in a row, not a reset', async () => {
    for (let i = 0; i < 10; i++) {
      const answer = await post(BIG, 'length');
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body).error).toMatch(/larger than 16 KiB/);
    }
  });

  it('a 50 MB chunked body (no Content-Length) gets 413 and a JSON error, ten times in a row', async () => {
    for (let i = 0; i < 10; i++) {
      const answer = await post(BIG, 'chunked');
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body).error).toMatch(/larger than 16 KiB/);
    }
  });

  it('fetch() (undici) gets the 413 too', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/runs/${runId}/decisions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BIG });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/larger than 16 KiB/);
  });

  it('a Content-Length that claims 50 MB gets 413 at once, without waiting for a body that never comes', async () => {
    const started = Date.now();
    const answer = await raw(`POST /api/runs/${runId}/decisions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${50 * MB}\r\n\r\n{"statement":`, 0, 500);
    expect(statusLines(answer.text)[0]).toBe('HTTP/1.1 413');
    expect(jsonBodies(answer.text)[0]).toMatchObject({ error: expect.stringMatching(/larger than 16 KiB/) });
    expect(answer.reset).toBe(false);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('a Content-Length that claims 100 bytes followed by 50 MB: the 100 bytes are answered, the rest is refused as not HTTP, and both answers arrive before the connection closes', async () => {
    const answer = await raw(`POST /api/runs/${runId}/decisions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`, 50 * MB, 500);
    expect(answer.reset).toBe(false);
    expect(statusLines(answer.text)).toEqual(['HTTP/1.1 400', 'HTTP/1.1 400']);
    const bodies = jsonBodies(answer.text);
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toMatchObject({ error: expect.stringMatching(/not a valid HTTP request/) });
  });

  it('after all that the server still answers', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/runs`);
    expect(res.status).toBe(200);
  });
});
