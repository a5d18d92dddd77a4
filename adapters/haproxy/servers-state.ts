/**
 * Parsing `show servers state <backend>` (format version 1): one line per server with its
 * operational state (0 stopped, 1 starting, 2 running, 3 stopping) and its administrative flags.
 * A server serves new sessions when it is running and neither in maintenance nor draining.
 */

export interface ServerState {
  backend: string;
  name: string;
  address: string;
  port: number;
  operational: 'stopped' | 'starting' | 'running' | 'stopping' | 'unknown';
  /** Administrative flags set on it. */
  admin: string[];
  serving: boolean;
}

const OPERATIONAL = ['stopped', 'starting', 'running', 'stopping'] as const;
// HAProxy's SRV_ADMF_* flags (include/haproxy/server-t.h).
const ADMIN_FLAGS: [number, string][] = [
  [0x01, 'maint (forced)'],
  [0x02, 'maint (inherited)'],
  [0x04, 'disabled in config'],
  [0x08, 'drain (forced)'],
  [0x10, 'drain (inherited)'],
  [0x20, 'maint (resolution)'],
  [0x40, 'fqdn set'],
];
const MAINT = 0x01 | 0x02 | 0x20;
const DRAIN = 0x08 | 0x10;

/** Parses the servers of `show servers state`; throws with HAProxy's own words when it refused. */
export function parseServersState(text: string): ServerState[] {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  if (lines[0] !== '1') throw new Error(lines.join(' ') || 'empty answer');
  const header = lines.find((l) => l.startsWith('#'))?.slice(1).trim().split(/\s+/) ?? [];
  const col = (name: string) => header.indexOf(name);
  const servers: ServerState[] = [];
  for (const line of lines.slice(1)) {
    if (line.startsWith('#')) continue;
    const f = line.split(/\s+/);
    const get = (name: string) => f[col(name)] ?? '';
    const op = Number(get('srv_op_state'));
    const admin = Number(get('srv_admin_state'));
    const operational = OPERATIONAL[op] ?? 'unknown';
    servers.push({
      backend: get('be_name'),
      name: get('srv_name'),
      address: get('srv_addr'),
      port: Number(get('srv_port')),
      operational,
      admin: ADMIN_FLAGS.filter(([bit]) => (admin & bit) !== 0).map(([, label]) => label),
      serving: operational === 'running' && (admin & (MAINT | DRAIN)) === 0,
    });
  }
  return servers;
}
