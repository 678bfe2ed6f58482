// The Camunda the conformance suite talks to. By default the embedded engine, served over real HTTP by a
// fastify instance on 127.0.0.1 (random port) with its state in a temporary SQLite file. With
// CONFORMANCE_TARGET=camunda (npm run test:camunda) the camunda/camunda:8.8 image with Elasticsearch,
// started by testcontainers. Either way the suite only sees the official client.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createLooseCamundaClient, type LooseCamundaClient } from '../../src/camunda/client.ts';
import type { CamundaClientConfig } from '../../src/camunda/config.ts';
import { startEmbedded } from '../../src/engine/rest/standalone.ts';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'conformance');

/** Strict request and response validation unless the environment asks for more (fanatical). */
export const VALIDATION = process.env.CAMUNDA_SDK_VALIDATION ?? 'req:strict,res:strict';

export interface Target {
  kind: 'embedded' | 'camunda';
  config: CamundaClientConfig;
  client: LooseCamundaClient;
  /** Plain fetch against /v2, for what the client refuses to send (malformed requests). */
  raw(path: string, init?: RequestInit): Promise<Response>;
  /** Pins the engine clock (PUT /v2/clock) — embedded, or Camunda with ZEEBE_CLOCK_CONTROLLED. */
  close(): Promise<void>;
}

export const CAMUNDA_IMAGE = process.env.CAMUNDA_IMAGE ?? 'camunda/camunda:8.8';
const ELASTIC_IMAGE = process.env.ELASTIC_IMAGE ?? 'docker.elastic.co/elasticsearch/elasticsearch:8.17.4';

export async function startTarget(): Promise<Target> {
  return process.env.CONFORMANCE_TARGET === 'camunda' ? startCamunda() : startEmbeddedTarget();
}

async function startEmbeddedTarget(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'yunfu-conformance-'));
  const server = await startEmbedded({
    dataDir: dir,
    host: '127.0.0.1',
    port: 0,
    logger: pino({ level: 'silent' }),
    processesDir: null,
  });
  const config: CamundaClientConfig = {
    restAddress: server.address!,
    auth: { strategy: 'NONE' },
    tenantId: null,
  };
  return {
    kind: 'embedded',
    config,
    client: createLooseCamundaClient(config, { validation: VALIDATION }),
    raw: (path, init) => fetch(`${server.address}/v2${path}`, init),
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startCamunda(): Promise<Target> {
  const { GenericContainer, Network, Wait } = await import('testcontainers');
  const network = await new Network().start();
  const elastic = await new GenericContainer(ELASTIC_IMAGE)
    .withNetwork(network)
    .withNetworkAliases('elasticsearch')
    .withEnvironment({
      'discovery.type': 'single-node',
      'xpack.security.enabled': 'false',
      'cluster.routing.allocation.disk.threshold_enabled': 'false',
      ES_JAVA_OPTS: '-Xms512m -Xmx512m',
    })
    .withWaitStrategy(Wait.forHttp('/_cluster/health?wait_for_status=yellow', 9200))
    .withStartupTimeout(180_000)
    .start();
  const camunda = await new GenericContainer(CAMUNDA_IMAGE)
    .withNetwork(network)
    .withEnvironment({
      SPRING_PROFILES_ACTIVE: 'broker,operate,tasklist,identity,consolidated-auth',
      CAMUNDA_SECURITY_AUTHENTICATION_UNPROTECTEDAPI: 'true',
      CAMUNDA_SECURITY_AUTHORIZATIONS_ENABLED: 'false',
      CAMUNDA_DATABASE_TYPE: 'elasticsearch',
      CAMUNDA_DATABASE_URL: 'http://elasticsearch:9200',
      CAMUNDA_REST_QUERY_ENABLED: 'true',
      ZEEBE_BROKER_EXPORTERS_CAMUNDAEXPORTER_CLASSNAME: 'io.camunda.exporter.CamundaExporter',
      ZEEBE_BROKER_EXPORTERS_CAMUNDAEXPORTER_ARGS_CONNECT_TYPE: 'elasticsearch',
      ZEEBE_BROKER_EXPORTERS_CAMUNDAEXPORTER_ARGS_CONNECT_URL: 'http://elasticsearch:9200',
      ZEEBE_BROKER_EXPORTERS_CAMUNDAEXPORTER_ARGS_BULK_SIZE: '1',
      ZEEBE_CLOCK_CONTROLLED: 'true',
      JAVA_TOOL_OPTIONS: '-Xms512m -Xmx1g',
    })
    .withExposedPorts(8080, 9600)
    .withWaitStrategy(Wait.forHttp('/actuator/health/readiness', 9600))
    .withStartupTimeout(300_000)
    .start();
  const address = `http://${camunda.getHost()}:${camunda.getMappedPort(8080)}`;
  const config: CamundaClientConfig = { restAddress: address, auth: { strategy: 'NONE' }, tenantId: null };
  return {
    kind: 'camunda',
    config,
    client: createLooseCamundaClient(config, { validation: VALIDATION }),
    raw: (path, init) => fetch(`${address}/v2${path}`, init),
    async close() {
      await camunda.stop();
      await elastic.stop();
      await network.stop();
    },
  };
}

/** The HTTP status of a failed client call (the client throws with `status`). */
export async function statusOf(call: Promise<unknown>): Promise<number | 'ok'> {
  try {
    await call;
    return 'ok';
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (typeof status === 'number') return status;
    throw e;
  }
}
