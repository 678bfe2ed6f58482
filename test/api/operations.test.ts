// Operations: /health and /ready, the OpenAPI document at /docs generated from the route schemas, problem details
// for unknown routes, bodies that are too large, not JSON, or of another type.

import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CamundaProcessGateway } from '../../src/app/camunda-gateway.ts';
import { type Harness, problemOf, startHarness } from './harness.ts';

describe('operations', () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await startHarness();
    token = await h.login('bureau.admin');
  });
  afterAll(async () => {
    await h.close();
  });

  it('/health is live and /ready checks the store', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'UP' });
    expect((await h.app.inject({ method: 'GET', url: '/ready' })).json()).toEqual({
      status: 'UP',
      store: 'UP',
    });
  });

  it('/ready answers 503 when the store is gone', async () => {
    const other = await startHarness();
    await other.store.close();
    const res = await other.app.inject({ method: 'GET', url: '/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'DOWN', store: 'DOWN' });
    await other.app.close();
  });

  it('/ready answers 503 naming the engine when the engine behind the business API does not answer', async () => {
    // the real gateway and client, pointed at a port where nothing listens
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const processes = CamundaProcessGateway.fromConfig({
      restAddress: `http://127.0.0.1:${closed}`,
      auth: { strategy: 'NONE' },
      tenantId: null,
    });
    const other = await startHarness({ processes });
    const res = await other.app.inject({ method: 'GET', url: '/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'DOWN', store: 'UP', engine: 'DOWN' });
    await other.close();
  });

  it('serves the OpenAPI document with a schema for every /api route, and the UI at /docs', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    const paths = Object.keys(doc.paths);
    for (const p of [
      '/api/session',
      '/api/me',
      '/api/projects',
      '/api/projects/{projectId}',
      '/api/projects/{projectId}/documents',
      '/api/documents/{documentId}',
      '/api/statistics',
      '/api/annual-plans',
      '/api/notifications',
      '/api/audit-log',
      '/api/projects/{projectId}/audit-export',
    ]) {
      expect(paths).toContain(p);
    }
    for (const [path, ops] of Object.entries(
      doc.paths as Record<string, Record<string, { responses?: object }>>,
    )) {
      if (!path.startsWith('/api/')) continue;
      for (const [method, op] of Object.entries(ops)) {
        const codes = Object.keys(op.responses ?? {});
        expect(
          codes.some((c) => c.startsWith('2')),
          `${method} ${path} documents its success`,
        ).toBe(true);
        expect(codes, `${method} ${path} documents its problems`).toContain('4XX');
      }
    }
    const create = doc.paths['/api/projects'].post;
    expect(create.requestBody.content['application/json'].schema.required).toContain('serviceLines');
    const ui = await h.app.inject({ method: 'GET', url: '/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/nothing-here', headers: h.as(token) });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(problemOf(res)).toMatchObject({
      status: 404,
      instance: '/api/nothing-here',
      requestId: res.headers['x-request-id'],
    });
  });

  it('refuses a body that is not JSON (400), too large (413) or of another type (415)', async () => {
    const broken = await h.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: { ...h.as(token), 'content-type': 'application/json' },
      payload: '{"projectName":',
    });
    expect(broken.statusCode).toBe(400);
    expect(problemOf(broken).errors?.[0]?.field).toBe('body');
    const huge = await h.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: { ...h.as(token), 'content-type': 'application/json' },
      payload: JSON.stringify({ projectName: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(huge.statusCode).toBe(413);
    const xml = await h.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: { ...h.as(token), 'content-type': 'application/xml' },
      payload: '<project/>',
    });
    expect(xml.statusCode).toBe(415);
  });
});
