// Deployments: multipart resources, each at most maxResourceBytes and together at most maxDeploymentBytes; and the
// deletion of a deployed resource (https://docs.camunda.io/docs/8.8/apis-tools/orchestration-cluster-api-rest/specifications/delete-resource/).
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Params, type RouteContext, sendProblem } from '../context.ts';
import { invalidArgument, ProblemError } from '../problem.ts';
import { compact, type Item } from '../search.ts';
import { bodyOf, pathKey, Violations } from '../validate.ts';

interface Resource {
  name: string;
  content: Buffer;
}

function tooLarge(detail: string): ProblemError {
  return new ProblemError(413, 'PAYLOAD_TOO_LARGE', detail);
}

async function readFile(part: MultipartFile, ctx: RouteContext, total: number): Promise<Buffer> {
  let content: Buffer;
  try {
    content = await part.toBuffer();
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw tooLarge(
        `The resource '${part.filename}' is larger than ${ctx.maxResourceBytes} bytes, the largest resource the embedded engine accepts`,
      );
    }
    throw e;
  }
  if (total + content.length > ctx.maxDeploymentBytes) {
    throw tooLarge(
      `The deployment's resources are larger than ${ctx.maxDeploymentBytes} bytes together, the largest deployment the embedded engine accepts`,
    );
  }
  return content;
}

/** Reads every part, refusing the request as soon as a limit is passed (the rest is not buffered). */
async function readResources(request: FastifyRequest, ctx: RouteContext): Promise<Resource[]> {
  const resources: Resource[] = [];
  const v = new Violations();
  let total = 0;
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const content = await readFile(part, ctx, total);
      total += content.length;
      if (part.fieldname !== 'resources') {
        v.add(`Unexpected file field '${part.fieldname}': resources are sent as 'resources'`);
        continue;
      }
      resources.push({ name: part.filename || 'resource', content });
    } else if (part.fieldname === 'tenantId') {
      v.tenant({ tenantId: part.value });
    }
  }
  if (resources.length === 0) v.add('No resources provided');
  v.check();
  return resources;
}

export function registerDeploymentRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post('/deployments', async (request, reply) => {
    if (!request.isMultipart()) {
      throw invalidArgument(['Expected a multipart/form-data request with one or more resources']);
    }
    const resources = await readResources(request, ctx);
    try {
      const result = await ctx.engine.deploy(resources);
      return {
        tenantId: result.tenantId,
        deploymentKey: result.deploymentKey,
        deployments: result.deployments.map((d) =>
          Object.fromEntries(Object.entries(d).map(([kind, meta]) => [kind, compact(meta as Item)])),
        ),
      };
    } catch (e) {
      return sendProblem(reply, e, 'CREATE');
    }
  });

  app.post<Params<'resourceKey'>>('/resources/:resourceKey/deletion', async (request, reply) => {
    const key = pathKey(request.params.resourceKey, 'resourceKey');
    const v = new Violations();
    v.integer(bodyOf(request.body), 'operationReference', { min: 1, minText: '> 0' });
    v.check();
    try {
      ctx.engine.deleteResource(key);
      return reply.code(200).send();
    } catch (e) {
      return sendProblem(reply, e, 'DELETE');
    }
  });
}
