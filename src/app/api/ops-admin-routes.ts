// The operations routes of Operate's admin work: the variables panel per scope, incidents grouped by error type with
// "retry all of this kind", and batch cancel / retry on the list's filter with their progress. Every change needs a
// reason, which the audit log keeps; the cross-site guard and the administrators-only rule apply as everywhere.
import { createBatch, getBatch, listBatches, previewBatch, resumeBatch } from '../commands/ops-batches.ts';
import { incidentGroups, retryIncidentGroup } from '../commands/ops-incidents.ts';
import { editScopeVariables, instanceScopes } from '../commands/ops-variables.ts';
import { type ApiApp, type ApiContext, actorOf, principalOf } from './context.ts';
import {
  batchBody,
  batchIdParam,
  batchListSchema,
  batchSchema,
  incidentGroupsResponse,
  opsFilterSchema,
  retryGroupBody,
  retryGroupResponse,
  scopeParams,
  scopesResponse,
  scopeVariablesBody,
  scopeVariablesResponse,
} from './ops-schemas.ts';
import { keyParam } from './process-schemas.ts';
import { problemResponses } from './schemas.ts';

const tags = ['operations'];

export function registerOpsAdminRoutes(app: ApiApp, ctx: ApiContext): void {
  app.get(
    '/ops/instances/:processInstanceKey/scopes',
    {
      schema: {
        tags,
        summary: '各作用域的流程变量（受保护的变量只列名称）',
        params: keyParam('processInstanceKey'),
        response: { 200: scopesResponse, ...problemResponses },
      },
    },
    async (request) => instanceScopes(ctx, principalOf(request), request.params.processInstanceKey),
  );
  app.put(
    '/ops/instances/:processInstanceKey/scopes/:scopeKey/variables',
    {
      schema: {
        tags,
        summary: '修改某一作用域的流程变量（须说明原因；受保护的变量不能修改）',
        params: scopeParams,
        body: scopeVariablesBody,
        response: { 200: scopeVariablesResponse, ...problemResponses },
      },
    },
    async (request) => {
      const { processInstanceKey, scopeKey } = request.params;
      const { names } = await editScopeVariables(ctx, actorOf(request), {
        processInstanceKey,
        scopeKey,
        variables: request.body.variables as Record<string, unknown>,
        reason: request.body.reason,
      });
      return { scopeKey, names };
    },
  );
  app.get(
    '/ops/incident-groups',
    {
      schema: {
        tags,
        summary: '未解决的故障（按故障类型分组）',
        response: { 200: incidentGroupsResponse, ...problemResponses },
      },
    },
    async (request) => incidentGroups(ctx, principalOf(request)),
  );
  app.post(
    '/ops/incident-groups/retry',
    {
      schema: {
        tags,
        summary: '重试同一类型的全部故障（须说明原因）',
        body: retryGroupBody,
        response: { 200: retryGroupResponse, ...problemResponses },
      },
    },
    async (request) => retryIncidentGroup(ctx, actorOf(request), request.body),
  );
  registerBatchRoutes(app, ctx);
}

function registerBatchRoutes(app: ApiApp, ctx: ApiContext): void {
  app.get(
    '/ops/batches/preview',
    {
      schema: {
        tags,
        summary: '批量操作确认：当前筛选条件下将处理的实例数',
        querystring: {
          ...opsFilterSchema,
          required: ['operation'],
          properties: {
            ...opsFilterSchema.properties,
            operation: { type: 'string', enum: ['cancel', 'retry'] },
          },
        },
        response: { 200: { type: 'object', additionalProperties: true }, ...problemResponses },
      },
    },
    async (request) => {
      const { operation, ...filter } = request.query;
      return previewBatch(ctx, principalOf(request), operation, filter);
    },
  );
  app.post(
    '/ops/batches',
    {
      schema: {
        tags,
        summary: '按当前筛选条件批量取消或重试（须说明原因，并确认实例数）',
        body: batchBody,
        response: { 202: batchSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const batch = await createBatch(ctx, actorOf(request), request.body);
      return reply.code(202).send(batch);
    },
  );
  app.get(
    '/ops/batches',
    {
      schema: { tags, summary: '最近的批量操作', response: { 200: batchListSchema, ...problemResponses } },
    },
    async (request) => listBatches(ctx, principalOf(request)),
  );
  app.get(
    '/ops/batches/:batchId',
    {
      schema: {
        tags,
        summary: '批量操作的进度（已完成、失败、待处理）与各实例结果',
        params: batchIdParam,
        response: { 200: batchSchema, ...problemResponses },
      },
    },
    async (request) => getBatch(ctx, principalOf(request), request.params.batchId),
  );
  app.post(
    '/ops/batches/:batchId/resume',
    {
      schema: {
        tags,
        summary: '继续处理中断的批量操作（只处理待处理的实例）',
        params: batchIdParam,
        response: { 202: batchSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const batch = await resumeBatch(ctx, actorOf(request), request.params.batchId);
      return reply.code(202).send(batch);
    },
  );
}
