// The gateway in Camunda mode (consistencyMs 5 000) answers an empty inbox at once: the client's eventual-consistency
// wait polls until the result is non-empty, so an empty page must never go through it — it is an answer.
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/orchestration-cluster-api-rest-data-fetching/
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CamundaProcessGateway } from '../../src/app/camunda-gateway.ts';
import { type EmbeddedServer, startEmbedded } from '../../src/engine/rest/standalone.ts';

let dir: string;
let engine: EmbeddedServer;
let gateway: CamundaProcessGateway;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'yunfu-gateway-'));
  engine = await startEmbedded({
    dataDir: dir,
    host: '127.0.0.1',
    port: 0,
    logger: pino({ level: 'silent' }),
    processesDir: null,
  });
  gateway = CamundaProcessGateway.fromConfig(
    { restAddress: engine.address!, auth: { strategy: 'NONE' }, tenantId: null },
    { consistencyMs: 5_000 },
  );
});

afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the process gateway with Camunda’s consistency wait configured', () => {
  it('answers an empty inbox, an empty instance list and an unknown task at once instead of timing out', async () => {
    const started = Date.now();
    expect(await gateway.searchUserTasks({ candidateGroups: ['bureau-reviewer'], state: 'CREATED' })).toEqual(
      {
        items: [],
        total: 0,
      },
    );
    expect((await gateway.searchProcessInstances({ hasIncident: true })).items).toEqual([]);
    expect((await gateway.searchIncidents({ state: 'ACTIVE' })).items).toEqual([]);
    expect(await gateway.instanceVariables(['2251799813685249'], ['tenantId'])).toEqual(
      new Map([['2251799813685249', {}]]),
    );
    expect(await gateway.getUserTask('2251799813685249')).toBeNull();
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
