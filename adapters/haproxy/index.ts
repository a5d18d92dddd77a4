import path from 'node:path';
import { parseDuration } from '../../engine/model/duration.js';
import { OperationError, type Adapter, type AdapterEnvironment, type AdapterInstance, type JsonObject, type OperationContext } from '../types.js';
import { HAPROXY_DEFAULTS, HAPROXY_OPERATIONS, haproxyDeclaration, type HaproxyConfig } from './declaration.js';
import { runtimeCommand, type RuntimeApiTarget } from './runtime-api.js';
import { parseServersState, type ServerState } from './servers-state.js';

/**
 * `type: haproxy`: moves a backend's traffic between servers through HAProxy's runtime API
 * (`set server <b>/<s> state maint|drain|ready`, `shutdown sessions server <b>/<s>`) and reads
 * which server serves (`show servers state <b>`). Every operation is idempotent: it sets a
 * state, it does not toggle one.
 *
 * @example
 * ```ts
 * const lb = await haproxyAdapter.open({ socket: '/tmp/drplan-lab/haproxy/admin.sock' }, env);
 * await lb.call('switchTo', { backend: 'pg', server: 'site-b' }, ctx);
 * // { backend: 'pg', active: 'site-b', previous: ['site-a'], changed: true, switchMs: 3 }
 * ```
 */
export const haproxyAdapter: Adapter<HaproxyConfig> = {
  ...haproxyDeclaration,
  open: openHaproxy,
};

interface Api {
  /** Sends one command; an answer other than empty (or the expected text) is HAProxy refusing it. */
  send(command: string, ctx: OperationContext): Promise<string>;
  servers(backend: string, ctx: OperationContext): Promise<ServerState[]>;
}

function openHaproxy(config: HaproxyConfig, environment: AdapterEnvironment): AdapterInstance {
  const target = resolveTarget(config, environment.planDir);
  const timeoutMs = parseDuration(config.timeout ?? HAPROXY_DEFAULTS.timeout) ?? 2000;
  const api: Api = {
    send: (command, ctx) => runtimeCommand(target, command, timeoutMs, ctx.signal),
    async servers(backend, ctx) {
      const text = await runtimeCommand(target, `show servers state ${backend}`, timeoutMs, ctx.signal);
      try {
        return parseServersState(text);
      } catch (error) {
        throw new OperationError(`haproxy: show servers state ${backend}: ${(error as Error).message}`, { retryable: false });
      }
    },
  };
  return {
    async call(operation, input, ctx) {
      switch (operation) {
        case 'switchTo':
          return switchTo(api, input, ctx);
        case 'activeServer':
          return activeServer(api, input, ctx);
        case 'setServerState':
          return setServerState(api, input, ctx);
        case 'shutdownSessions':
          await command(api, `shutdown sessions server ${str(input.backend)}/${str(input.server)}`, ctx);
          return { backend: str(input.backend), server: str(input.server) };
        default:
          throw new OperationError(`haproxy has no operation "${operation}"; it provides: ${Object.keys(HAPROXY_OPERATIONS).join(', ')}`, { retryable: false });
      }
    },
  };
}

function resolveTarget(config: HaproxyConfig, planDir: string): RuntimeApiTarget {
  if (config.socket !== undefined) return { socket: path.resolve(planDir, config.socket) };
  const m = /^(.+):(\d+)$/.exec(config.address ?? '');
  if (!m) throw new Error('haproxy: config needs `socket` (a path) or `address` (host:port)');
  return { host: m[1]!, port: Number(m[2]) };
}

function str(value: unknown): string {
  return String(value);
}

/** Runs a command that answers nothing when it succeeds. */
async function command(api: Api, text: string, ctx: OperationContext): Promise<void> {
  const answer = (await api.send(text, ctx)).trim();
  if (answer !== '') throw new OperationError(`haproxy refused "${text}": ${answer}`, { retryable: false });
}

async function serversOf(api: Api, backend: string, server: string | undefined, ctx: OperationContext): Promise<ServerState[]> {
  const servers = await api.servers(backend, ctx);
  if (server !== undefined && !servers.some((s) => s.name === server)) {
    throw new OperationError(`haproxy: backend ${backend} has no server "${server}"; it has: ${servers.map((s) => s.name).join(', ')}`, { retryable: false });
  }
  return servers;
}

async function switchTo(api: Api, input: JsonObject, ctx: OperationContext): Promise<JsonObject> {
  const backend = str(input.backend);
  const server = str(input.server);
  const others = input.others === 'drain' ? 'drain' : 'maint';
  const shutdown = input.shutdownSessions !== false;
  const started = ctx.clock.now();
  const before = await serversOf(api, backend, server, ctx);
  const previous = before.filter((s) => s.serving).map((s) => s.name);
  // The old servers stop taking traffic before the new one starts: for a database, a moment with
  // no server is better than a moment with two.
  for (const s of before) {
    if (s.name === server) continue;
    await command(api, `set server ${backend}/${s.name} state ${others}`, ctx);
    if (shutdown) await command(api, `shutdown sessions server ${backend}/${s.name}`, ctx);
  }
  await command(api, `set server ${backend}/${server} state ready`, ctx);
  const after = await api.servers(backend, ctx);
  const serving = after.filter((s) => s.serving).map((s) => s.name);
  if (!serving.includes(server) || (others === 'maint' && serving.length !== 1)) {
    throw new OperationError(`haproxy: after switching ${backend} to ${server}, serving: ${serving.join(', ') || 'none'}`, { retryable: true });
  }
  const changed = !(previous.length === 1 && previous[0] === server);
  ctx.logger.info({ backend, server, previous, changed }, 'traffic switched');
  return { backend, active: server, previous, changed, switchMs: ctx.clock.now() - started };
}

async function activeServer(api: Api, input: JsonObject, ctx: OperationContext): Promise<JsonObject> {
  const backend = str(input.backend);
  const expect = typeof input.expect === 'string' ? input.expect : undefined;
  const servers = await serversOf(api, backend, expect, ctx);
  const serving = servers.filter((s) => s.serving).map((s) => s.name);
  if (expect !== undefined && !(serving.length === 1 && serving[0] === expect)) {
    throw new OperationError(`haproxy: backend ${backend} is served by ${serving.join(', ') || 'no server'}, not by ${expect} alone`, { retryable: true });
  }
  return {
    backend,
    active: serving.length === 1 ? serving[0]! : null,
    serving,
    servers: servers.map((s) => ({ name: s.name, address: s.address, port: s.port, serving: s.serving, operational: s.operational, admin: s.admin })),
  };
}

async function setServerState(api: Api, input: JsonObject, ctx: OperationContext): Promise<JsonObject> {
  const backend = str(input.backend);
  const server = str(input.server);
  const state = str(input.state);
  await serversOf(api, backend, server, ctx);
  await command(api, `set server ${backend}/${server} state ${state}`, ctx);
  return { backend, server, state };
}

export { haproxyDeclaration, type HaproxyConfig } from './declaration.js';
