// A real HTTP server with the /v2 plugin on a fresh engine, for the rest-*.test.ts files, and a raw HTTP client
// that can send what a browser (or an attacker) would: any Host, Origin and Sec-Fetch-* header.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { Engine } from '../../src/engine/engine.ts';
import { type CamundaRestOptions, camundaRestApi } from '../../src/engine/rest/plugin.ts';

export interface RestServer {
  engine: Engine;
  /** http://127.0.0.1:port */
  address: string;
  port: number;
  close(): Promise<void>;
}

/** An engine already open (its own file, clock and options), served on /v2 of a fresh server; close() closes both. */
export async function serveEngine(
  engine: Engine,
  options: Partial<Omit<CamundaRestOptions, 'engine'>> = {},
  listenHost = '127.0.0.1',
): Promise<RestServer & { app: FastifyInstance }> {
  const app = Fastify({ logger: false });
  await app.register(camundaRestApi, {
    prefix: '/v2',
    engine,
    auth: { mode: 'none' },
    listenHost,
    ...options,
  });
  await app.listen({ host: listenHost, port: 0 });
  const a = app.server.address();
  const port = typeof a === 'object' && a ? a.port : 0;
  return {
    app,
    engine,
    address: `http://127.0.0.1:${port}`,
    port,
    async close() {
      await app.close();
      engine.close();
    },
  };
}

export async function startRest(
  options: Partial<Omit<CamundaRestOptions, 'engine'>> = {},
  listenHost = '127.0.0.1',
): Promise<RestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'yunfu-rest-'));
  const engine = await Engine.open({ file: join(dir, 'engine.sqlite'), logger: pino({ level: 'silent' }) });
  const served = await serveEngine(engine, options, listenHost);
  return {
    ...served,
    async close() {
      await served.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): Record<string, unknown>;
}

/** One HTTP request with exactly the given headers (node:http lets Host, Origin and Sec-Fetch-* through). */
export function raw(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: Buffer | string,
  host = '127.0.0.1',
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          json: () => JSON.parse(text) as Record<string, unknown>,
        });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** A multipart/form-data body as browsers and form-data libraries write it. */
export function multipartBody(
  files: Array<{ field?: string; name: string; content: Buffer | string; type?: string }>,
): { body: Buffer; contentType: string } {
  const boundary = `----yunfu${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'resources'}"; filename="${f.name}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A one-user-task process whose task has the given candidate groups. */
export function userTaskProcess(id: string, groups: string, users = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs-${id}" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="${id}" name="${id}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task" />
    <bpmn:userTask id="task" name="Task of ${id}">
      <bpmn:extensionElements>
        <zeebe:userTask />
        <zeebe:assignmentDefinition${groups ? ` candidateGroups="${groups}"` : ''}${users ? ` candidateUsers="${users}"` : ''} />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="done" />
    <bpmn:endEvent id="done" />
  </bpmn:process>
</bpmn:definitions>`;
}
