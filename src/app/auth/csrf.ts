// Cross-site request forgery: a state-changing request must come from the app's own origin. SameSite=Strict is not
// enough on its own: "site" ignores the port and the sub-domain, so a page on http://127.0.0.1:9999 or on a sibling
// sub-domain is same-site and its requests carry the session cookie. The Origin header names scheme, host and
// port, and a page cannot forge it; browsers send it on every POST, PUT, PATCH and DELETE (fetch and forms alike),
// and Sec-Fetch-Site says the same where Origin is missing. See docs/security.md.
import type { FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from './tokens.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface OriginPolicy {
  /** The app's public origin (PUBLIC_URL); null: the origin the request was addressed to. */
  publicOrigin: string | null;
  /** Whether the app is reached over https (behind a TLS-terminating proxy: from PUBLIC_URL). */
  https: boolean;
}

/** Why a request is refused as cross-site, or null when it may go on. */
export function crossSiteIssue(request: FastifyRequest, policy: OriginPolicy): string | null {
  if (SAFE_METHODS.has(request.method)) return null;
  const origin = request.headers.origin;
  const fetchSite = request.headers['sec-fetch-site'];
  if (typeof origin === 'string') {
    const own = policy.publicOrigin ?? selfOrigin(request, policy.https);
    if (origin !== own) return `请求来源 ${origin} 不是本系统（${own ?? '未知'}）`;
  }
  if (typeof fetchSite === 'string' && fetchSite !== 'same-origin' && fetchSite !== 'none') {
    return `浏览器标明这是跨源请求（Sec-Fetch-Site: ${fetchSite}）`;
  }
  // A browser always says where a state-changing request comes from; a request that says nothing yet carries the
  // session cookie is not one our pages make. Clients without a browser sign in and send Authorization: Bearer,
  // which no other site can make a browser attach.
  if (origin === undefined && fetchSite === undefined && hasSessionCookie(request) && !hasBearer(request)) {
    return '使用会话 Cookie 的修改请求须带 Origin 头（浏览器会自动带上）；非浏览器客户端请用 Authorization: Bearer';
  }
  return null;
}

function selfOrigin(request: FastifyRequest, https: boolean): string | null {
  const host = request.headers.host;
  if (!host || !/^[A-Za-z0-9.:[\]-]+$/.test(host)) return null;
  return `${https ? 'https' : 'http'}://${host.toLowerCase()}`.replace(/:(80|443)$/, (m) =>
    (https && m === ':443') || (!https && m === ':80') ? '' : m,
  );
}

function hasSessionCookie(request: FastifyRequest): boolean {
  return (request.headers.cookie ?? '').split(';').some((c) => c.trim().startsWith(`${SESSION_COOKIE}=`));
}

function hasBearer(request: FastifyRequest): boolean {
  return /^Bearer\s/i.test(request.headers.authorization ?? '');
}
