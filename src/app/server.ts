// The HTTP server: pino request logs with a request id on every line (and in every problem detail), the OpenAPI
// document generated from the route schemas at /docs, /health and /ready, and the business API under /api.
// The engine's /v2 plugin is registered onto the same instance by its own module.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppConfig } from '../config.ts';
import { loadRegulation, type Regulation } from '../domain/index.ts';
import { DocumentStorage } from '../store/documents.ts';
import type { Store } from '../store/store.ts';
import { apiPlugin, sendProblem } from './api/index.ts';
import { crossSiteIssue } from './auth/csrf.ts';
import { DEFAULT_THROTTLE, LoginThrottle, type ThrottleOptions } from './auth/login-throttle.ts';
import { parseJsonBody } from './json-body.ts';
import type { MailNotices } from './mail-sender.ts';
import { DEFAULT_MAX_DOCUMENT_BYTES, pagesPlugin } from './pages/index.ts';
import { problem, problemSchema } from './problem.ts';
import type { ProcessGateway } from './process-gateway.ts';

export interface ServerOptions {
  config: Pick<AppConfig, 'dataDir' | 'logLevel' | 'publicUrl' | 'trustProxy'>;
  store: Store;
  regulation?: Regulation;
  /** The clock (tests move it); defaults to the system clock. */
  now?: () => Date;
  /** Where document files live; default DATA_DIR/documents. */
  documentsDir?: string;
  /** Default 8 hours. */
  sessionTtlMs?: number;
  /** Default 50 MiB. */
  maxDocumentBytes?: number;
  throttle?: ThrottleOptions;
  /** Set the Secure flag on the session cookie; default: when PUBLIC_URL is https. */
  secureCookies?: boolean;
  processes?: ProcessGateway | null;
  /** Issue 16: the outbox's sender where SMTP is configured; null: notifications are in-app only. */
  mail?: MailNotices | null;
  /** A pino destination for the logs (tests capture them); default stdout. */
  logStream?: { write(line: string): void };
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const now = options.now ?? (() => new Date());
  const app = Fastify({
    logger: {
      level: options.config.logLevel,
      // No secrets or personal data in logs: the session token and cookies never reach a log line.
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          '*.password',
          '*.token',
        ],
        censor: '[redacted]',
      },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    // The server chooses the request id: it is recorded in the audit trail (SV-4), so a caller must not pick it. A
    // well-formed caller's id (a proxy's) is kept beside it in the log lines as clientRequestId, for correlation.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    childLoggerFactory: (logger, bindings, opts, req) => {
      const given = req.headers['x-request-id'];
      const client = typeof given === 'string' && REQUEST_ID.test(given) ? { clientRequestId: given } : {};
      return logger.child({ ...bindings, ...client }, opts);
    },
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    // request.ip (the sign-in limits, the audit log) is X-Forwarded-For only from the proxies TRUST_PROXY names.
    trustProxy: trustProxyOption(options.config.trustProxy),
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addSchema(problemSchema);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: '云浮市市级政务信息化服务项目管理 API',
        description:
          '项目库、年度规划备案、材料、通知、审计日志与审计资料包（《云浮市市级政务信息化服务项目管理办法》）',
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'yunfu_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  registerHealth(app, options);
  await app.register(businessApi(options, now), { prefix: '/api' });

  await app.register(pagesPlugin, {
    maxDocumentBytes: options.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES,
    regulation: options.regulation,
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      request,
      reply,
      problem.notFound(`没有 ${request.method} ${request.url.split('?')[0]} 这个接口`),
    ),
  );
  return app;
}

function registerHealth(app: FastifyInstance, options: ServerOptions): void {
  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'UP' }));
  // Ready when the store answers and, where the business API drives processes, the engine answers too.
  app.get('/ready', { schema: { hide: true } }, async (request, reply) => {
    const check = async (name: string, ping: () => Promise<void>): Promise<'UP' | 'DOWN'> => {
      try {
        await ping();
        return 'UP';
      } catch (e) {
        request.log.warn({ err: e }, `${name} not reachable`);
        return 'DOWN';
      }
    };
    const store = await check('store', () => options.store.ping());
    const engine = options.processes ? await check('engine', () => options.processes!.ping()) : undefined;
    const up = store === 'UP' && engine !== 'DOWN';
    return reply
      .code(up ? 200 : 503)
      .send({ status: up ? 'UP' : 'DOWN', store, ...(engine ? { engine } : {}) });
  });
}

// The business API with what belongs to it alone — the JSON parser and the cross-site check; /v2 has its own
// clients and rules.
function businessApi(options: ServerOptions, now: () => Date) {
  const documents = new DocumentStorage(options.documentsDir ?? join(options.config.dataDir, 'documents'));
  const publicOrigin = options.config.publicUrl ?? null;
  const https = publicOrigin?.startsWith('https:') ?? false;
  return async (api: FastifyInstance) => {
    api.addHook('onRequest', async (request, reply) => {
      const issue = crossSiteIssue(request, { publicOrigin, https });
      if (issue) {
        request.log.warn({ event: 'cross-site-refused', origin: request.headers.origin }, issue);
        return sendProblem(request, reply, problem.forbidden(`拒绝跨站请求：${issue}`));
      }
    });
    api.removeContentTypeParser('application/json');
    api.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer' },
      async (_request: unknown, body: Buffer) => parseJsonBody(body),
    );
    await api.register(apiPlugin, {
      store: options.store,
      documents,
      regulation: options.regulation ?? loadRegulation(),
      now,
      sessionTtlMs: options.sessionTtlMs ?? 8 * 3600_000,
      maxDocumentBytes: options.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES,
      throttle: new LoginThrottle(options.throttle ?? DEFAULT_THROTTLE, () => now().getTime()),
      secureCookies: options.secureCookies ?? https,
      processes: options.processes ?? null,
      mail: options.mail ?? null,
    });
  };
}

function trustProxyOption(
  setting: AppConfig['trustProxy'],
): boolean | string[] | ((a: string, hop: number) => boolean) {
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return setting ?? false;
}
