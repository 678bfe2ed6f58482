// Protection of /v2 against requests a browser sends on behalf of another site, and the client address the
// loopback exemption is decided from.
//
// - Host: must name loopback (localhost, 127.0.0.0/8, ::1), the address the server listens on (unless a
//   wildcard), the IP address the request arrived at, or one of allowedHosts: a page on evil.example whose
//   name resolves to 127.0.0.1 (DNS rebinding) sends `Host: evil.example` and is refused. (Rebinding needs
//   a name: an IP-literal Host equal to the socket's own address is this server.)
// - Every request other than GET/HEAD/OPTIONS that a browser marks as coming from another site is refused:
//   `Sec-Fetch-Site: cross-site | same-site`, or an `Origin` that is neither this host nor in allowedOrigins.
//   Requests without Origin and Sec-Fetch-* (the official client, Camunda Modeler's deploy from Electron's
//   Node side, curl) pass: a browser always sends Origin on a cross-origin POST/PUT/PATCH/DELETE.
import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import { isLoopback } from './auth.ts';
import { ProblemError } from './problem.ts';

export interface RequestGuardOptions {
  /** Host names (or host:port) besides loopback and the listen address that /v2 answers to. Default none. */
  allowedHosts?: readonly string[];
  /** Origins (scheme://host[:port]) whose pages may send state-changing requests. Default none. */
  allowedOrigins?: readonly string[];
  /**
   * Reverse proxies whose X-Forwarded-For is believed: their addresses, or true for "the peer is always a
   * proxy" (then the client is the last X-Forwarded-For entry). Default none: the socket's peer is the client.
   */
  trustProxy?: boolean | readonly string[];
  /**
   * How the hosting server knows the client's address, when it already decides that itself (e.g. fastify's
   * `request.ip` under the server's own trustProxy setting, with CIDR ranges and hop counts). Overrides trustProxy.
   */
  clientAddressOf?: (request: FastifyRequest) => string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const WILDCARD = new Set(['0.0.0.0', '::', '[::]', '']);

function stripPort(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon >= 0 && host.indexOf(':') === colon ? host.slice(0, colon) : host;
}

function normalAddress(address: string): string {
  const a = address.trim().toLowerCase();
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

/** The client's address: the socket's peer, or with a trusted proxy, the forwarded client. */
export function clientAddress(
  request: FastifyRequest,
  trustProxy: RequestGuardOptions['trustProxy'],
): string {
  const peer = normalAddress(request.socket.remoteAddress ?? '');
  const trusted = (a: string) =>
    trustProxy === true || (Array.isArray(trustProxy) && trustProxy.map(normalAddress).includes(a));
  if (!trustProxy || !trusted(peer)) return peer;
  const header = request.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map(normalAddress)
    .filter((a) => a !== '');
  if (hops.length === 0) return peer;
  if (trustProxy === true) return hops[hops.length - 1]!;
  for (let i = hops.length - 1; i >= 0; i--) if (!trusted(hops[i]!)) return hops[i]!;
  return hops[0]!;
}

function forbidden(detail: string): ProblemError {
  return new ProblemError(403, 'FORBIDDEN', detail);
}

export function requestGuard(
  options: RequestGuardOptions,
  listenHost: string,
): (request: FastifyRequest) => void {
  const hosts = new Set((options.allowedHosts ?? []).map((h) => h.toLowerCase()));
  if (!WILDCARD.has(listenHost)) hosts.add(listenHost.toLowerCase());
  const origins = new Set((options.allowedOrigins ?? []).map((o) => o.toLowerCase().replace(/\/$/, '')));
  const hostAllowed = (host: string, local: string | undefined) => {
    const name = stripPort(host);
    if (isLoopback(name) || hosts.has(host) || hosts.has(name)) return true;
    const ip = name.replace(/^\[|\]$/g, '');
    return isIP(ip) !== 0 && local !== undefined && normalAddress(ip) === normalAddress(local);
  };

  return (request) => {
    const host = (request.headers.host ?? '').toLowerCase();
    if (host !== '' && !hostAllowed(host, request.socket.localAddress)) {
      throw forbidden(
        `The Host '${host}' is not one this engine answers to (loopback, the listen address, or the configured allowed hosts)`,
      );
    }
    if (SAFE_METHODS.has(request.method)) return;
    const origin = request.headers.origin?.toLowerCase();
    if (origin !== undefined && origins.has(origin)) return;
    const site = request.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site') {
      throw forbidden(`A ${request.method} from another site (Sec-Fetch-Site: ${site}) is refused`);
    }
    if (origin !== undefined && origin !== `http://${host}` && origin !== `https://${host}`) {
      throw forbidden(
        `A ${request.method} from the origin '${origin}' is refused: it is not an allowed origin`,
      );
    }
  };
}
