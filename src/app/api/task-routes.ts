// The task inbox of the signed-in user (the pages' task list; never /v2 directly): the tasks of their candidate
// groups — roles and `unit-<unitId>` — and those they claimed, with due dates counted in working days; one task with
// its Camunda form and the variables the form shows; claim, unclaim and complete. A completion is validated against
// the form (required fields, allowed values, no field the form does not have — a Unit cannot overwrite `ownerGroup`
// or `tenantId` through a task) and is an audited decision (SV-4).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { ZONE } from '../../domain/index.ts';
import { findAccount } from '../../store/accounts.ts';
import { candidateGroupsOf, decideTask, type Principal, type TaskTarget } from '../authz.ts';
import { formFields, formIssues, formVariableNames } from '../forms/submission.ts';
import { problem } from '../problem.ts';
import type { OperableProcessGateway, UserTask, Variables } from '../process-gateway.ts';
import { type ApiContext, ensure, principalOf, recordAudit } from './context.ts';
import { engineTransaction, tenantOfVariables } from './process-routes.ts';
import {
  completeTaskBody,
  keyParam,
  problemResponses,
  taskActionResponse,
  taskDetailSchema,
  taskListQuery,
  taskListSchema,
} from './schemas.ts';

/** Process variables every task item shows: which project or request it is about, and whose tenant. */
const CONTEXT_VARIABLES = ['tenantId', 'projectId', 'projectName', 'unitId', 'unitName'];

// --- routes ----------------------------------------------------------------------------------------------------

interface LoadedTask {
  task: UserTask;
  variables: Variables;
  target: TaskTarget;
}

export function registerTaskRoutes(
  app: FastifyInstance,
  ctx: ApiContext,
  gateway: OperableProcessGateway,
): void {
  const calendar = ctx.regulation.calendar;

  /**
   * The countdown in working days (src/domain's calendar). The due date is provisional when the period it was
   * counted over — from the task's creation to its due day — runs into a year whose official holiday schedule is
   * not published yet (as yunfu.compute-due-date flags it).
   */
  const dueInfo = (creationDate: string, dueDate: string | null) => {
    if (!dueDate) return { workingDaysLeft: null, overdue: false, dueDateProvisional: false };
    const now = ctx.now();
    const due = Date.parse(dueDate);
    const year = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE }).year;
    const from = Math.min(year(Date.parse(creationDate)), year(due));
    let provisional = false;
    for (let y = from; y <= year(due); y++) if (!calendar.hasSchedule(y)) provisional = true;
    return {
      workingDaysLeft: calendar.workingDaysLeft(now, due),
      overdue: now.getTime() > due,
      dueDateProvisional: provisional,
    };
  };

  const names = new Map<string, string | null>();
  const accountName = async (accountId: string | null) => {
    if (!accountId) return null;
    if (!names.has(accountId))
      names.set(accountId, (await findAccount(ctx.store.db, accountId))?.displayName ?? null);
    return names.get(accountId) ?? null;
  };

  const item = async (p: Principal, t: UserTask, vars: Variables) => {
    const s = (k: string) => (typeof vars[k] === 'string' ? (vars[k] as string) : null);
    return {
      userTaskKey: t.userTaskKey,
      name: t.name,
      elementId: t.elementId,
      state: t.state,
      processDefinitionId: t.processDefinitionId,
      processName: (t as UserTask & { processName?: string }).processName ?? null,
      processInstanceKey: t.processInstanceKey,
      projectId: s('projectId'),
      projectName: s('projectName'),
      unitId: s('unitId'),
      unitName: s('unitName'),
      candidateGroups: t.candidateGroups,
      assignee: t.assignee,
      assigneeName: await accountName(t.assignee),
      assignedToMe: t.assignee === p.accountId,
      creationDate: t.creationDate,
      dueDate: t.dueDate,
      ...dueInfo(t.creationDate, t.dueDate),
      formKey: t.formKey,
    };
  };

  /** The task as the principal may see it (404 otherwise), with the variables it sees. */
  const load = async (request: FastifyRequest, key: string, action: 'task.read' | 'task.work') => {
    const p = principalOf(request);
    const task = await gateway.getUserTask(key);
    if (!task) throw problem.notFound('任务不存在或无权查看');
    const variables = await gateway.userTaskVariables(key);
    const target: TaskTarget = {
      tenantId: tenantOfVariables(variables),
      candidateGroups: task.candidateGroups,
      assignee: task.assignee,
    };
    ensure(decideTask(p, action, target));
    return { p, loaded: { task, variables, target } satisfies LoadedTask };
  };

  const ensureOpen = (task: UserTask) => {
    if (task.state !== 'CREATED')
      throw problem.conflict(`任务已${task.state === 'COMPLETED' ? '办结' : '取消'}，不能再办理`);
  };

  app.get(
    '/tasks',
    {
      schema: {
        tags: ['tasks'],
        summary: '我的待办任务（我所在候选组的和我认领的）',
        querystring: taskListQuery,
        response: { 200: taskListSchema, ...problemResponses },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const q = request.query as { scope: 'mine' | 'groups' | 'all'; projectId?: string };
      const groups = candidateGroupsOf(p);
      const found = new Map<string, UserTask>();
      const base = { state: 'CREATED' as const, ...(q.projectId ? { projectId: q.projectId } : {}) };
      if (q.scope !== 'mine' && groups.length > 0) {
        for (const t of (await gateway.searchUserTasks({ ...base, candidateGroups: groups })).items)
          found.set(t.userTaskKey, t);
      }
      if (q.scope !== 'groups') {
        for (const t of (await gateway.searchUserTasks({ ...base, assignee: p.accountId })).items)
          found.set(t.userTaskKey, t);
      }
      const tasks = [...found.values()];
      const vars = await gateway.instanceVariables(
        tasks.map((t) => t.processInstanceKey),
        CONTEXT_VARIABLES,
      );
      // SU-3: the business tenant is a process variable; a group name (`unit-gongan`) exists in several tenants.
      const mine = tasks.filter((t) => tenantOfVariables(vars.get(t.processInstanceKey)) === p.tenantId);
      const items = [];
      for (const t of mine) items.push(await item(p, t, vars.get(t.processInstanceKey) ?? {}));
      items.sort(
        (a, b) =>
          (a.dueDate ? Date.parse(a.dueDate) : Number.POSITIVE_INFINITY) -
            (b.dueDate ? Date.parse(b.dueDate) : Number.POSITIVE_INFINITY) ||
          Date.parse(a.creationDate) - Date.parse(b.creationDate),
      );
      return { items, total: items.length };
    },
  );

  app.get(
    '/tasks/:userTaskKey',
    {
      schema: {
        tags: ['tasks'],
        summary: '任务详情：表单（Camunda Forms）与表单显示的数据',
        params: keyParam('userTaskKey'),
        response: { 200: taskDetailSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { userTaskKey } = request.params as { userTaskKey: string };
      const { p, loaded } = await load(request, userTaskKey, 'task.read');
      const form = await gateway.getUserTaskForm(userTaskKey);
      const shown: Variables = {};
      const wanted = form ? formVariableNames(form.schema) : new Set<string>();
      for (const k of CONTEXT_VARIABLES) wanted.add(k);
      for (const [k, v] of Object.entries(loaded.variables)) if (wanted.has(k)) shown[k] = v;
      return {
        task: await item(p, loaded.task, loaded.variables),
        form: form
          ? {
              ...form,
              requiredFields: formFields(form.schema)
                .filter((f) => f.required)
                .map((f) => f.path),
            }
          : null,
        variables: shown,
      };
    },
  );

  app.post(
    '/tasks/:userTaskKey/claim',
    {
      schema: {
        tags: ['tasks'],
        summary: '认领任务',
        params: keyParam('userTaskKey'),
        response: { 200: taskActionResponse, ...problemResponses },
      },
    },
    async (request) => {
      const { userTaskKey } = request.params as { userTaskKey: string };
      const { p, loaded } = await load(request, userTaskKey, 'task.work');
      ensureOpen(loaded.task);
      if (loaded.task.assignee && loaded.task.assignee !== p.accountId) {
        throw problem.conflict(`任务已由${(await accountName(loaded.task.assignee)) ?? '他人'}认领`);
      }
      await engineTransaction(ctx, '认领任务', async (tx) => {
        await recordAudit(tx, request, ctx, {
          action: 'task.claim',
          entityType: 'user-task',
          entityId: userTaskKey,
          projectId: (loaded.variables.projectId as string | undefined) ?? null,
          payload: { elementId: loaded.task.elementId, processInstanceKey: loaded.task.processInstanceKey },
        });
        if (loaded.task.assignee !== p.accountId) await gateway.assignUserTask(userTaskKey, p.accountId);
      });
      return { userTaskKey, state: 'CREATED', assignee: p.accountId };
    },
  );

  app.post(
    '/tasks/:userTaskKey/unclaim',
    {
      schema: {
        tags: ['tasks'],
        summary: '取消认领（退回候选组）',
        params: keyParam('userTaskKey'),
        response: { 200: taskActionResponse, ...problemResponses },
      },
    },
    async (request) => {
      const { userTaskKey } = request.params as { userTaskKey: string };
      const { p, loaded } = await load(request, userTaskKey, 'task.work');
      ensureOpen(loaded.task);
      if (!loaded.task.assignee) throw problem.conflict('任务尚未被认领');
      if (loaded.task.assignee !== p.accountId) throw problem.forbidden('只能取消自己认领的任务');
      await engineTransaction(ctx, '取消认领', async (tx) => {
        await recordAudit(tx, request, ctx, {
          action: 'task.unclaim',
          entityType: 'user-task',
          entityId: userTaskKey,
          projectId: (loaded.variables.projectId as string | undefined) ?? null,
          payload: { elementId: loaded.task.elementId, processInstanceKey: loaded.task.processInstanceKey },
        });
        await gateway.unassignUserTask(userTaskKey);
      });
      return { userTaskKey, state: 'CREATED', assignee: null };
    },
  );

  app.post(
    '/tasks/:userTaskKey/complete',
    {
      schema: {
        tags: ['tasks'],
        summary: '办理（完成）任务：提交表单',
        params: keyParam('userTaskKey'),
        body: completeTaskBody,
        response: { 200: taskActionResponse, ...problemResponses },
      },
    },
    async (request) => {
      const { userTaskKey } = request.params as { userTaskKey: string };
      const { variables } = request.body as { variables: Variables };
      const { p, loaded } = await load(request, userTaskKey, 'task.work');
      ensureOpen(loaded.task);
      if (loaded.task.assignee && loaded.task.assignee !== p.accountId) {
        throw problem.conflict(
          `任务已由${(await accountName(loaded.task.assignee)) ?? '他人'}认领，请先由其退回`,
        );
      }
      const form = await gateway.getUserTaskForm(userTaskKey);
      const { issues } = formIssues(form, variables, loaded.variables);
      if (issues.length > 0) {
        throw problem.validation(
          `表单填写有误：${issues.map((i) => `${i.field} ${i.reason}`).join('；')}`,
          issues,
        );
      }
      const projectId = (loaded.variables.projectId as string | undefined) ?? null;
      await engineTransaction(ctx, '办理任务', async (tx) => {
        // SV-4: every decision is in the trail — who, which task of which process, what was decided.
        await recordAudit(tx, request, ctx, {
          action: 'task.complete',
          entityType: 'user-task',
          entityId: userTaskKey,
          projectId,
          payload: {
            elementId: loaded.task.elementId,
            name: loaded.task.name,
            processDefinitionId: loaded.task.processDefinitionId,
            processInstanceKey: loaded.task.processInstanceKey,
            candidateGroups: loaded.task.candidateGroups,
            variables,
          },
        });
        try {
          await gateway.completeUserTask(userTaskKey, variables, 'complete');
        } catch (e) {
          // Completed or cancelled meanwhile (another request, a timer): the task is gone.
          const status = (e as { status?: number }).status;
          if (status === 404 || status === 409) throw problem.conflict('任务已办结或已取消，不能再办理');
          throw e;
        }
      });
      request.log.info(
        {
          projectId,
          processInstanceKey: loaded.task.processInstanceKey,
          userTaskKey,
          elementId: loaded.task.elementId,
        },
        'task completed',
      );
      return { userTaskKey, state: 'COMPLETED', assignee: loaded.task.assignee ?? p.accountId };
    },
  );
}
