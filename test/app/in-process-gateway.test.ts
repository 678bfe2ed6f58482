// Issue #17: with the embedded engine, the business API's official client reaches /v2 of its own server in-process
// (src/camunda/in-process-fetch.ts, fastify's inject), not over a loopback socket. A real system as `npm start` runs it;
// the same reads through a second gateway over loopback HTTP are the reference: the same answers, the same errors,
// and the /v2 guard still in front of every request.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CamundaProcessGateway } from '../../src/app/camunda-gateway.ts';
import { ProcessEngineError } from '../../src/app/process-gateway.ts';
import { createLooseCamundaClient } from '../../src/camunda/client.ts';
import { inProcessFetch } from '../../src/camunda/in-process-fetch.ts';
import { loadConfig } from '../../src/config.ts';
import { type System, startSystem } from '../../src/system.ts';
import { bpmnFile } from '../conformance/fidelity.ts';

const REVIEW = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://bpmn.io/schema/bpmn">
<bpmn:process id="inproc-review" name="审核" isExecutable="true"><bpmn:startEvent id="s"/>
<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="u"/><bpmn:userTask id="u" name="初核"><bpmn:extensionElements><zeebe:userTask/><zeebe:assignmentDefinition candidateGroups="bureau-reviewer"/></bpmn:extensionElements></bpmn:userTask>
<bpmn:sequenceFlow id="f2" sourceRef="u" targetRef="e"/><bpmn:endEvent id="e"/></bpmn:process></bpmn:definitions>`;

let dataDir: string;
let system: System;
/** HTTP requests that reached the server through its socket (fastify's inject does not pass through it). */
let socketRequests = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'yunfu-in-process-gateway-'));
  const config = { ...loadConfig({ DATA_DIR: dataDir, HOST: '127.0.0.1' }), port: 0 };
  system = await startSystem(config, {
    logger: pino({ level: 'silent' }),
    logStream: { write: () => {} },
    workers: 'none',
    deploy: false,
  });
  system.app.server.on('request', () => {
    socketRequests++;
  });
  const client = createLooseCamundaClient(system.camunda);
  await client.createDeployment({ resources: [bpmnFile('inproc-review.bpmn', REVIEW)] });
  for (let i = 0; i < 3; i++)
    await client.createProcessInstance({
      processDefinitionId: 'inproc-review',
      variables: { projectId: `YF-${i}`, tenantId: 'yunfu' },
    });
}, 60_000);

afterAll(async () => {
  await system?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the business API reaches the embedded /v2 in-process', () => {
  it('reads through the gateway without a request on the socket, with the answers loopback HTTP gives', async () => {
    const before = socketRequests;
    const inProcess = await system.gateway.searchUserTasks({ candidateGroups: ['bureau-reviewer'] });
    const keys = inProcess.items.map((t) => t.processInstanceKey);
    const variables = await system.gateway.instanceVariables(keys, ['projectId', 'tenantId']);
    expect(socketRequests).toBe(before);
    expect(inProcess.total).toBe(3);
    expect([...variables.values()].map((v) => v.projectId).sort()).toEqual(['YF-0', 'YF-1', 'YF-2']);

    // the reference: a gateway of its own over loopback HTTP, whose requests do reach the socket (so the count can fail)
    const overHttp = CamundaProcessGateway.fromConfig(system.camunda);
    const reference = await overHttp.searchUserTasks({ candidateGroups: ['bureau-reviewer'] });
    expect(socketRequests).toBeGreaterThan(before);
    expect(inProcess).toEqual(reference);
    expect(variables).toEqual(await overHttp.instanceVariables(keys, ['projectId', 'tenantId']));
  });

  it('a refusal of the engine is the same ProcessEngineError in-process as over HTTP', async () => {
    const overHttp = CamundaProcessGateway.fromConfig(system.camunda);
    const refusal = (g: CamundaProcessGateway) =>
      g.completeUserTask('2251799813685249', {}).then(
        () => null,
        (e: unknown) => e,
      );
    const [a, b] = [await refusal(system.gateway), await refusal(overHttp)];
    expect(a).toBeInstanceOf(ProcessEngineError);
    expect(a).toEqual(b);
    expect((a as ProcessEngineError).status).toBe(404);
    expect(await system.gateway.getUserTask('2251799813685249')).toBeNull();
  });

  it('the /v2 guard still decides: a request naming another Host is refused in-process as over HTTP', async () => {
    const fetchInProcess = inProcessFetch(() => system.app);
    const own = await fetchInProcess(`${system.camunda.restAddress}/v2/topology`);
    expect(own.status).toBe(200);
    expect(((await own.json()) as { brokers: unknown[] }).brokers.length).toBeGreaterThan(0);
    const rebound = await fetchInProcess('http://evil.example/v2/topology');
    // fetch cannot set a Host: the reference request is node's own
    const overHttp = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        `${system.camunda.restAddress}/v2/topology`,
        { headers: { host: 'evil.example' } },
        (res) => {
          let body = '';
          res.on('data', (c) => {
            body += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(overHttp.status).toBe(403);
    expect(rebound.status).toBe(overHttp.status);
    expect(await rebound.json()).toEqual(JSON.parse(overHttp.body));
  });
});
