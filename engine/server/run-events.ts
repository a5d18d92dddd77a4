import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { JournalDamageError } from '../store/read-journal.js';
import { publicErrorMessage, publicRecord } from './hide-paths.js';
import { endsRun, tailJournal } from './journal-tail.js';

export interface RunEventsOptions {
  /** The client has every record up to this sequence number (SSE Last-Event-ID, or `?after=`). */
  afterSeq: number;
  heartbeatMs: number;
  pollMs: number;
  /** Headers already set for the response (security headers). */
  headers: OutgoingHttpHeaders;
}

/**
 * `GET /api/runs/:id/events`: server-sent events, one `record` event per journal record as it
 * is appended (its `id` is the record's sequence number, so a reconnecting browser resumes after
 * the last one it saw), a `heartbeat` event now and then (proxies keep the connection, the page
 * knows it is live), and an `end` event once the run has ended, after which the stream closes.
 */
export async function streamRunEvents(request: IncomingMessage, response: ServerResponse, file: string, o: RunEventsOptions): Promise<void> {
  response.writeHead(200, {
    ...o.headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  const write = (text: string) => {
    if (!response.writableEnded && !response.destroyed) response.write(text);
  };
  const event = (name: string, data: unknown, id?: number) => write(`${id === undefined ? '' : `id: ${id}\n`}event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  write('retry: 3000\n\n');
  const stop = new AbortController();
  const abort = () => stop.abort();
  request.on('close', abort);
  response.on('close', abort);
  const heartbeat = setInterval(() => event('heartbeat', { time: new Date().toISOString() }), o.heartbeatMs);
  try {
    for await (const record of tailJournal(file, { signal: stop.signal, pollMs: o.pollMs })) {
      if (record.seq > o.afterSeq) event('record', publicRecord(record), record.seq);
      if (endsRun(record)) {
        event('end', { state: record.type.slice('run.'.length), seq: record.seq });
        break;
      }
    }
  } catch (error) {
    if (!(error instanceof JournalDamageError)) throw error;
    event('error', { error: publicErrorMessage(error, (text) => text) });
  } finally {
    clearInterval(heartbeat);
    request.off('close', abort);
    response.off('close', abort);
    if (!response.writableEnded) response.end();
  }
}
