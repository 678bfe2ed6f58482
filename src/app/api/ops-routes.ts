import { cancelInstance, modifyInstanceVariables, retryIncident } from '../commands/operate.ts';
import { campaignBoard, instanceDetail, listInstances } from '../queries/operations.ts';
import { type ApiApp, type ApiContext, actorOf, principalOf } from './context.ts';
import { registerOpsAdminRoutes } from './ops-admin-routes.ts';
import { registerOpsChangeRoutes } from './ops-change-routes.ts';
import { opsInstanceFilterQuery } from './ops-schemas.ts';
import {
  campaignSchema,
  cancelBody,
  cancelResponse,
  keyParam,
  opsInstanceDetailSchema,
  opsInstanceListSchema,
  retryResponse,
  variablesBody,
  variablesResponse,
} from './process-schemas.ts';
import { problemResponses } from './schemas.ts';

/** The campaign board reads only the store; the other routes need the engine (`withEngine`). */
export function registerOpsRoutes(app: ApiApp, ctx: ApiContext, withEngine: boolean): void {
  getOpsCampaignsPlanYear(app, ctx);
  if (!withEngine) return;
  getOpsInstances(app, ctx);
  getOpsInstancesProcessInstanceKey(app, ctx);
  postOpsIncidentsIncidentKeyRetry(app, ctx);
  putOpsInstancesProcessInstanceKeyVariables(app, ctx);
  postOpsInstancesProcessInstanceKeyCancel(app, ctx);
  registerOpsAdminRoutes(app, ctx);
  registerOpsChangeRoutes(app, ctx);
}

function getOpsCampaignsPlanYear(app: ApiApp, ctx: ApiContext): void {
  app.get(
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

function getOpsInstances(app: ApiApp, ctx: ApiContext): void {
  app.get(
    '/ops/instances',
    {
      schema: {
        tags: ['operations'],
        summary: '流程实例（按流程、版本、状态、节点、变量、开始/结束日期、项目筛选；总数为引擎的真实总数）',
        querystring: opsInstanceFilterQuery,
        response: { 200: opsInstanceListSchema, ...problemResponses },
      },
    },
    async (request) => listInstances(ctx, principalOf(request), request.query),
  );
}

function getOpsInstancesProcessInstanceKey(app: ApiApp, ctx: ApiContext): void {
  app.get(
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

function postOpsIncidentsIncidentKeyRetry(app: ApiApp, ctx: ApiContext): void {
  app.post(
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

function putOpsInstancesProcessInstanceKeyVariables(app: ApiApp, ctx: ApiContext): void {
  app.put(
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

function postOpsInstancesProcessInstanceKeyCancel(app: ApiApp, ctx: ApiContext): void {
  app.post(
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
