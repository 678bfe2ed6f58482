// Operations for the Bureau's administrators (Operate's equivalent in zh-CN, for this domain): the annual filing
// campaign board (P-1), process instances of their tenant, one instance with its diagram, elements and incidents;
// retry an incident, modify an instance's variables, cancel an instance. Adapters only: the reads are in
// src/app/queries/operations.ts, the commands in src/app/commands/operate.ts.
import type { FastifyInstance } from 'fastify';
import { cancelInstance, modifyInstanceVariables, retryIncident } from '../commands/operate.ts';
import { campaignBoard, type InstanceQuery, instanceDetail, listInstances } from '../queries/operations.ts';
import { type ApiContext, actorOf, principalOf } from './context.ts';
import {
  campaignSchema,
  cancelBody,
  cancelResponse,
  keyParam,
  opsInstanceDetailSchema,
  opsInstanceListSchema,
  opsInstanceQuery,
  retryResponse,
  variablesBody,
  variablesResponse,
} from './process-schemas.ts';
import { problemResponses } from './schemas.ts';

type InstanceParams = { Params: { processInstanceKey: string } };

/** The campaign board reads only the store; the other routes need the engine (`withEngine`). */
export function registerOpsRoutes(app: FastifyInstance, ctx: ApiContext, withEngine: boolean): void {
  getOpsCampaignsPlanYear(app, ctx);
  if (!withEngine) return;
  getOpsInstances(app, ctx);
  getOpsInstancesProcessInstanceKey(app, ctx);
  postOpsIncidentsIncidentKeyRetry(app, ctx);
  putOpsInstancesProcessInstanceKeyVariables(app, ctx);
  postOpsInstancesProcessInstanceKeyCancel(app, ctx);
}

function getOpsCampaignsPlanYear(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Params: { planYear: number } }>(
    '/ops/campaigns/:planYear',
    {
      schema: {
        tags: ['operations'],
        summary: '年度规划备案进度看板（P-1）',
        params: {
          type: 'object',
          required: ['planYear'],
          properties: { planYear: { type: 'integer', minimum: 2000, maximum: 9999 } },
        },
        response: { 200: campaignSchema, ...problemResponses },
      },
    },
    async (request) => campaignBoard(ctx, principalOf(request), request.params.planYear),
  );
}

function getOpsInstances(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: InstanceQuery }>(
    '/ops/instances',
    {
      schema: {
        tags: ['operations'],
        summary: '流程实例（按流程、状态、是否有故障）',
        querystring: opsInstanceQuery,
        response: { 200: opsInstanceListSchema, ...problemResponses },
      },
    },
    async (request) => listInstances(ctx, principalOf(request), request.query),
  );
}

function getOpsInstancesProcessInstanceKey(app: FastifyInstance, ctx: ApiContext): void {
  app.get<InstanceParams>(
    '/ops/instances/:processInstanceKey',
    {
      schema: {
        tags: ['operations'],
        summary: '流程实例详情：流程图、当前节点、已完成节点、故障',
        params: keyParam('processInstanceKey'),
        response: { 200: opsInstanceDetailSchema, ...problemResponses },
      },
    },
    async (request) => instanceDetail(ctx, principalOf(request), request.params.processInstanceKey),
  );
}

function postOpsIncidentsIncidentKeyRetry(app: FastifyInstance, ctx: ApiContext): void {
  app.post<{ Params: { incidentKey: string } }>(
    '/ops/incidents/:incidentKey/retry',
    {
      schema: {
        tags: ['operations'],
        summary: '重试故障（先恢复作业重试次数，再解决故障）',
        params: keyParam('incidentKey'),
        response: { 200: retryResponse, ...problemResponses },
      },
    },
    async (request) => {
      const { incidentKey } = request.params;
      const { incident } = await retryIncident(ctx, actorOf(request), incidentKey);
      return { incidentKey, processInstanceKey: incident.processInstanceKey, resolved: true };
    },
  );
}

function putOpsInstancesProcessInstanceKeyVariables(app: FastifyInstance, ctx: ApiContext): void {
  app.put<InstanceParams & { Body: { variables: Record<string, unknown> } }>(
    '/ops/instances/:processInstanceKey/variables',
    {
      schema: {
        tags: ['operations'],
        summary: '修改流程变量（修正导致故障的数据后再重试）',
        params: keyParam('processInstanceKey'),
        body: variablesBody,
        response: { 200: variablesResponse, ...problemResponses },
      },
    },
    async (request) => {
      const { processInstanceKey } = request.params;
      const { variables } = request.body;
      const { names } = await modifyInstanceVariables(ctx, actorOf(request), {
        processInstanceKey,
        variables,
      });
      return { processInstanceKey, names };
    },
  );
}

function postOpsInstancesProcessInstanceKeyCancel(app: FastifyInstance, ctx: ApiContext): void {
  app.post<InstanceParams & { Body: { reason?: string } | undefined }>(
    '/ops/instances/:processInstanceKey/cancel',
    {
      schema: {
        tags: ['operations'],
        summary: '取消流程实例（项目全生命周期：须说明理由，转为 IM-9 终止合同备案）',
        params: keyParam('processInstanceKey'),
        body: cancelBody,
        response: { 200: cancelResponse, ...problemResponses },
      },
    },
    async (request) => {
      const { processInstanceKey } = request.params;
      const reason = request.body?.reason ?? null;
      const { projectId, terminationFiling } = await cancelInstance(ctx, actorOf(request), {
        processInstanceKey,
        reason,
      });
      // A lifecycle runs on into the IM-9 termination filing; any other instance is cancelled.
      return {
        processInstanceKey,
        state: terminationFiling ? 'TERMINATION_FILING' : 'TERMINATED',
        projectId,
      };
    },
  );
}
