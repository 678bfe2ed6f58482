// What the operations view reads: the annual filing campaign board (P-1: which Units filed on time, late, or not
// yet), process instances of the principal's tenant, and one instance with its diagram, elements and incidents.
import { filingDeadline } from '../../domain/annual-plan.ts';
import { listAnnualPlans } from '../../store/annual-plans.ts';
import { listUnits } from '../../store/units.ts';
import type { Principal } from '../authz.ts';
import { type CommandContext, gatewayOf, tenantOfVariables } from '../commands/context.ts';
import { ensureOperator, tenantInstance } from '../commands/operate.ts';
import { MOVABLE_TO } from '../commands/ops-changes.ts';
import type { ProcessInstance } from '../process-gateway.ts';
import { readProcessModel } from './bpmn-model.ts';
import { type InstanceFilterInput, instanceFilter } from './ops-filter.ts';

const STATUS_NAMES = {
  'on-time': '按时备案',
  late: '逾期备案',
  pending: '尚未备案',
  overdue: '逾期未备案',
} as const;
type CampaignStatus = keyof typeof STATUS_NAMES;

export async function campaignBoard(ctx: CommandContext, p: Principal, planYear: number) {
  ensureOperator(p);
  const now = ctx.now();
  const window = filingDeadline(planYear, ctx.regulation.rules.editionAt(now, p.tenantId).annualPlanDeadline);
  const passed = now.getTime() > window.deadlineMs;
  const [units, plans] = await Promise.all([
    listUnits(ctx.store.db, p.tenantId),
    listAnnualPlans(ctx.store.db, { tenantId: p.tenantId, planYear }),
  ]);
  const byUnit = new Map(plans.map((x) => [x.unitId, x]));
  const rows = units.map((u) => {
    const plan = byUnit.get(u.id);
    const status: CampaignStatus = plan ? (plan.onTime ? 'on-time' : 'late') : passed ? 'overdue' : 'pending';
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
  const count = (s: CampaignStatus) => rows.filter((r) => r.status === s).length;
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
}

async function withProjects(ctx: CommandContext, tenantId: string, instances: ProcessInstance[]) {
  const vars = await gatewayOf(ctx).instanceVariables(
    instances.map((i) => i.processInstanceKey),
    ['tenantId', 'projectId'],
  );
  return instances
    .filter((i) => tenantOfVariables(vars.get(i.processInstanceKey)) === tenantId)
    .map((i) => {
      const projectId = vars.get(i.processInstanceKey)?.projectId;
      return { ...i, projectId: typeof projectId === 'string' ? projectId : null };
    });
}

export interface InstanceQuery extends InstanceFilterInput {
  page: number;
  pageSize: number;
}

/**
 * One page of the tenant's instances matching the filter, with the engine's true total (`page.totalItems` of
 * Camunda's search; the page is fetched by offset, never by reading everything).
 */
export async function listInstances(ctx: CommandContext, p: Principal, q: InstanceQuery) {
  ensureOperator(p);
  // SU-3: the tenant is a process variable, filtered in the engine (as projectId) so that pages and totals
  // count this tenant's instances only
  const found = await gatewayOf(ctx).searchProcessInstances({
    ...instanceFilter(q, p.tenantId),
    page: { from: (q.page - 1) * q.pageSize, limit: q.pageSize },
  });
  return {
    items: await withProjects(ctx, p.tenantId, found.items),
    total: found.total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

export async function instanceDetail(ctx: CommandContext, p: Principal, processInstanceKey: string) {
  ensureOperator(p);
  const gateway = gatewayOf(ctx);
  const { instance, projectId } = await tenantInstance(ctx, p.tenantId, processInstanceKey);
  const changes = gateway.changes();
  const [xml, elements, incidents, children, statistics, takenFlowIds, callHierarchy] = await Promise.all([
    gateway.processDefinitionXml(instance.processDefinitionKey),
    gateway.elementInstances(processInstanceKey),
    gateway.searchIncidents({ processInstanceKey }),
    gateway.searchProcessInstances({ parentProcessInstanceKey: processInstanceKey }),
    // Operate's diagram: counts per element, the path taken, and where the instance sits in its call hierarchy
    changes.elementStatistics(processInstanceKey),
    changes.sequenceFlows(processInstanceKey),
    changes.callHierarchy(processInstanceKey),
  ]);
  const model = await readProcessModel(xml, instance.processDefinitionId);
  const ids = (pred: (state: string) => boolean) => [
    ...new Set(elements.filter((e) => e.type !== 'PROCESS' && pred(e.state)).map((e) => e.elementId)),
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
    elementStatistics: statistics,
    takenFlowIds,
    callHierarchy,
    // where the page offers to move a token (commands/ops-changes.ts checks the move itself)
    movableElementIds: [...model.nodes.values()].filter((n) => MOVABLE_TO.has(n.type)).map((n) => n.id),
  };
}
