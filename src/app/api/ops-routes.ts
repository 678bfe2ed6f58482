// Operations for the Bureau's administrators (Operate's equivalent in zh-CN, for this domain): process instances of
// their tenant by process and state, one instance with its diagram XML, active and completed elements and
// incidents; retry an incident (raise the job's retries, then resolve) and cancel an instance; and the annual
// filing campaign board (P-1): which Units filed on time, late, or not yet.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { filingDeadline } from '../../domain/annual-plan.ts';
import { listAnnualPlans } from '../../store/annual-plans.ts';
import { findProject, setStage } from '../../store/projects.ts';
import { listUnits } from '../../store/units.ts';
import { problem } from '../problem.ts';
import type { OperableProcessGateway, ProcessInstance } from '../process-gateway.ts';
import { type ApiContext, authorize, principalOf, recordAudit } from './context.ts';
import { engineTransaction, tenantOfVariables } from './process-routes.ts';
import {
  campaignSchema,
  cancelBody,
  cancelResponse,
  keyParam,
  opsInstanceDetailSchema,
  opsInstanceListSchema,
  opsInstanceQuery,
  problemResponses,
  retryResponse,
  variablesBody,
  variablesResponse,
} from './schemas.ts';

const STATUS_NAMES = {
  'on-time': '按时备案',
  late: '逾期备案',
  pending: '尚未备案',
  overdue: '逾期未备案',
} as const;

export function registerOpsRoutes(
  app: FastifyInstance,
  ctx: ApiContext,
  gateway: OperableProcessGateway | null,
): void {
  const operator = (request: FastifyRequest) => {
    const p = principalOf(request);
    authorize(request, 'process.operate', { tenantId: p.tenantId });
    return p;
  };

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
    async (request) => {
      const p = operator(request);
      const { planYear } = request.params as { planYear: number };
      const now = ctx.now();
      const monthDay = ctx.regulation.rules.editionAt(now).annualPlanDeadline;
      const window = filingDeadline(planYear, monthDay);
      const passed = now.getTime() > window.deadlineMs;
      const [units, plans] = await Promise.all([
        listUnits(ctx.store.db, p.tenantId),
        listAnnualPlans(ctx.store.db, { tenantId: p.tenantId, planYear }),
      ]);
      const byUnit = new Map(plans.map((x) => [x.unitId, x]));
      const rows = units.map((u) => {
        const plan = byUnit.get(u.id);
        const status: keyof typeof STATUS_NAMES = plan
          ? plan.onTime
            ? 'on-time'
            : 'late'
          : passed
            ? 'overdue'
            : 'pending';
        return {
          unitId: u.id,
          unitName: u.name,
          status,
          statusName: STATUS_NAMES[status],
          filingNumber: plan?.filingNumber ?? null,
          filedAt: plan?.filedAt ?? null,
          daysLate: plan?.daysLate ?? 0,
        };
      });
      const count = (s: keyof typeof STATUS_NAMES) => rows.filter((r) => r.status === s).length;
      return {
        planYear,
        deadline: window.deadline,
        deadlinePassed: passed,
        summary: {
          units: rows.length,
          onTime: count('on-time'),
          late: count('late'),
          pending: count('pending'),
          overdue: count('overdue'),
        },
        units: rows,
      };
    },
  );

  if (!gateway) return;

  /** The instance if it belongs to the principal's tenant (its `tenantId` variable), else 404. */
  const tenantInstance = async (tenantId: string, key: string) => {
    const instance = await gateway.getProcessInstance(key);
    if (!instance) throw problem.notFound(`流程实例 ${key} 不存在或无权查看`);
    const vars = (await gateway.instanceVariables([key], ['tenantId', 'projectId'])).get(key) ?? {};
    if (tenantOfVariables(vars) !== tenantId) throw problem.notFound(`流程实例 ${key} 不存在或无权查看`);
    return { instance, projectId: typeof vars.projectId === 'string' ? vars.projectId : null };
  };

  const withProjects = async (tenantId: string, instances: ProcessInstance[]) => {
    const vars = await gateway.instanceVariables(
      instances.map((i) => i.processInstanceKey),
      ['tenantId', 'projectId'],
    );
    return instances
      .filter((i) => tenantOfVariables(vars.get(i.processInstanceKey)) === tenantId)
      .map((i) => {
        const projectId = vars.get(i.processInstanceKey)?.projectId;
        return { ...i, projectId: typeof projectId === 'string' ? projectId : null };
      });
  };

  app.get(
    '/ops/instances',
    {
      schema: {
        tags: ['operations'],
        summary: '流程实例（按流程、状态、是否有故障）',
        querystring: opsInstanceQuery,
        response: { 200: opsInstanceListSchema, ...problemResponses },
      },
    },
    async (request) => {
      const p = operator(request);
      const q = request.query as {
        processId?: string;
        state?: 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
        hasIncident?: boolean;
        projectId?: string;
        page: number;
        pageSize: number;
      };
      const found = await gateway.searchProcessInstances({
        ...(q.processId ? { processDefinitionId: q.processId } : {}),
        ...(q.state ? { state: q.state } : {}),
        ...(q.hasIncident !== undefined ? { hasIncident: q.hasIncident } : {}),
        ...(q.projectId ? { variables: { projectId: q.projectId } } : {}),
      });
      const items = await withProjects(p.tenantId, found.items);
      const start = (q.page - 1) * q.pageSize;
      return {
        items: items.slice(start, start + q.pageSize),
        total: items.length,
        page: q.page,
        pageSize: q.pageSize,
      };
    },
  );

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
    async (request) => {
      const p = operator(request);
      const { processInstanceKey } = request.params as { processInstanceKey: string };
      const { instance, projectId } = await tenantInstance(p.tenantId, processInstanceKey);
      const [xml, elements, incidents, children] = await Promise.all([
        gateway.processDefinitionXml(instance.processDefinitionKey),
        gateway.elementInstances(processInstanceKey),
        gateway.searchIncidents({ processInstanceKey }),
        gateway.searchProcessInstances({ parentProcessInstanceKey: processInstanceKey }),
      ]);
      const ids = (pred: (state: string, hasIncident: boolean) => boolean) => [
        ...new Set(
          elements
            .filter((e) => e.type !== 'PROCESS' && pred(e.state, e.hasIncident))
            .map((e) => e.elementId),
        ),
      ];
      return {
        instance: { ...instance, projectId },
        bpmnXml: xml,
        activeElementIds: ids((s) => s === 'ACTIVE'),
        completedElementIds: ids((s) => s === 'COMPLETED'),
        incidentElementIds: [
          ...new Set(incidents.items.filter((i) => i.state === 'ACTIVE').map((i) => i.elementId)),
        ],
        incidents: incidents.items,
        calledInstances: children.items.map((c) => ({ ...c, projectId })),
      };
    },
  );

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
      const p = operator(request);
      const { incidentKey } = request.params as { incidentKey: string };
      const incident = await gateway.getIncident(incidentKey);
      if (!incident) throw problem.notFound(`故障 ${incidentKey} 不存在或无权查看`);
      const { projectId } = await tenantInstance(p.tenantId, incident.processInstanceKey).catch(() => {
        throw problem.notFound(`故障 ${incidentKey} 不存在或无权查看`);
      });
      if (incident.state !== 'ACTIVE') throw problem.conflict('故障已解决，无需重试');
      await engineTransaction(ctx, '重试故障', async (tx) => {
        await recordAudit(tx, request, ctx, {
          action: 'incident.retry',
          entityType: 'incident',
          entityId: incidentKey,
          projectId,
          payload: {
            processInstanceKey: incident.processInstanceKey,
            elementId: incident.elementId,
            errorType: incident.errorType,
            errorMessage: incident.errorMessage,
            jobKey: incident.jobKey,
          },
        });
        await gateway.retryIncident(incidentKey);
      });
      request.log.info(
        { projectId, processInstanceKey: incident.processInstanceKey, incidentKey },
        'incident retried',
      );
      return { incidentKey, processInstanceKey: incident.processInstanceKey, resolved: true };
    },
  );

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
      const p = operator(request);
      const { processInstanceKey } = request.params as { processInstanceKey: string };
      const { variables } = request.body as { variables: Record<string, unknown> };
      // The identity of an instance is not data to fix: its project and tenant stay what they are.
      for (const name of ['projectId', 'tenantId']) {
        if (Object.hasOwn(variables, name)) {
          throw problem.validation('不能修改流程实例的标识变量', [
            { field: `variables.${name}`, reason: '项目和租户标识不可修改' },
          ]);
        }
      }
      const { instance, projectId } = await tenantInstance(p.tenantId, processInstanceKey);
      if (instance.state !== 'ACTIVE') throw problem.conflict('流程实例已结束，不能修改变量');
      await engineTransaction(ctx, '修改流程变量', async (tx) => {
        await recordAudit(tx, request, ctx, {
          action: 'process-instance.variables',
          entityType: 'process-instance',
          entityId: processInstanceKey,
          projectId,
          payload: { variables },
        });
        await gateway.setVariables(processInstanceKey, variables);
      });
      request.log.info(
        { projectId, processInstanceKey, names: Object.keys(variables) },
        'process variables set',
      );
      return { processInstanceKey, names: Object.keys(variables) };
    },
  );

  app.post(
    '/ops/instances/:processInstanceKey/cancel',
    {
      schema: {
        tags: ['operations'],
        summary: '取消流程实例',
        params: keyParam('processInstanceKey'),
        body: cancelBody,
        response: { 200: cancelResponse, ...problemResponses },
      },
    },
    async (request) => {
      const p = operator(request);
      const { processInstanceKey } = request.params as { processInstanceKey: string };
      const reason = ((request.body ?? {}) as { reason?: string }).reason ?? null;
      const { instance, projectId } = await tenantInstance(p.tenantId, processInstanceKey);
      if (instance.state !== 'ACTIVE') throw problem.conflict('流程实例已结束，不能取消');
      const project = projectId ? await findProject(ctx.store.db, p.tenantId, projectId) : undefined;
      // Cancelling a project's lifecycle ends the project: its stage says so, in the same transaction.
      const endsProject = project?.processInstanceKey === processInstanceKey;
      await engineTransaction(ctx, '取消流程实例', async (tx) => {
        const at = ctx.now().toISOString();
        await recordAudit(tx, request, ctx, {
          action: 'process-instance.cancel',
          entityType: 'process-instance',
          entityId: processInstanceKey,
          projectId,
          payload: { processDefinitionId: instance.processDefinitionId, reason, endsProject },
        });
        if (endsProject && project) {
          await setStage(tx, {
            tenantId: p.tenantId,
            id: project.id,
            stage: 'terminated',
            accountId: p.accountId,
            at,
            note: { stage: 'terminated', cancelledProcessInstanceKey: processInstanceKey, reason },
          });
        }
        await gateway.cancelProcessInstance(processInstanceKey);
      });
      request.log.info({ projectId, processInstanceKey }, 'process instance cancelled');
      return { processInstanceKey, state: 'TERMINATED', projectId };
    },
  );
}
