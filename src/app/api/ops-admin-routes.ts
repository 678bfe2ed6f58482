// The operations routes of Operate's admin work: the variables panel per scope, incidents grouped by error type with
// "retry all of this kind". Every change needs a
// reason, which the audit log keeps; the cross-site guard and the administrators-only rule apply as everywhere.
import { incidentGroups, retryIncidentGroup } from '../commands/ops-incidents.ts';
import { editScopeVariables, instanceScopes } from '../commands/ops-variables.ts';
import { type ApiApp, type ApiContext, actorOf, principalOf } from './context.ts';
import {
  incidentGroupsResponse,
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
}
