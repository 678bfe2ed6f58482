// The Camunda 8.8 REST API (v2) on the embedded engine, as a fastify plugin: the paths, bodies, status
// codes and response shapes of Camunda's orchestration cluster API for what this project uses, so that the
// official client, the workers and the pages work unchanged against either engine.
//
//   app.register(camundaRestApi, { prefix: '/v2', engine, auth: { mode: 'none' }, listenHost: '127.0.0.1' })
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Engine } from '../engine.ts';
import { authenticator, FailureThrottle, type RestAuth, TooManyAttempts } from './auth.ts';
import { useJsonBodyParser } from './body.ts';
import { type RouteContext, sendProblem } from './context.ts';
import { clientAddress, type RequestGuardOptions, requestGuard } from './guard.ts';
import { ProblemError } from './problem.ts';
import { registerBatchOperationRoutes } from './routes/batch-operations.ts';
import { registerClusterRoutes } from './routes/cluster.ts';
import { registerCorrelatedMessageRoutes } from './routes/correlated-messages.ts';
import { registerDecisionInstanceRoutes } from './routes/decision-instances.ts';
import { registerDecisionReadRoutes } from './routes/decision-reads.ts';
import { registerDecisionRoutes } from './routes/decisions.ts';
import { registerDeploymentRoutes } from './routes/deployments.ts';
import { registerElementInstanceRoutes } from './routes/element-instances.ts';
import { registerIncidentRoutes } from './routes/incidents.ts';
import { registerJobRoutes } from './routes/jobs.ts';
import { registerMessageSubscriptionRoutes } from './routes/message-subscriptions.ts';
import { registerMessageRoutes } from './routes/messages.ts';
import { registerProcessDefinitionRoutes } from './routes/process-definitions.ts';
import { registerProcessInstanceRoutes } from './routes/process-instances.ts';
import { registerSignalRoutes } from './routes/signals.ts';
import { registerStatisticsRoutes } from './routes/statistics.ts';
import { registerUserTaskRoutes } from './routes/user-tasks.ts';
import { registerVariableRoutes } from './routes/variables.ts';

export { type RouteContext, sendProblem } from './context.ts';

/** Largest deployment resource: 4 MiB, Camunda's default maximum message size. */
export const DEFAULT_MAX_RESOURCE_BYTES = 4 * 1024 * 1024;
/** Largest deployment, all resources together. */
export const DEFAULT_MAX_DEPLOYMENT_BYTES = 16 * 1024 * 1024;

export interface CamundaRestOptions extends RequestGuardOptions {
  engine: Engine;
  /** none, or basic with users; see auth.ts for the loopback rule. */
  auth: RestAuth;
  /** The address the server listens on (HOST); also accepted as a Host header. */
  listenHost: string;
  /** Long-poll duration of job activation when the request gives none (Camunda: 10 s). */
  defaultLongPollMs?: number;
  /** How long `awaitCompletion` waits when the request gives no requestTimeout (ms). */
  defaultRequestTimeoutMs?: number;
  /** Largest deployment resource in bytes (default DEFAULT_MAX_RESOURCE_BYTES). */
  maxResourceBytes?: number;
  /** Largest deployment in bytes, all resources together (default DEFAULT_MAX_DEPLOYMENT_BYTES). */
  maxDeploymentBytes?: number;
  /** Failed basic-auth attempts per client address (default: a throttle of this plugin's own). */
  throttle?: FailureThrottle;
}

function handleErrors(app: FastifyInstance): void {
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof ProblemError) {
      if (error instanceof TooManyAttempts) reply.header('retry-after', String(error.retryAfter));
      return sendProblem(reply, error);
    }
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
}

export const camundaRestApi: FastifyPluginAsync<CamundaRestOptions> = async (
  app: FastifyInstance,
  options,
) => {
  const check = authenticator(options.auth, options.listenHost, options.throttle ?? new FailureThrottle());
  const guard = requestGuard(options, options.listenHost);
  const context: RouteContext = {
    engine: options.engine,
    defaultLongPollMs: options.defaultLongPollMs ?? 10_000,
    defaultRequestTimeoutMs: options.defaultRequestTimeoutMs ?? 10_000,
    maxResourceBytes: options.maxResourceBytes ?? DEFAULT_MAX_RESOURCE_BYTES,
    maxDeploymentBytes: options.maxDeploymentBytes ?? DEFAULT_MAX_DEPLOYMENT_BYTES,
  };

  await app.register(multipart, {
    limits: { fileSize: context.maxResourceBytes, files: 500, fields: 10 },
  });
  useJsonBodyParser(app);

  // The cross-site guard runs first: a refused request is neither authenticated nor read.
  app.addHook('onRequest', async (request) => {
    guard(request);
    const client = options.clientAddressOf?.(request) ?? clientAddress(request, options.trustProxy);
    check(request.headers.authorization, client);
  });

  handleErrors(app);

  registerClusterRoutes(app, context);
  registerDeploymentRoutes(app, context);
  registerProcessDefinitionRoutes(app, context);
  registerProcessInstanceRoutes(app, context);
  registerElementInstanceRoutes(app, context);
  registerVariableRoutes(app, context);
  registerDecisionRoutes(app, context);
  registerJobRoutes(app, context);
  registerUserTaskRoutes(app, context);
  registerMessageRoutes(app, context);
  registerSignalRoutes(app, context);
  registerIncidentRoutes(app, context);
  registerStatisticsRoutes(app, context);
  registerDecisionReadRoutes(app, context);
  registerDecisionInstanceRoutes(app, context);
  registerMessageSubscriptionRoutes(app, context);
  registerCorrelatedMessageRoutes(app, context);
  registerBatchOperationRoutes(app, context);
};

// Let the plugin's routes, hooks and handlers stay encapsulated under its prefix.
export default camundaRestApi;
