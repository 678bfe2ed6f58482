// PUB-1: the Bureau's view of its needs collections — who was asked, who answered what, who did not answer by the
// deadline, and the public projects consolidated from them. Read from the engine (the collection's variables), the
// tenant's own collections only (SU-3).

import type { Principal } from '../authz.ts';
import { decide } from '../authz.ts';
import type { CommandContext } from '../commands/context.ts';
import { ensure, gatewayOf } from '../commands/context.ts';
import { NEEDS_COLLECTION_PROCESS } from '../commands/needs-collections.ts';
import type { Variables } from '../process-gateway.ts';

export type AnswerStatus = 'answered' | 'waiting' | 'not-answered';

export interface UnitAnswer {
  unitId: string;
  unitName: string;
  status: AnswerStatus;
  hasNeed: boolean | null;
  needDescription: string | null;
  estimatedAmount: number | null;
}

export interface NeedsCollectionView {
  needsCollectionId: string;
  processInstanceKey: string;
  state: string;
  planYear: number | null;
  needsCollectionDue: string | null;
  openedAt: string | null;
  answers: UnitAnswer[];
  publicProjects: Array<{ projectId: string; projectName: string; leadUnitId: string }>;
}

const NAMES = [
  'needsCollectionId',
  'tenantId',
  'planYear',
  'units',
  'unitNeeds',
  'needsCollectionDue',
  'openedAt',
  'publicProjects',
];

type Need = { unitId?: unknown; hasNeed?: unknown; needDescription?: unknown; estimatedAmount?: unknown };

function answersOf(v: Variables, closed: boolean): UnitAnswer[] {
  const units = Array.isArray(v.units) ? (v.units as Array<{ unitId: string; unitName: string }>) : [];
  const needs = Array.isArray(v.unitNeeds) ? (v.unitNeeds as Need[]) : [];
  return units.map((u) => {
    const n = needs.find((x) => x.unitId === u.unitId);
    if (!n) {
      const status: AnswerStatus = closed ? 'not-answered' : 'waiting';
      return { ...u, status, hasNeed: null, needDescription: null, estimatedAmount: null };
    }
    return {
      ...u,
      status: 'answered',
      hasNeed: n.hasNeed === true,
      needDescription: typeof n.needDescription === 'string' ? n.needDescription : null,
      estimatedAmount: typeof n.estimatedAmount === 'number' ? n.estimatedAmount : null,
    };
  });
}

export async function listNeedsCollections(
  ctx: CommandContext,
  p: Principal,
): Promise<{ items: NeedsCollectionView[] }> {
  ensure(decide(p, 'needs.read', { tenantId: p.tenantId }));
  const gateway = gatewayOf(ctx);
  const found = await gateway.searchProcessInstances({
    processDefinitionId: NEEDS_COLLECTION_PROCESS,
    variables: { tenantId: p.tenantId },
    page: { from: 0, limit: 100 },
  });
  const instances = found.items.filter((i) => i.parentProcessInstanceKey === null);
  const vars = await gateway.instanceVariables(
    instances.map((i) => i.processInstanceKey),
    NAMES,
  );
  const now = ctx.now().getTime();
  const items = instances.map((i): NeedsCollectionView => {
    const v = vars.get(i.processInstanceKey) ?? {};
    const due = typeof v.needsCollectionDue === 'string' ? v.needsCollectionDue : null;
    const closed = i.state !== 'ACTIVE' || (due !== null && Date.parse(due) <= now);
    return {
      needsCollectionId: String(v.needsCollectionId ?? ''),
      processInstanceKey: i.processInstanceKey,
      state: i.state,
      planYear: typeof v.planYear === 'number' ? v.planYear : null,
      needsCollectionDue: due,
      openedAt: typeof v.openedAt === 'string' ? v.openedAt : null,
      answers: answersOf(v, closed),
      publicProjects: Array.isArray(v.publicProjects)
        ? (v.publicProjects as NeedsCollectionView['publicProjects'])
        : [],
    };
  });
  items.sort((a, b) => (b.openedAt ?? '').localeCompare(a.openedAt ?? ''));
  return { items };
}
