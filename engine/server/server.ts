import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { OutgoingHttpHeaders } from 'node:http';
import { verifyDecision } from '../approvals/decision-statement.js';
import { FileStore, NoSuchRunError } from '../store/file-store.js';
import { JournalDamageError } from '../store/read-journal.js';
import { pathRedactor, publicErrorMessage } from './hide-paths.js';
import { journalFold } from './journal-folds.js';
import { answerClientError, BODY_LIMIT_BYTES, lingerOnUnreadBody } from './lingering-close.js';
import { renderRunPage, renderRunsPage } from './page-html.js';
import { PAGE_JS } from './page-script.js';
import { PAGE_CSS } from './page-style.js';
import { RunReader } from './read-run.js';
import { DEFAULT_REFUSAL_GUARD, KEYLESS, RefusalGuard, type RefusalGuardOptions } from './refusal-guard.js';
import { loopbackHostAllowed, sameOrigin, tokenMatches } from './request-guards.js';
import { streamRunEvents } from './run-events.js';
import { runDetailJson, runListItem, type RunListItem } from './run-views.js';
import { applyDecision, judgeDecision, readDecision } from './submit-decision.js';

export interface ServerOptions {
  store: FileStore;
  /** Where the plan paths that runs recorded relative are taken from (the CLI passes its io). */
  io: { cwd: string };
  /** Required on every request when set (`--auth-token-file`). */
  authToken?: string | null;
  /** Served on a loopback address: only loopback Host names are answered (DNS rebinding). */
  loopback: boolean;
  /** Served over TLS: browsers are told to keep using it (HSTS). */
  tls?: { cert: Buffer; key: Buffer } | null;
  /** Event streams: heartbeat period and journal poll period (tests shorten them). */
  heartbeatMs?: number;
  pollMs?: number;
  /** How refused decisions are limited and folded, per claimed principal and run (tests shorten them). */
  refusals?: Partial<RefusalGuardOptions>;
  /** Server clock (tests fix it). */
  now?: () => number;
}

/**
 * Strict: scripts, styles and connections to this server only; no inline script or style, no
 * frames (clickjacking), no forms posting elsewhere, no plugins, no base-URI tricks.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

const MAX_EVENT_STREAMS = 64;

/**
 * The HTTP API and approver page of `drplan serve` (SPEC §3, §5), on fastify. Read-only towards
 * runs except `POST /api/runs/:id/decisions`, which goes through the same code as
 * `drplan approve|reject|done`. The caller listens (`app.listen`) or injects (tests).
 *
 * @example
 * const app = buildServer({ store: openStateStore(io, undefined), io, loopback: true });
 * await app.listen({ host: '127.0.0.1', port: 7420 });
 */
export function buildServer(o: ServerOptions): FastifyInstance {
  const options: FastifyServerOptions & { https?: { cert: Buffer; key: Buffer } } = {
    logger: false,
    bodyLimit: BODY_LIMIT_BYTES,
    // Bytes that are not HTTP get a JSON answer that arrives, not a reset (see lingering-close.ts).
    clientErrorHandler: answerClientError,
    // Event streams stay open until the run ends: closing the server must not wait for them.
    forceCloseConnections: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    ...(o.tls ? { https: { cert: o.tls.cert, key: o.tls.key } } : {}),
  };
  // With `https` fastify makes an https.Server; its request and reply types are the http ones.
  const app = Fastify(options) as unknown as FastifyInstance;
  // Answers name runs and lines, never the server's files (the CLI, on the host, keeps the paths).
  const redact = pathRedactor({ stateDir: o.store.dir, cwd: o.io.cwd });
  const reader = new RunReader(o.store, o.io.cwd, redact);
  // Decisions open their run through a store of their own that keeps its warnings (a torn tail,
  // a lock taken over) out of the server's output: they belong to the engine and the CLI.
  const decisionStore = new FileStore(o.store.dir);
  const now = o.now ?? Date.now;
  const guard = new RefusalGuard({ ...DEFAULT_REFUSAL_GUARD, ...o.refusals });
  // Folds of refused decisions go to their run's journal one at a time, in the order taken.
  let flushing: Promise<void> = Promise.resolve();
  const flush = (which: { runId?: string; everything?: boolean } = {}): Promise<void> => {
    const folds = guard.takeFolds(now(), which);
    if (folds.length === 0) return flushing;
    flushing = flushing.then(async () => {
      for (const fold of folds) {
        const done = await journalFold(o.store, fold, now()).catch(() => 'dropped' as const);
        if (done === 'busy') guard.putBack([fold], now());
      }
    });
    return flushing;
  };
  const flusher = setInterval(() => void flush(), 1_000);
  flusher.unref();
  app.addHook('onClose', async () => {
    clearInterval(flusher);
    await flush({ everything: true });
  });
  let streams = 0;

  app.addHook('onRequest', async (request, reply) => {
    securityHeaders(reply, Boolean(o.tls));
    if (o.loopback && !loopbackHostAllowed(request.headers.host)) {
      return reply.code(421).type('application/json').send({ error: `this server answers to loopback names only (127.0.0.1, localhost, [::1]), not "${request.headers.host ?? ''}"` });
    }
    if (o.authToken && !tokenMatches(request.headers.authorization, o.authToken)) {
      reply.header('www-authenticate', 'Basic realm="drplan approvals", charset="UTF-8"');
      return reply.code(401).type('application/json').send({ error: 'authentication required: send the server token as "Authorization: Bearer <token>" (or as the password of HTTP Basic authentication)' });
    }
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    // fastify closes the connection after a body it would not read (too large, not JSON): with the
    // client still sending, that close is a reset that swallows this answer. Keep the connection,
    // let the rest of the body be read and discarded (for a while), and the answer arrives.
    reply.removeHeader('connection');
    lingerOnUnreadBody(request.raw);
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({ error: `the request body is larger than ${BODY_LIMIT_BYTES / 1024} KiB: a decision is a small JSON object { statement, signature }` });
    }
    if (error instanceof NoSuchRunError) return reply.code(404).send({ error: publicErrorMessage(error, redact) });
    if (error instanceof JournalDamageError) return reply.code(409).send({ error: publicErrorMessage(error, redact) });
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    const message = publicErrorMessage(error, redact);
    return reply.code(status).send({ error: status === 500 ? `internal error — this is a bug in drplan: ${message}` : message });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `no such page: ${request.method} ${request.url.split('?')[0]}` }));

  const listRuns = async (): Promise<RunListItem[]> => {
    const items: RunListItem[] = [];
    for (const summary of await o.store.list()) {
      let read: Parameters<typeof runListItem>[1];
      try {
        read = { records: o.store.read(summary.runId).records };
      } catch (error) {
        read = { error: publicErrorMessage(error, redact) };
      }
      items.push(runListItem(summary, read));
    }
    return items;
  };

  app.get('/api/runs', async (_request, reply) => reply.send(await listRuns()));

  app.get<{ Params: { id: string } }>('/api/runs/:id', async (request, reply) => reply.send(runDetailJson(reader.read(request.params.id), now())));

  // No HEAD twin: a HEAD would hold a stream open with nothing to send.
  app.get<{ Params: { id: string }; Querystring: { after?: string } }>('/api/runs/:id/events', { exposeHeadRoute: false }, async (request, reply) => {
    const file = o.store.journalFile(request.params.id); // 404 before the stream starts
    if (streams >= MAX_EVENT_STREAMS) return reply.code(503).send({ error: `too many open event streams (${MAX_EVENT_STREAMS}); close a page and try again` });
    const lastEventId = Number(request.headers['last-event-id'] ?? request.query.after ?? 0);
    streams++;
    reply.hijack();
    try {
      await streamRunEvents(request.raw, reply.raw, file, {
        afterSeq: Number.isSafeInteger(lastEventId) && lastEventId > 0 ? lastEventId : 0,
        heartbeatMs: o.heartbeatMs ?? 15_000,
        pollMs: o.pollMs ?? 500,
        headers: reply.getHeaders() as OutgoingHttpHeaders,
      });
    } finally {
      streams--;
    }
  });

  app.post<{ Params: { id: string } }>('/api/runs/:id/decisions', async (request, reply) => {
    if (!sameOrigin(request.headers.origin, request.headers.host)) return reply.code(403).send({ error: `decisions are taken from this server's own page, not from ${request.headers.origin}` });
    if (!request.headers['content-type']?.toLowerCase().startsWith('application/json')) return reply.code(415).send({ error: 'send the decision as application/json' });
    const runId = request.params.id;
    const read = readDecision(runId, request.body);
    if (!read.ok) return reply.code(read.reply.status).send(read.reply.body);
    const decision = read.request;
    const run = reader.read(runId);
    if (!run.exec) return reply.code(409).send({ error: run.planUnavailable ?? `run ${runId} cannot take decisions` });
    // Refusals are counted per claimed principal and run, not per address (one address is every
    // approver behind loopback or a proxy); names without a key share one count.
    const who = run.keys.has(decision.by) ? decision.by : KEYLESS;
    const what = { type: decision.type, stepId: decision.stepId, by: decision.by };
    if (!guard.admit(runId, who, what, now())) {
      return reply.code(429).header('retry-after', '1').send({
        error: `too many refused decisions in the name of ${decision.by} on run ${runId} in the last minute (someone may be sending forged ones); this one was not checked`,
        hint: `try again in a moment, or decide at a terminal: drplan ${decision.type} ${runId} ${decision.stepId}`,
      });
    }
    const verdict = judgeDecision(run, decision, now());
    if (!verdict.ok) {
      // A bad signature and a signed statement fold apart (a replay is the same statement). A run
      // that has ended records nothing more: no need to check anything for it.
      const key = run.history.ended ? undefined : run.keys.get(decision.by);
      const kind = key && verifyDecision(decision.signed, key) ? { verified: true as const, signature: decision.signed.signature } : { verified: false as const };
      if (guard.refused(runId, who, kind, what, verdict.refusal, now()) === 'fold') {
        return reply.code(403).send({ error: redact(verdict.refusal), hint: 'refused like others in this name on this run just before it: the journal counts them in one record instead of one record each' });
      }
    } else await flush({ runId }); // the run moves on: what was counted so far goes in first
    const answer = await applyDecision(decisionStore, o.io.cwd, runId, decision, redact);
    if (verdict.ok && answer.status === 403) guard.counted(runId, who, now());
    return reply.code(answer.status).send(answer.body);
  });

  app.get('/', async (_request, reply) => html(reply, renderRunsPage(await listRuns())));
  app.get<{ Params: { id: string } }>('/runs/:id', async (request, reply) => html(reply, renderRunPage(runDetailJson(reader.read(request.params.id), now()))));
  app.get('/assets/page.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(PAGE_JS));
  app.get('/assets/page.css', async (_request, reply) => reply.type('text/css; charset=utf-8').send(PAGE_CSS));
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).send());

  return app;
}

function html(reply: FastifyReply, body: string): FastifyReply {
  return reply.type('text/html; charset=utf-8').send(body);
}

function securityHeaders(reply: FastifyReply, tls: boolean): void {
  reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
  reply.header('x-frame-options', 'DENY');
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cross-origin-resource-policy', 'same-origin');
  reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  reply.header('cache-control', 'no-store');
  if (tls) reply.header('strict-transport-security', 'max-age=31536000');
}

export type { FastifyInstance, FastifyRequest };
