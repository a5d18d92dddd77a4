import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The bearer token of `--auth-token-file`, checked on every request. Browsers cannot add a
 * header to a page they open, so the token is also accepted as the password of HTTP Basic
 * authentication (any user name): the browser asks once and sends it with every request of the
 * page, its scripts and its event stream.
 */
export function tokenMatches(authorization: string | undefined, token: string): boolean {
  if (!authorization) return false;
  const [scheme, value = ''] = authorization.trim().split(/\s+/, 2);
  let given: string | null = null;
  if (scheme?.toLowerCase() === 'bearer') given = value;
  else if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    given = colon === -1 ? null : decoded.slice(colon + 1);
  }
  if (given === null) return false;
  // Compare digests: equal length always, so the comparison takes the same time whatever was sent.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

/**
 * On loopback, only loopback host names are served. A page on another site can make the browser
 * reach 127.0.0.1 under that site's own name (DNS rebinding); it then sends that name as Host,
 * and is refused here, so it cannot read runs through the victim's browser.
 */
export function loopbackHostAllowed(hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  const name = hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.replace(/:\d+$/, '');
  const h = name.toLowerCase();
  return h === 'localhost' || h === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * A state-changing request must come from this server's own page (or a client that sends no
 * Origin, like curl or the CLI). A cross-site form or script carries the other site's Origin.
 */
export function sameOrigin(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === hostHeader;
  } catch {
    return false;
  }
}
