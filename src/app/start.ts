// Runs the business server: opens the store (migrating it), builds the server, listens, and shuts down gracefully on
// SIGTERM/SIGINT — stops accepting, lets running requests finish (fastify answers 503 meanwhile), closes the store.
// The business server alone, with no engine (its engine-backed routes unregistered unless a gateway is given): for the
// tests of the business API; `npm start` composes the whole system in src/system.ts.
import type { FastifyInstance } from 'fastify';
import { type AppConfig, auditTrailConfig } from '../config.ts';
import { Store } from '../store/store.ts';
import type { ProcessGateway } from './process-gateway.ts';
import { buildServer, type ServerOptions } from './server.ts';

export interface RunningApp {
  app: FastifyInstance;
  store: Store;
  /** The address it listens on, e.g. http://127.0.0.1:8080. */
  url: string;
  close(): Promise<void>;
}

export async function startApp(
  config: AppConfig,
  options: { processes?: ProcessGateway | null; handleSignals?: boolean } & Partial<ServerOptions> = {},
): Promise<RunningApp> {
  let log: FastifyInstance['log'] | null = null;
  const store = await Store.open({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    onConnectionError: (e) => log?.warn({ err: e }, 'idle database connection lost'),
    audit: {
      ...auditTrailConfig(config),
      onError: (e) => log?.error({ err: e }, 'audit checkpoint not written'),
    },
  });
  const app = await buildServer({ ...options, config, store, processes: options.processes ?? null });
  log = app.log;
  app.addHook('onClose', async () => {
    await store.close();
  });
  const url = await app.listen({ port: config.port, host: config.host });
  app.log.info({ store: store.description }, 'business API ready');

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= app.close();
    return closing;
  };
  if (options.handleSignals) {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        app.log.info({ signal }, 'shutting down');
        close().then(
          () => process.exit(0),
          (e) => {
            app.log.error({ err: e }, 'shutdown failed');
            process.exit(1);
          },
        );
      });
    }
  }
  return { app, store, url, close };
}
