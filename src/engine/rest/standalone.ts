// The embedded engine served over HTTP: opens the engine on DATA_DIR/engine.sqlite, mounts the Camunda REST
// API on /v2 of a fastify instance, deploys processes/*.bpmn|dmn|form, and listens. `GET /v2/topology`
// answers once all of that is done. The engine alone, for the tests that need only /v2 (conformance, process
// paths); `npm start` composes the whole system in src/system.ts.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import { Engine } from '../engine.ts';
import type { BasicCredentials } from './auth.ts';
import { camundaRestApi } from './plugin.ts';

export interface EmbeddedOptions {
  dataDir: string;
  host: string;
  port: number;
  logger: PinoLogger;
  /** Basic-auth users for /v2; without any, /v2 is open on loopback and closed elsewhere. */
  users?: BasicCredentials[];
  /** Folder whose .bpmn, .dmn and .form files are deployed at start (default ./processes); null: none. */
  processesDir?: string | null;
  /** Listen (default true); false returns the app unstarted so that more routes can be mounted. */
  listen?: boolean;
}

export type EmbeddedApp = FastifyInstance<Server, IncomingMessage, ServerResponse, PinoLogger>;

export interface EmbeddedServer {
  app: EmbeddedApp;
  engine: Engine;
  /** http://host:port once listening, else null. */
  address: string | null;
  /** Stops listening, then closes the engine. */
  close(): Promise<void>;
}

const DEPLOYABLE = /\.(bpmn|dmn|form)$/i;

export async function startEmbedded(options: EmbeddedOptions): Promise<EmbeddedServer> {
  mkdirSync(options.dataDir, { recursive: true });
  // due timers fire once the server answers (startScheduler below), in bounded batches
  const engine = await Engine.open({
    file: join(options.dataDir, 'engine.sqlite'),
    logger: options.logger.child({ component: 'engine' }),
    scheduler: false,
  });
  const app: EmbeddedApp = Fastify({ loggerInstance: options.logger.child({ component: 'http' }) });
  try {
    const dir = options.processesDir === undefined ? resolve('processes') : options.processesDir;
    if (dir !== null) {
      const files = readdirSync(dir)
        .filter((f) => DEPLOYABLE.test(f))
        .sort();
      if (files.length > 0) {
        const result = await engine.deploy(
          files.map((f) => ({ name: f, content: readFileSync(join(dir, f)) })),
        );
        options.logger.info(
          { deploymentKey: result.deploymentKey, resources: files.length },
          'deployed the resources of processes/',
        );
      }
    }
    const users = options.users ?? [];
    await app.register(camundaRestApi, {
      prefix: '/v2',
      engine,
      auth: users.length > 0 ? { mode: 'basic', users } : { mode: 'none' },
      listenHost: options.host,
    });
    let address: string | null = null;
    if (options.listen !== false) {
      await app.listen({ host: options.host, port: options.port });
      const a = app.server.address();
      const port = typeof a === 'object' && a ? a.port : options.port;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      address = `http://${host}:${port}`;
      engine.startScheduler();
    } else {
      app.addHook('onReady', async () => engine.startScheduler());
    }
    return {
      app,
      engine,
      address,
      async close() {
        await app.close();
        engine.close();
      },
    };
  } catch (e) {
    await app.close().catch(() => {});
    engine.close();
    throw e;
  }
}
