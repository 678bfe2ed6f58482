// A `fetch` for the official client when the REST API it calls is served by this very process (the embedded
// engine's /v2 on the app's own fastify server): each request goes through the server's whole request pipeline —
// routing, hooks, the /v2 guard, schemas, the handlers — by fastify's `inject` (light-my-request), without a socket.
// The client, its requests and the answers it reads are the same as over loopback HTTP; what is saved is the
// loopback connection's work on both ends (issue 17: an inbox's three /v2 calls cost about 0.5 ms of CPU each in
// undici's connection and node's HTTP parser). The request goes in as loopback would bring it: from 127.0.0.1, with
// the Host of the address the client was configured with.
// Not for long polls (job activation): a request cannot be withdrawn from `inject` when the client aborts it, so the
// server would hold the waiter and could activate jobs for nobody. The job workers keep their HTTP connection.

/** The part of a fastify instance this needs (its `inject`). */
export interface InjectTarget {
  inject(request: {
    method: string;
    url: string;
    headers: Record<string, string>;
    payload?: Buffer;
    remoteAddress: string;
  }): PromiseLike<{
    statusCode: number;
    headers: Record<string, string | string[] | number | undefined>;
    rawPayload: Buffer;
  }>;
}

const NO_BODY = new Set([101, 204, 205, 304]);

/** `target` is asked at each request (the server may be built after the client). */
export function inProcessFetch(target: () => InjectTarget): typeof fetch {
  return async (input, init) => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    if (request.signal.aborted) throw request.signal.reason;
    const url = new URL(request.url);
    const headers: Record<string, string> = { host: url.host };
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const payload = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    // inject runs the request on process.nextTick and promises, which never give way to I/O: without this turn of
    // the event loop, a page's calls would run back to back and hold other requests (/health) behind all of them,
    // where a socket round trip lets them in between each call
    await new Promise((resolve) => setImmediate(resolve));
    const answer = await target().inject({
      method: request.method,
      url: url.pathname + url.search,
      headers,
      ...(payload ? { payload } : {}),
      remoteAddress: '127.0.0.1',
    });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(name, String(v));
    }
    return new Response(NO_BODY.has(answer.statusCode) ? null : answer.rawPayload, {
      status: answer.statusCode,
      headers: responseHeaders,
    });
  };
}
