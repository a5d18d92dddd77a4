import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { haproxyAdapter } from '../../../../adapters/haproxy/index.js';
import { HAPROXY_OPERATIONS, haproxyConfigSchema } from '../../../../adapters/haproxy/declaration.js';
import { parseServersState } from '../../../../adapters/haproxy/servers-state.js';
import { OperationError, type AdapterInstance } from '../../../../adapters/types.js';
import { makeContext } from '../postgres/context.js';

// The haproxy adapter against a stand-in for HAProxy's runtime API: a Unix socket that answers
// one command per connection, as HAProxy does, and keeps the servers' states as HAProxy 2.6
// prints them (`show servers state`).

const HEADER =
  '1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n';

/** op/admin of each server, by name; a config `disabled` server starts as op 0, admin 5 (FMAINT|CMAINT). */
let servers: Map<string, { addr: string; op: number; admin: number }>;
let commands: string[];
let server: Server;
let dir: string;
let lb: AdapterInstance;

function show(): string {
  let i = 0;
  return HEADER + [...servers].map(([name, s]) => `3 pg ${++i} ${name} ${s.addr} ${s.op} ${s.admin} 1 1 15 1 0 2 0 0 0 0 - 5432 - 0 0 - - 0`).join('\n') + '\n';
}

function answer(command: string): string {
  commands.push(command);
  let m = /^show servers state (\S+)$/.exec(command);
  if (m) return m[1] === 'pg' ? show() : "Can't find backend.\n";
  m = /^set server pg\/(\S+) state (ready|drain|maint)$/.exec(command);
  if (m) {
    const s = servers.get(m[1]!);
    if (!s) return 'No such server.\n';
    if (m[2] === 'ready') Object.assign(s, { op: 2, admin: s.admin & ~0x09 });
    if (m[2] === 'maint') Object.assign(s, { op: 0, admin: (s.admin | 0x01) & ~0x08 });
    if (m[2] === 'drain') Object.assign(s, { op: 2, admin: (s.admin | 0x08) & ~0x01 });
    return '';
  }
  m = /^shutdown sessions server pg\/(\S+)$/.exec(command);
  if (m) return servers.has(m[1]!) ? '' : 'No such server.\n';
  return 'Unknown command.\n';
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'drplan-haproxy-'));
  server = createServer((socket) => {
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      if (!buffer.includes('\n')) return;
      socket.end(answer(buffer.trim()));
    });
  });
  await new Promise<void>((resolve) => server.listen(path.join(dir, 'admin.sock'), resolve));
  lb = await haproxyAdapter.open({ socket: 'admin.sock' }, { instance: 'lb', planDir: dir, clock: makeContext().clock, random: Math.random, logger: makeContext().logger, env: {} });
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  servers = new Map([
    ['site-a', { addr: '127.0.10.1', op: 2, admin: 0 }],
    ['site-b', { addr: '127.0.20.1', op: 0, admin: 5 }],
  ]);
  commands = [];
});

describe('haproxy adapter', () => {
  it('switchTo takes the old server out (and ends its sessions) before the new one takes traffic', async () => {
    const out = await lb.call('switchTo', { backend: 'pg', server: 'site-b' }, makeContext());
    expect(out).toMatchObject({ backend: 'pg', active: 'site-b', previous: ['site-a'], changed: true });
    expect(commands).toEqual([
      'show servers state pg',
      'set server pg/site-a state maint',
      'shutdown sessions server pg/site-a',
      'set server pg/site-b state ready',
      'show servers state pg',
    ]);
    // Idempotent: again, nothing changes.
    expect(await lb.call('switchTo', { backend: 'pg', server: 'site-b' }, makeContext())).toMatchObject({ active: 'site-b', previous: ['site-b'], changed: false });
  });

  it('switchTo with others: drain and no session shutdown', async () => {
    await lb.call('switchTo', { backend: 'pg', server: 'site-b', others: 'drain', shutdownSessions: false }, makeContext());
    expect(commands.filter((c) => c.startsWith('set') || c.startsWith('shutdown'))).toEqual(['set server pg/site-a state drain', 'set server pg/site-b state ready']);
  });

  it('activeServer reports who serves, and fails when it is not the expected one', async () => {
    const out = await lb.call('activeServer', { backend: 'pg' }, makeContext());
    expect(out).toMatchObject({ active: 'site-a', serving: ['site-a'] });
    expect((out.servers as { name: string; admin: string[] }[])[1]).toMatchObject({ name: 'site-b', serving: false, admin: ['maint (forced)', 'disabled in config'] });
    await expect(lb.call('activeServer', { backend: 'pg', expect: 'site-b' }, makeContext())).rejects.toThrow(/served by site-a, not by site-b alone/);
  });

  it('names what is wrong: an unknown backend or server, an unreachable socket', async () => {
    await expect(lb.call('switchTo', { backend: 'nope', server: 'x' }, makeContext())).rejects.toThrow(/show servers state nope: Can't find backend/);
    await expect(lb.call('switchTo', { backend: 'pg', server: 'site-c' }, makeContext())).rejects.toThrow(/no server "site-c"; it has: site-a, site-b/);
    await expect(lb.call('setServerState', { backend: 'pg', server: 'site-c', state: 'ready' }, makeContext())).rejects.toBeInstanceOf(OperationError);
    const gone = await haproxyAdapter.open({ socket: path.join(dir, 'missing.sock') }, { instance: 'lb', planDir: dir, clock: makeContext().clock, random: Math.random, logger: makeContext().logger, env: {} });
    await expect(gone.call('activeServer', { backend: 'pg' }, makeContext())).rejects.toThrow(/cannot reach the runtime API at .*missing.sock: ENOENT/);
  });

  it('never sends a second command hidden in a parameter', async () => {
    await expect(lb.call('shutdownSessions', { backend: 'pg', server: 'site-a; disable frontend pg' }, makeContext())).rejects.toThrow(/refusing a runtime API command/);
    await expect(lb.call('shutdownSessions', { backend: 'pg', server: 'site-a\ndisable frontend pg' }, makeContext())).rejects.toThrow(/refusing a runtime API command/);
    expect(commands).toEqual([]);
    // And the plan never gets that far: the `with` schema refuses such names.
    const validate = new Ajv2020({ strict: false }).compile(HAPROXY_OPERATIONS.switchTo!.with);
    expect(validate({ backend: 'pg', server: 'site-b; disable frontend pg' })).toBe(false);
    expect(validate({ backend: 'pg', server: 'site-b' })).toBe(true);
  });

  it('config: a socket or an address, not both', () => {
    const validate = new Ajv2020({ strict: false }).compile(haproxyConfigSchema);
    expect(validate({ socket: '/run/haproxy/admin.sock' })).toBe(true);
    expect(validate({ address: '127.0.0.1:9999', timeout: '1s' })).toBe(true);
    expect(validate({})).toBe(false);
    expect(validate({ socket: '/x', address: 'h:1' })).toBe(false);
  });
});

describe('show servers state', () => {
  it('reads HAProxy 2.6 output: disabled in config, ready, maint, drain', () => {
    const text =
      HEADER +
      '3 pg 1 a 127.0.10.1 2 0 1 1 15 1 0 2 0 0 0 0 - 5432 - 0 0 - - 0\n' +
      '3 pg 2 b 127.0.20.1 0 5 1 1 15 1 0 0 8 0 0 0 - 5432 - 0 0 - - 0\n' +
      '3 pg 3 c 127.0.30.1 2 4 1 1 0 1 0 0 8 0 0 0 - 5432 - 0 0 - - 0\n' +
      '3 pg 4 d 127.0.40.1 2 8 1 1 0 1 0 0 8 0 0 0 - 5433 - 0 0 - - 0\n';
    const parsed = parseServersState(text);
    expect(parsed.map((s) => [s.name, s.serving, s.operational, s.port])).toEqual([
      ['a', true, 'running', 5432],
      ['b', false, 'stopped', 5432],
      ['c', true, 'running', 5432], // made ready after `disabled`: the config flag stays, it serves
      ['d', false, 'running', 5433], // draining
    ]);
    expect(() => parseServersState("Can't find backend.\n")).toThrow(/Can't find backend/);
  });
});
