// What every route module of the Camunda REST API needs: the engine, the plugin's settings, and the way a
// problem is written. Kept apart from plugin.ts so that the routes do not import the plugin that imports them.
import type { FastifyReply } from 'fastify';
import type { Engine } from '../engine.ts';
import { problemBody, toProblem } from './problem.ts';

export interface RouteContext {
  engine: Engine;
  defaultLongPollMs: number;
  defaultRequestTimeoutMs: number;
  /** Largest deployment resource in bytes. */
  maxResourceBytes: number;
  /** Largest sum of a deployment's resources in bytes. */
  maxDeploymentBytes: number;
}

/** Route generics for path parameters. */
export type Params<K extends string> = { Params: Record<K, string> };

export function sendProblem(reply: FastifyReply, error: unknown, intent?: string): FastifyReply {
  const problem = toProblem(error, intent);
  if (problem.status >= 500) reply.log.error({ err: error }, 'unexpected error in the Camunda REST API');
  if (problem.status === 401) reply.header('www-authenticate', 'Basic realm="camunda"');
  return reply
    .code(problem.status)
    .header('content-type', 'application/problem+json')
    .send(problemBody(problem, reply.request.url.split('?')[0] ?? reply.request.url));
}
