// The Camunda 8.8 REST API (v2) on the embedded engine, as a fastify plugin: the paths, bodies, status
// codes and response shapes of Camunda's orchestration cluster API for what this project uses, so that the
// official client, the workers and the pages work unchanged against either engine.
//
//   app.register(camundaRestApi, { prefix: '/v2', engine, auth: { mode: 'none' }, listenHost: '127.0.0.1' })
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Engine } from '../engine.ts';
import { authenticator, type RestAuth } from './auth.ts';
import { invalidArgument, ProblemError, problemBody, toProblem } from './problem.ts';
import { registerJobRoutes } from './routes/jobs.ts';
import { registerMessageAndIncidentRoutes } from './routes/messages.ts';
import { registerRuntimeRoutes } from './routes/runtime.ts';
import { registerUserTaskRoutes } from './routes/user-tasks.ts';

export interface CamundaRestOptions {
  engine: Engine;
  /** none, or basic with users; see auth.ts for the non-loopback rule. */
  auth: RestAuth;
  /** The address the server listens on (HOST). */
  listenHost: string;
  /** Long-poll duration of job activation when the request gives none (Camunda: 10 s). */
  defaultLongPollMs?: number;
  /** How long `awaitCompletion` waits when the request gives no requestTimeout (ms). */
  defaultRequestTimeoutMs?: number;
  /** Largest deployment resource in bytes (default 4 MiB, as Camunda's default max message size). */
  maxResourceBytes?: number;
}

export interface RouteContext {
  engine: Engine;
  defaultLongPollMs: number;
  defaultRequestTimeoutMs: number;
}

export function sendProblem(reply: FastifyReply, error: unknown, intent?: string): FastifyReply {
  const problem = toProblem(error, intent);
  if (problem.status >= 500) reply.log.error({ err: error }, 'unexpected error in the Camunda REST API');
  if (problem.status === 401) reply.header('www-authenticate', 'Basic realm="camunda"');
  return reply
    .code(problem.status)
    .header('content-type', 'application/problem+json')
    .send(problemBody(problem, reply.request.url.split('?')[0] ?? reply.request.url));
}

export const camundaRestApi: FastifyPluginAsync<CamundaRestOptions> = async (
  app: FastifyInstance,
  options,
) => {
  const check = authenticator(options.auth, options.listenHost);
  const context: RouteContext = {
    engine: options.engine,
    defaultLongPollMs: options.defaultLongPollMs ?? 10_000,
    defaultRequestTimeoutMs: options.defaultRequestTimeoutMs ?? 10_000,
  };

  await app.register(multipart, {
    limits: { fileSize: options.maxResourceBytes ?? 4 * 1024 * 1024, files: 500, fields: 10 },
  });

  // Bodies: JSON, where an empty body means "no body" (the client sends none for reset, unassign, …).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      done(
        invalidArgument([`Expected the request body to be JSON, but it is not: ${(e as Error).message}`]),
        undefined,
      );
    }
  });

  app.addHook('onRequest', async (request) => {
    check(request.headers.authorization);
  });

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof ProblemError) return sendProblem(reply, error);
    const e = error as { statusCode?: number; code?: string; message: string };
    if (e.statusCode === 413 || e.code === 'FST_REQ_FILE_TOO_LARGE') {
      return sendProblem(reply, new ProblemError(413, 'PAYLOAD_TOO_LARGE', e.message));
    }
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      return sendProblem(reply, new ProblemError(e.statusCode, 'INVALID_ARGUMENT', e.message));
    }
    return sendProblem(reply, error);
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      new ProblemError(
        404,
        'NOT_FOUND',
        `No endpoint ${request.method} ${request.url.split('?')[0]} in the embedded engine's Camunda REST API`,
      ),
    ),
  );

  registerRuntimeRoutes(app, context);
  registerJobRoutes(app, context);
  registerUserTaskRoutes(app, context);
  registerMessageAndIncidentRoutes(app, context);
};

// Let the plugin's routes, hooks and handlers stay encapsulated under its prefix.
export default camundaRestApi;
