import { parseDuration } from '../../engine/model/duration.js';
import { OperationError, type Clock, type JsonObject, type JsonValue } from '../types.js';
import type { HttpConfig } from './declaration.js';

export interface HttpCallInput {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean>;
  body?: JsonValue;
  expectStatus?: number | number[];
  timeout?: string;
}

export interface HttpCallEnvironment {
  env: Readonly<Record<string, string | undefined>>;
  clock: Clock;
  signal: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const BODY_LIMIT = 1024 * 1024;

/**
 * One HTTP call with the instance's policy: JSON body, headers (secrets from `env:NAME`), a
 * timeout per attempt, retries with doubling backoff on connection errors and 5xx, and a clear
 * error naming method, URL and status otherwise. Never logs header values.
 */
export async function httpCall(config: HttpConfig, input: HttpCallInput, environment: HttpCallEnvironment): Promise<JsonObject> {
  const url = buildUrl(config.baseUrl, input.url, input.query);
  const method = (input.method ?? (input.body === undefined ? 'GET' : 'POST')).toUpperCase();
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [name, value] of Object.entries({ ...config.headers, ...input.headers })) headers[name.toLowerCase()] = resolveSecret(name, value, environment.env);
  let body: string | undefined;
  if (input.body !== undefined) {
    body = JSON.stringify(input.body);
    headers['content-type'] ??= 'application/json';
  }
  const timeoutMs = parseDuration(input.timeout ?? config.timeout ?? '') ?? DEFAULT_TIMEOUT_MS;
  const attempts = config.retries?.attempts ?? 3;
  let backoff = parseDuration(config.retries?.backoff ?? '') ?? 1000;
  const expected = input.expectStatus === undefined ? null : [input.expectStatus].flat();
  const where = `${method} ${redact(url)}`;

  for (let attempt = 1; ; attempt++) {
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }), signal: AbortSignal.any([environment.signal, timeout]), redirect: 'follow' });
    } catch (error) {
      if (environment.signal.aborted) throw environment.signal.reason ?? error;
      const why = timeout.aborted ? `no answer within ${timeoutMs} ms` : describeNetworkError(error);
      if (attempt < attempts) {
        await environment.clock.sleep(backoff, environment.signal);
        backoff *= 2;
        continue;
      }
      throw new OperationError(`http: ${where} failed after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${why}`, { retryable: true });
    }
    const text = await readLimited(response);
    const parsed = parseBody(text, response.headers.get('content-type'));
    const ok = expected ? expected.includes(response.status) : response.status >= 200 && response.status < 300;
    if (ok) return { status: response.status, headers: Object.fromEntries(response.headers), body: parsed };
    if (response.status >= 500 && attempt < attempts) {
      await environment.clock.sleep(backoff, environment.signal);
      backoff *= 2;
      continue;
    }
    const want = expected ? expected.join(' or ') : '2xx';
    throw new OperationError(`http: ${where} answered ${response.status} ${response.statusText} (expected ${want})${text ? `: ${text.slice(0, 300)}` : ''}`, {
      retryable: response.status >= 500,
    });
  }
}

function buildUrl(base: string | undefined, url: string, query: HttpCallInput['query']): string {
  let full: URL;
  try {
    full = /^[a-z][a-z0-9+.-]*:/i.test(url) || !base ? new URL(url) : new URL(url.replace(/^\//, ''), base.endsWith('/') ? base : `${base}/`);
  } catch {
    throw new OperationError(`http: "${url}" is not a URL${base ? ` (relative to ${base})` : ''}; write an absolute URL or set the instance's baseUrl`, { retryable: false });
  }
  if (full.protocol !== 'http:' && full.protocol !== 'https:') throw new OperationError(`http: ${full.protocol} URLs are not supported; use http or https`, { retryable: false });
  for (const [k, v] of Object.entries(query ?? {})) full.searchParams.set(k, String(v));
  return full.toString();
}

function resolveSecret(name: string, value: string, env: Readonly<Record<string, string | undefined>>): string {
  if (!value.startsWith('env:')) return value;
  const variable = value.slice(4);
  const resolved = env[variable];
  if (!variable || resolved === undefined) {
    throw new OperationError(`http: header ${name} is ${value}, but ${variable || '(no name)'} is not set in drplan's environment; export it before running drplan`, { retryable: false });
  }
  return resolved;
}

/** Credentials in a URL never reach messages or logs. */
function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused (is the service up? is the URL right?)';
  if (cause?.code === 'ENOTFOUND') return 'host not found';
  return cause?.message ?? (error instanceof Error ? error.message : String(error));
}

async function readLimited(response: Response): Promise<string> {
  const text = await response.text();
  return text.length > BODY_LIMIT ? text.slice(0, BODY_LIMIT) : text;
}

function parseBody(text: string, contentType: string | null): JsonValue {
  if (text === '') return null;
  if (contentType?.includes('json') || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      return text;
    }
  }
  return text;
}
