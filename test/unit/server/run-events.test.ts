import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from '../../../engine/cli/cli.js';
import { tailJournal } from '../../../engine/server/journal-tail.js';
import { encodeLine, GENESIS } from '../../../engine/store/journal-line.js';
import type { JournalRecord, NewRecord } from '../../../engine/store/journal.js';
import { JournalDamageError } from '../../../engine/store/read-journal.js';
import { makeServeFixture } from './serve-fixture.js';

interface SseEvent {
  event: string;
  id?: string;
  data: string;
}

function parseEvents(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '' && !block.startsWith('retry:'))
    .map((block) => {
      const e: SseEvent = { event: 'message', data: '' };
      for (const line of block.split('\n')) {
        const [field, ...rest] = line.split(': ');
        const value = rest.join(': ');
        if (field === 'event') e.event = value;
        else if (field === 'id') e.id = value;
        else if (field === 'data') e.data += value;
      }
      return e;
    });
}

/** A live event stream over a real socket: what arrived so far, and a way to wait for more. */
function openStream(url: string, headers: Record<string, string> = {}) {
  let text = '';
  let ended = false;
  let response: IncomingMessage | null = null;
  const req = httpRequest(url, { headers }, (res) => {
    response = res;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (text += chunk));
    res.on('end', () => (ended = true));
  });
  req.end();
  return {
    events: () => parseEvents(text),
    ended: () => ended,
    headers: () => response?.headers,
    close: () => void req.destroy(),
    async waitFor(check: (events: SseEvent[]) => boolean, timeoutMs = 10_000) {
      const end = Date.now() + timeoutMs;
      while (!check(parseEvents(text))) {
        if (Date.now() > end) throw new Error(`timed out; got: ${text}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

const closers: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('GET /api/runs/:id/events (server-sent events)', () => {
  it('replays a finished run record by record (id = sequence number), then sends end and closes', async () => {
    const f = makeServeFixture();
    const runId = await f.startRun();
    await f.server().inject({ method: 'POST', url: `/api/runs/${runId}/decisions`, headers: { 'content-type': 'application/json' }, payload: f.sign('alice', { runId, stepId: 'signoff', decision: 'approve', planDigest: f.planDigest(runId) }) });
    expect(await cli(['resume', runId], f.io())).toBe(0);
    const res = await f.server().inject({ url: `/api/runs/${runId}/events` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
    const events = parseEvents(res.body);
    const records = events.filter((e) => e.event === 'record').map((e) => JSON.parse(e.data) as JournalRecord);
    expect(records.map((r) => r.seq)).toEqual(f.records(runId).map((r) => r.seq));
    expect(events.filter((e) => e.event === 'record').map((e) => Number(e.id))).toEqual(records.map((r) => r.seq));
    expect(events.at(-1)).toMatchObject({ event: 'end' });
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ state: 'succeeded' });
  });

  it('resumes after Last-Event-ID (or ?after=), and ends at once for a client that already has the end', async () => {
    const f = makeServeFixture();
    const runId = await f.startRun();
    const app = f.server();
    await app.inject({ method: 'POST', url: `/api/runs/${runId}/decisions`, headers: { 'content-type': 'application/json' }, payload: f.sign('bob', { runId, stepId: 'signoff', decision: 'reject', planDigest: f.planDigest(runId), comment: 'no' }) });
    expect(await cli(['resume', runId], f.io())).toBe(1);
    const all = f.records(runId);
    const after = all.length - 3;
    const byHeader = parseEvents((await app.inject({ url: `/api/runs/${runId}/events`, headers: { 'last-event-id': String(after) } })).body);
    expect(byHeader.filter((e) => e.event === 'record').map((e) => Number(e.id))).toEqual([after + 1, after + 2, after + 3]);
    const byQuery = parseEvents((await app.inject({ url: `/api/runs/${runId}/events?after=${after + 1}` })).body);
    expect(byQuery.filter((e) => e.event === 'record').map((e) => Number(e.id))).toEqual([after + 2, after + 3]);
    const atEnd = parseEvents((await app.inject({ url: `/api/runs/${runId}/events?after=${all.length}` })).body);
    expect(atEnd.map((e) => e.event)).toEqual(['end']);
    expect(JSON.parse(atEnd[0]!.data)).toMatchObject({ state: 'failed' });
  });

  it('follows a live run: heartbeats while it waits, each new record as it is appended, end when it finishes', async () => {
    const f = makeServeFixture();
    const runId = await f.startRun();
    const app = f.server({ heartbeatMs: 30, pollMs: 5_000 }); // slow polling: file-change events must do it
    await app.listen({ host: '127.0.0.1', port: 0 });
    closers.push(() => app.close());
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const stream = openStream(`${base}/api/runs/${runId}/events`);
    closers.push(stream.close);
    const waitingSeq = f.records(runId).length;
    await stream.waitFor((es) => es.filter((e) => e.event === 'record').length === waitingSeq);
    await stream.waitFor((es) => es.some((e) => e.event === 'heartbeat'));
    expect(stream.ended()).toBe(false);
    const heartbeat = stream.events().find((e) => e.event === 'heartbeat')!;
    expect(Date.parse(JSON.parse(heartbeat.data).time)).toBeGreaterThan(0);

    const post = await fetch(`${base}/api/runs/${runId}/decisions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(f.sign('alice', { runId, stepId: 'signoff', decision: 'approve', planDigest: f.planDigest(runId) })) });
    expect(post.status).toBe(200);
    const started = Date.now();
    await stream.waitFor((es) => es.some((e) => e.event === 'record' && JSON.parse(e.data).type === 'gate.approved'));
    expect(Date.now() - started).toBeLessThan(3_000); // arrived by watching the file, not by the 5 s poll
    expect(stream.ended()).toBe(false);

    expect(await cli(['resume', runId], f.io())).toBe(0);
    await stream.waitFor((es) => es.at(-1)?.event === 'end');
    await until(() => stream.ended());
    const seqs = stream.events().filter((e) => e.event === 'record').map((e) => Number(e.id));
    expect(seqs).toEqual(f.records(runId).map((r) => r.seq)); // every record once, in order
  });

  it('frees the stream when the client goes away', async () => {
    const f = makeServeFixture();
    const runId = await f.startRun();
    const app = f.server();
    await app.listen({ host: '127.0.0.1', port: 0 });
    closers.push(() => app.close());
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/runs/${runId}/events`;
    const streams = Array.from({ length: 5 }, () => openStream(url));
    for (const s of streams) await s.waitFor((es) => es.some((e) => e.event === 'heartbeat'));
    for (const s of streams) s.close();
    // The server closes promptly with no client left (forceCloseConnections and the abort on close).
    const t = Date.now();
    await app.close();
    expect(Date.now() - t).toBeLessThan(2_000);
  });
});

describe('tailJournal', () => {
  function journalFile(records: NewRecord[]): { file: string; lines: string[] } {
    const dir = mkdtempSync(join(tmpdir(), 'drplan-tail-'));
    let prev = GENESIS;
    const lines = records.map((r, i) => {
      const { line, hash } = encodeLine({ ...r, seq: i + 1, time: 1000 + i }, prev);
      prev = hash;
      return line;
    });
    const file = join(dir, 'journal.jsonl');
    writeFileSync(file, '');
    return { file, lines };
  }
  const rec = (stepId: string): NewRecord => ({ type: 'step.started', data: { stepId, attempt: 1, idempotencyKey: stepId, deadline: null } });

  it('yields a line only once it is complete, however the writes are split', async () => {
    const { file, lines } = journalFile([rec('a'), rec('b'), rec('c')]);
    const stop = new AbortController();
    const seen: number[] = [];
    const done = (async () => {
      for await (const r of tailJournal(file, { signal: stop.signal, pollMs: 10 })) seen.push(r.seq);
    })();
    appendFileSync(file, lines[0]!.slice(0, 10));
    await sleep(50);
    expect(seen).toEqual([]);
    appendFileSync(file, lines[0]!.slice(10) + lines[1]!.slice(0, 5));
    await until(() => seen.length === 1);
    appendFileSync(file, lines[1]!.slice(5) + lines[2]);
    await until(() => seen.length === 3);
    expect(seen).toEqual([1, 2, 3]);
    stop.abort();
    await done;
  });

  it('stops at a record that does not chain (an edited journal) with the damage named', async () => {
    const { file, lines } = journalFile([rec('a'), rec('b')]);
    appendFileSync(file, lines[0]! + lines[1]!.replace('"b"', '"x"'));
    const stop = new AbortController();
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const r of tailJournal(file, { signal: stop.signal, pollMs: 10 })) seen.push(r.seq);
      })(),
    ).rejects.toBeInstanceOf(JournalDamageError);
    expect(seen).toEqual([1]);
  });

  it('reads a journal longer than its buffer', async () => {
    const many = Array.from({ length: 2_000 }, (_, i) => rec(`step-${i}-${'x'.repeat(40)}`));
    const { file, lines } = journalFile(many);
    appendFileSync(file, lines.join(''));
    const stop = new AbortController();
    let count = 0;
    for await (const r of tailJournal(file, { signal: stop.signal, pollMs: 10 })) {
      count++;
      if (r.seq === many.length) stop.abort();
    }
    expect(count).toBe(many.length);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(10);
  }
}
