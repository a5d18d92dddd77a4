import { createConnection } from 'node:net';
import { OperationError } from '../types.js';

/**
 * One command on HAProxy's runtime API: connect (Unix socket or TCP), write the command and a
 * newline, read until HAProxy closes the connection (it does after one command in the default,
 * non-interactive mode). Bounded by a timeout and the step's abort signal.
 */

export type RuntimeApiTarget = { socket: string } | { host: string; port: number };

export function runtimeCommand(target: RuntimeApiTarget, command: string, timeoutMs: number, signal: AbortSignal): Promise<string> {
  if (/[\n;]/.test(command)) throw new OperationError(`haproxy: refusing a runtime API command with a newline or ';' in it: ${JSON.stringify(command)}`, { retryable: false });
  return new Promise((resolve, reject) => {
    signal.throwIfAborted();
    const where = 'socket' in target ? target.socket : `${target.host}:${target.port}`;
    const socket = 'socket' in target ? createConnection({ path: target.socket }) : createConnection({ host: target.host, port: target.port });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      if (error) reject(error);
      else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onAbort = () => finish(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    const timer = setTimeout(() => finish(new OperationError(`haproxy: runtime API at ${where} did not answer "${command}" within ${timeoutMs} ms`, { retryable: true })), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('connect', () => socket.write(`${command}\n`));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    socket.on('error', (error: NodeJS.ErrnoException) =>
      finish(new OperationError(`haproxy: cannot reach the runtime API at ${where}: ${error.code ?? error.message}`, { retryable: true })),
    );
  });
}
