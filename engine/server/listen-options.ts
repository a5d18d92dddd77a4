import { existsSync, readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';

/** What `drplan serve` was asked to listen on, as typed. */
export interface ListenRequest {
  host: string;
  port: string;
  tlsCert?: string;
  tlsKey?: string;
  authTokenFile?: string;
}

/** A checked listening setup: files read, the token loaded. */
export interface ListenSetup {
  host: string;
  port: number;
  tls: { cert: Buffer; key: Buffer } | null;
  authToken: string | null;
  loopback: boolean;
  /** Things worth saying that do not stop the server (a token file others can read). */
  warnings: string[];
}

export type ListenCheck = { ok: true; setup: ListenSetup } | { ok: false; message: string; hint: string };

export const DEFAULT_PORT = 7420;
const MIN_TOKEN_LENGTH = 24;

/**
 * True for addresses only this machine can reach. `0.0.0.0` and `::` are the opposite: every
 * interface. `localhost` counts: Node resolves it to a loopback address.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h.startsWith('::ffff:')) return isLoopbackHost(h.slice(7));
  return false;
}

/**
 * Loopback by default. Anything else needs TLS (a certificate and its key) and a bearer token:
 * a decision page on the network without them would show run details to anyone on the path and
 * let them flood the journal with refused requests; and browsers only offer WebCrypto to pages
 * over https or on localhost, so the page could not sign anyway.
 */
export function checkListenRequest(r: ListenRequest, cwdResolve: (p: string) => string): ListenCheck {
  const fail = (message: string, hint: string): ListenCheck => ({ ok: false, message, hint });
  const port = Number(r.port);
  if (!/^\d+$/.test(r.port) || !Number.isInteger(port) || port > 65_535) return fail(`--port ${r.port}: expected a port number 0-65535`, '0 picks a free port; the first line printed names it');
  if (!r.host.trim()) return fail('--host is empty', 'leave it out to listen on 127.0.0.1');
  if (Boolean(r.tlsCert) !== Boolean(r.tlsKey)) return fail('--tls-cert and --tls-key go together', 'give both: the certificate (PEM) and its private key (PEM)');
  const loopback = isLoopbackHost(r.host);
  if (!loopback && (!r.tlsCert || !r.authTokenFile)) {
    const missing = [!r.tlsCert ? '--tls-cert/--tls-key' : null, !r.authTokenFile ? '--auth-token-file' : null].filter(Boolean).join(' and ');
    return fail(
      `refusing to listen on ${r.host}, which is not a loopback address, without ${missing}`,
      'approvals are served on 127.0.0.1 by default (use an SSH tunnel: ssh -L 7420:127.0.0.1:7420 host); to serve a network, give --tls-cert FILE --tls-key FILE --auth-token-file FILE',
    );
  }
  const warnings: string[] = [];
  let tls: ListenSetup['tls'] = null;
  if (r.tlsCert && r.tlsKey) {
    const cert = readOrNull(cwdResolve(r.tlsCert));
    const key = readOrNull(cwdResolve(r.tlsKey));
    if (!cert) return fail(`--tls-cert ${r.tlsCert}: cannot read the file`, 'a PEM certificate (chain) for the name approvers will open');
    if (!key) return fail(`--tls-key ${r.tlsKey}: cannot read the file`, 'the PEM private key of that certificate');
    if (!cert.toString('utf8').includes('-----BEGIN CERTIFICATE-----')) return fail(`--tls-cert ${r.tlsCert}: not a PEM certificate`, 'expected a file starting with -----BEGIN CERTIFICATE-----');
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key.toString('utf8'))) return fail(`--tls-key ${r.tlsKey}: not a PEM private key`, 'expected a file starting with -----BEGIN PRIVATE KEY-----');
    tls = { cert, key };
  }
  let authToken: string | null = null;
  if (r.authTokenFile) {
    const file = cwdResolve(r.authTokenFile);
    const bytes = readOrNull(file);
    if (!bytes) return fail(`--auth-token-file ${r.authTokenFile}: cannot read the file`, 'put a long random token in it, for example: openssl rand -hex 32 > token');
    authToken = bytes.toString('utf8').trim();
    if (authToken.length < MIN_TOKEN_LENGTH || /\s/.test(authToken)) {
      return fail(`--auth-token-file ${r.authTokenFile}: the token must be one word of at least ${MIN_TOKEN_LENGTH} characters`, 'for example: openssl rand -hex 32 > token');
    }
    if ((statSync(file).mode & 0o077) !== 0) warnings.push(`${r.authTokenFile} can be read by other users of this machine (chmod 600 it)`);
  }
  return { ok: true, setup: { host: r.host, port, tls, authToken, loopback, warnings } };
}

function readOrNull(file: string): Buffer | null {
  try {
    return existsSync(file) ? readFileSync(file) : null;
  } catch {
    return null;
  }
}
