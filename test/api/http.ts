// The harness's server listening on a real socket, and a raw HTTP client that sends exactly the headers given —
// Origin, Sec-Fetch-Site, Cookie, Host — as a browser (or an attacker's page in one) would.
import { request as httpRequest } from 'node:http';
import { type Harness, type HarnessOptions, startHarness } from './harness.ts';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever fields the reply has
  json(): any;
}

export interface Listening extends Harness {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  send(
    method: string,
    path: string,
    options?: { headers?: Record<string, string>; body?: string | Buffer },
  ): Promise<Reply>;
}

export async function listen(extra: HarnessOptions = {}): Promise<Listening> {
  const h = await startHarness(extra);
  const url = await h.app.listen({ host: '127.0.0.1', port: 0 });
  const send: Listening['send'] = (method, path, options = {}) =>
    new Promise((resolve, reject) => {
      const req = httpRequest(`${url}${path}`, { method, headers: options.headers ?? {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(options.body);
    });
  return Object.assign(h, { url, send });
}

/** The session cookie from a sign-in reply, as the browser would send it back. */
export function sessionCookie(reply: Reply): string {
  const set = ([] as string[]).concat(reply.headers['set-cookie'] ?? []);
  const cookie = set.find((c) => c.startsWith('yunfu_session='));
  if (!cookie) throw new Error(`no session cookie in ${reply.status} ${reply.text}`);
  return cookie.split(';')[0] as string;
}
