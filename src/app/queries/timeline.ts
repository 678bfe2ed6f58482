// A project's timeline: its business history (drafts, edits, stage changes) merged with the process history of its
// lifecycle and every instance it called. Each human step says what was decided, automated steps are marked
// `internal` (timeline-decisions.ts). Finance sees the steps, not the content of each change or decision (SV-2).
import { listAudit } from '../../store/audit.ts';
import { PROJECT_STAGES, projectHistory } from '../../store/projects.ts';
import { type Principal, projectView } from '../authz.ts';
import { type CommandContext, type CommandLog, gatewayOf, visibleProject } from '../commands/context.ts';
import { RESULT_CONTEST_ACTION } from '../commands/result-contests.ts';
import { ProcessEngineError } from '../process-gateway.ts';
import { dueInfo } from './tasks.ts';
import { isInternal, withDecisions } from './timeline-decisions.ts';

const TIMELINE_TITLES: Record<string, (name: string) => string> = {
  'element-activated': (n) => `${n}：开始`,
  'element-completed': (n) => `${n}：完成`,
  'timer-fired': (n) => `${n}（到期触发）`,
  'message-correlated': (n) => `${n}（已收到）`,
  incident: (n) => `${n}：出现故障，待管理员处理`,
};

const BUSINESS_TITLES: Record<string, string> = {
  created: '创建项目草稿',
  edited: '修改项目草稿',
};

type Item = Record<string, unknown>;

/** The process part of the timeline, or null when the engine cannot tell (the business part is still shown). */
async function processItems(ctx: CommandContext, key: string, log: CommandLog, projectId: string) {
  try {
    return (await gatewayOf(ctx).processHistory(key)).map((e) => {
      const name = e.elementName ?? e.elementId;
      return {
        at: e.at,
        source: 'process',
        kind: e.kind,
        title: (TIMELINE_TITLES[e.kind] ?? ((n: string) => n))(name),
        elementId: e.elementId,
        ...(e.elementType ? { elementType: e.elementType } : {}),
        ...(e.processDefinitionId ? { processDefinitionId: e.processDefinitionId } : {}),
        processInstanceKey: e.processInstanceKey,
        ...(e.detail ? { detail: e.detail } : {}),
        internal: isInternal({ kind: e.kind, elementType: e.elementType, elementName: e.elementName }),
      };
    });
  } catch (e) {
    if (!(e instanceof ProcessEngineError)) throw e;
    log.warn({ projectId, processInstanceKey: key, err: e.message }, 'process history not available');
    return null;
  }
}

/** AC-3: the owner's contests of a third party's result, with their reasons (the Bureau's decision is its task's). */
async function contestItems(ctx: CommandContext, tenantId: string, projectId: string, withReasons: boolean) {
  const entries = await listAudit(ctx.store.db, { tenantId, projectId, action: RESULT_CONTEST_ACTION });
  return entries.map((e) => {
    const p = (e.payload ?? {}) as { resultName?: string; reasons?: string };
    return {
      at: e.at,
      source: 'business',
      kind: e.action,
      title: `对${p.resultName ?? '测评'}结论提出异议`,
      accountId: e.accountId,
      ...(withReasons && p.reasons ? { detail: `异议理由：${p.reasons}` } : {}),
    };
  });
}

/** The steps waiting for a person (issue 16): who acts next, since when, and the due date in working days. */
async function waitingSteps(ctx: CommandContext, p: Principal, projectId: string, log: CommandLog) {
  try {
    const open = await gatewayOf(ctx).searchUserTasks({
      projectId,
      tenantId: p.tenantId,
      state: 'CREATED',
      page: { from: 0, limit: 50 },
    });
    return open.items.map((t) => ({
      name: t.name,
      elementId: t.elementId,
      candidateGroups: t.candidateGroups,
      since: t.creationDate,
      dueDate: t.dueDate,
      ...dueInfo(ctx, t.creationDate, t.dueDate),
    }));
  } catch (e) {
    if (!(e instanceof ProcessEngineError)) throw e;
    log.warn({ projectId, err: e.message }, 'waiting steps not available');
    return null;
  }
}

export async function projectTimeline(ctx: CommandContext, p: Principal, projectId: string, log: CommandLog) {
  const project = await visibleProject(ctx, p, projectId);
  const fundsOnly = projectView(p) === 'funds';
  const items: Item[] = (await projectHistory(ctx.store.db, p.tenantId, project.id)).map((h) => ({
    at: h.at,
    source: 'business',
    kind: h.action,
    title:
      BUSINESS_TITLES[h.action] ??
      `项目阶段：${(PROJECT_STAGES as Record<string, string>)[h.stage] ?? h.stage}`,
    stage: h.stage,
    accountId: h.accountId,
    ...(fundsOnly ? {} : { changes: h.changes }),
  }));
  items.push(...(await contestItems(ctx, p.tenantId, project.id, !fundsOnly)));
  let available = true;
  let waiting: Awaited<ReturnType<typeof waitingSteps>> = [];
  if (project.processInstanceKey) {
    const process = await processItems(ctx, project.processInstanceKey, log, projectId);
    // SV-2: Finance follows the steps, not what each decided
    if (process && !fundsOnly) await withDecisions(ctx, p.tenantId, project.id, process, log);
    if (process) items.push(...process);
    else available = false;
    waiting = await waitingSteps(ctx, p, project.id, log);
    if (waiting === null) available = false;
  }
  // Stable: business records first within one instant (the submission precedes what it started).
  const order = (x: Item) => (x.source === 'business' ? 0 : 1);
  items.sort((a, b) => Date.parse(String(a.at)) - Date.parse(String(b.at)) || order(a) - order(b));
  return {
    projectId,
    processInstanceKey: project.processInstanceKey,
    processHistoryAvailable: available,
    waiting: waiting ?? [],
    items,
  };
}
