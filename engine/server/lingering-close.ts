import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** The largest request body the server reads: a decision is a small JSON object. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/**
 * How long the server keeps reading (and discarding) what a client still sends after it has been
 * answered with an error, before it drops the connection. Long enough for a client to push tens of
 * megabytes over a slow link and read the answer; short enough that a client streaming forever
 * holds a connection for seconds, not minutes.
 */
export const LINGER_MS = 10_000;

/**
 * Why an answer must not be followed by an immediate close: a client that is still sending (a
 * 50 MB body, or bytes after a request) has them arriving at a socket the server has closed, and
 * the kernel answers them with a reset — which makes the client drop the answer it has not read
 * yet. It sees ECONNRESET or EPIPE instead of the 413. So the server keeps reading until the
 * client has sent everything (or LINGER_MS passes), as web servers do ("lingering close").
 */
export function lingerOnUnreadBody(request: IncomingMessage): void {
  if (request.complete) return;
  // Node reads and discards the rest of the body once the answer is sent, as long as the
  // connection is kept alive (the caller leaves out `connection: close`); a client that keeps
  // sending past LINGER_MS is cut off.
  request.resume();
  const socket = request.socket;
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  const done = (): void => clearTimeout(timer);
  request.once('end', done);
  socket.once('close', done);
}

const answered = new WeakSet<Socket>();

/**
 * What the server says when a connection carries bytes that are not HTTP (say, more body than its
 * Content-Length announced) or headers too large, in place of fastify's default, which destroys
 * the socket at once (a reset that can swallow the answers before it). It waits for any answer
 * still being written on the connection, writes a JSON error, then closes after the client stops
 * sending.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || answered.has(socket)) return;
  answered.add(socket);
  // Stop parsing: everything else the client sends is read and thrown away.
  socket.removeAllListeners('data');
  socket.on('data', () => {});
  socket.resume();
  const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const message =
    status === 408
      ? 'the request took too long to arrive'
      : status === 431
        ? 'the request headers are too large'
        : 'the connection carried bytes that are not a valid HTTP request (for example more body than its Content-Length said)';
  const body = JSON.stringify({ error: message });
  let once = false;
  const answer = (): void => {
    if (once) return;
    once = true;
    if (socket.writable) {
      socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    }
    closeWhenClientStops(socket);
  };
  // An answer to an earlier request on this connection is still being written: it goes first.
  const pending = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (pending && !pending.writableFinished) {
    pending.once('finish', answer);
    pending.once('close', answer);
  } else answer();
}

/** Ends our side, then waits for the client to end its own (or LINGER_MS) before releasing the socket. */
function closeWhenClientStops(socket: Socket): void {
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    socket.destroy();
  };
  const timer = setTimeout(close, LINGER_MS);
  timer.unref();
  socket.once('end', close);
  socket.once('close', close);
  socket.end();
}
