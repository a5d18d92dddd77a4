import type { AdapterDeclaration, JsonSchema, OperationDeclaration } from '../types.js';

/**
 * The haproxy traffic adapter's declaration: operations on HAProxy's runtime API (the `stats
 * socket ... level admin` of its configuration) that move a backend's traffic from one server
 * to another and say which server is serving. Pure.
 */

/** An instance's `config` (`type: haproxy`), already schema-valid. */
export interface HaproxyConfig {
  /** Path of the runtime API's Unix socket (`stats socket <path> level admin`). */
  socket?: string;
  /** Or `host:port` of a runtime API bound to TCP. */
  address?: string;
  /** Longest one runtime API command may take. Default 2s. */
  timeout?: string;
}

export const HAPROXY_DEFAULTS = { timeout: '2s' } as const;

const durationSchema = { type: 'string', pattern: '^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$' };
const name = { type: 'string', minLength: 1, pattern: '^[^\\s/;]+$' };

export const haproxyConfigSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  oneOf: [{ required: ['socket'] }, { required: ['address'] }],
  properties: {
    socket: { type: 'string', minLength: 1, description: "Path of HAProxy's runtime API Unix socket (`stats socket <path> mode 600 level admin`); relative to the plan's directory." },
    address: { type: 'string', pattern: '^[^\\s:]+:\\d+$', description: 'host:port of a runtime API bound to TCP (`stats socket ipv4@127.0.0.1:9999 level admin`).' },
    timeout: { ...durationSchema, description: 'Longest one runtime API command may take. Default 2s.' },
  },
};

const serverState = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    address: { type: 'string' },
    port: { type: 'number' },
    serving: { type: 'boolean' },
    operational: { type: 'string' },
    admin: { type: 'array', items: { type: 'string' } },
  },
};

export const HAPROXY_OPERATIONS: Record<string, OperationDeclaration> = {
  switchTo: {
    description:
      "Moves a backend's traffic to one server: every other server goes to maintenance (or drain) and, unless told otherwise, its sessions are shut down; then the chosen server is made ready. Idempotent.",
    with: {
      type: 'object',
      additionalProperties: false,
      required: ['backend', 'server'],
      properties: {
        backend: { ...name, description: 'The backend (`backend <name>` in haproxy.cfg).' },
        server: { ...name, description: 'The server that takes the traffic.' },
        others: { enum: ['maint', 'drain'], description: 'What happens to the other servers: maint (default, no traffic) or drain (no new sessions).' },
        shutdownSessions: { type: 'boolean', description: "End the other servers' established sessions so clients reconnect to the new one. Default true." },
      },
    },
    output: {
      type: 'object',
      properties: { backend: { type: 'string' }, active: { type: 'string' }, previous: { type: 'array' }, changed: { type: 'boolean' }, switchMs: { type: 'number' } },
    },
    idempotent: true,
    estimateMs: 100,
  },
  activeServer: {
    description: 'Which servers of a backend serve traffic now; with `expect`, fails unless exactly that server does.',
    with: {
      type: 'object',
      additionalProperties: false,
      required: ['backend'],
      properties: {
        backend: name,
        expect: { ...name, description: 'Fail unless this server, and only it, is serving.' },
      },
    },
    output: { type: 'object', properties: { backend: { type: 'string' }, active: { type: ['string', 'null'] }, serving: { type: 'array' }, servers: { type: 'array', items: serverState } } },
    idempotent: true,
    estimateMs: 50,
  },
  setServerState: {
    description: "Sets one server's administrative state: ready, drain or maint.",
    with: {
      type: 'object',
      additionalProperties: false,
      required: ['backend', 'server', 'state'],
      properties: { backend: name, server: name, state: { enum: ['ready', 'drain', 'maint'] } },
    },
    output: { type: 'object', properties: { backend: { type: 'string' }, server: { type: 'string' }, state: { type: 'string' } } },
    idempotent: true,
    estimateMs: 50,
  },
  shutdownSessions: {
    description: "Ends every established session of one server (clients reconnect through HAProxy).",
    with: { type: 'object', additionalProperties: false, required: ['backend', 'server'], properties: { backend: name, server: name } },
    output: { type: 'object', properties: { backend: { type: 'string' }, server: { type: 'string' } } },
    idempotent: true,
    estimateMs: 50,
  },
};

/**
 * Declaration of `type: haproxy`.
 *
 * @example
 * ```yaml
 * adapters:
 *   lb: { type: haproxy, config: { socket: /run/haproxy/admin.sock } }
 * groups:
 *   - id: database
 *     post:
 *       - id: traffic
 *         action: lb.switchTo
 *         with: { backend: pg, server: site-b }
 * ```
 */
export const haproxyDeclaration: AdapterDeclaration<HaproxyConfig> = {
  type: 'haproxy',
  description: "Moves traffic between a backend's servers through HAProxy's runtime API.",
  configSchema: haproxyConfigSchema,
  operations() {
    return { ...HAPROXY_OPERATIONS };
  },
};
