// The task inbox of the signed-in user (the pages' task list; never /v2 directly): the tasks of their candidate
// groups — roles and `unit-<unitId>` — and those they claimed, with due dates counted in working days; one task with
// its Camunda form and the variables the form shows; claim, unclaim and complete. A completion is validated against
// the form (required fields, allowed values, no field the form does not have — a Unit cannot overwrite `ownerGroup`
// or `tenantId` through a task) and is an audited decision (SV-4).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { type FieldIssue, ZONE } from '../../domain/index.ts';
import { findAccount } from '../../store/accounts.ts';
import { candidateGroupsOf, decideTask, type Principal, type TaskTarget } from '../authz.ts';
import { problem } from '../problem.ts';
import type { OperableProcessGateway, TaskForm, UserTask, Variables } from '../process-gateway.ts';
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

// --- Camunda Forms: the fields a form has, which are required, which values are allowed ------------------------

interface FormField {
  key: string;
  label: string;
  type: string;
  required: boolean;
  /** Allowed values of a radio, select or checklist, with their JSON types (`true`, not `"true"`). */
  values: unknown[] | null;
  /** `conditional.hide` of the field or an enclosing group. */
  hide: string[];
}

type Component = Record<string, unknown>;

const INPUT_TYPES = new Set([
  'textfield',
  'textarea',
  'number',
  'datetime',
  'checkbox',
  'checklist',
  'radio',
  'select',
  'taglist',
  'expression',
  'filepicker',
]);

export function formFields(schema: Record<string, unknown>): FormField[] {
  const fields: FormField[] = [];
  const walk = (components: unknown, hide: string[]) => {
    if (!Array.isArray(components)) return;
    for (const c of components as Component[]) {
      const conditional = (c.conditional as { hide?: unknown } | undefined)?.hide;
      const hides = typeof conditional === 'string' ? [...hide, conditional] : hide;
      if (typeof c.key === 'string' && INPUT_TYPES.has(String(c.type))) {
        const values = Array.isArray(c.values)
          ? (c.values as Array<{ value?: unknown }>).map((v) => v.value)
          : null;
        fields.push({
          key: c.key,
          label: typeof c.label === 'string' ? c.label : c.key,
          type: String(c.type),
          required: (c.validate as { required?: unknown } | undefined)?.required === true,
          values,
          hide: hides,
        });
      }
      // Groups nest their fields; dynamic lists repeat theirs under one key (validated as a whole by the engine).
      if (c.type === 'group' || c.type === 'iframe') walk(c.components, hides);
    }
  };
  walk(schema.components, []);
  return fields;
}

/**
 * Evaluates the simple FEEL conditions the forms use to hide fields (`=x != "a"`, `=x = true`, joined by `and`/
 * `or`). Anything else is "unknown": the field is then not required here, and the engine's gateways decide.
 */
export function hidden(expression: string, data: Variables): boolean | null {
  const body = expression.trim().replace(/^=/, '').trim();
  const evalOne = (part: string): boolean | null => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(!=|=)\s*(".*"|true|false|null|-?\d+(?:\.\d+)?)$/.exec(
      part.trim(),
    );
    if (!m) return null;
    const actual = data[m[1]!] ?? null;
    const expected: unknown = JSON.parse(m[3]!);
    const equal = actual === expected;
    return m[2] === '=' ? equal : !equal;
  };
  for (const op of [' or ', ' and '] as const) {
    if (body.includes(op)) {
      const parts = body.split(op).map(evalOne);
      if (parts.some((x) => x === null)) return null;
      return op === ' or ' ? parts.some(Boolean) : parts.every(Boolean);
    }
  }
  return evalOne(body);
}

/** What is wrong with `submitted` for this form, field by field (zh-CN). */
export function formIssues(
  form: TaskForm | null,
  submitted: Variables,
  context: Variables,
): { issues: FieldIssue[]; required: string[] } {
  const fields = form ? formFields(form.schema) : [];
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const issues: FieldIssue[] = [];
  for (const key of Object.keys(submitted)) {
    if (!byKey.has(key)) issues.push({ field: `variables.${key}`, reason: '表单中没有此字段，不能提交' });
  }
  const data = { ...context, ...submitted };
  const required: string[] = [];
  for (const f of fields) {
    const isHidden = f.hide.map((h) => hidden(h, data));
    if (isHidden.some((h) => h === true)) continue;
    const value = submitted[f.key];
    const empty =
      value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
    if (f.required && !isHidden.includes(null)) {
      required.push(f.key);
      if (empty) {
        issues.push({ field: `variables.${f.key}`, reason: `必填（${f.label}）` });
        continue;
      }
    }
    if (empty) continue;
    if (f.values && (f.type === 'radio' || f.type === 'select')) {
      if (!f.values.some((v) => v === value))
        issues.push({
          field: `variables.${f.key}`,
          reason: `必须是以下之一：${f.values.map((v) => JSON.stringify(v)).join('、')}`,
        });
    }
    if (f.type === 'number' && typeof value !== 'number') {
      issues.push({ field: `variables.${f.key}`, reason: '必须是数字' });
    }
    if (f.type === 'checkbox' && typeof value !== 'boolean') {
      issues.push({ field: `variables.${f.key}`, reason: '必须是布尔值（true/false）' });
    }
  }
  return { issues, required };
}

/** The variable names a form reads or writes: its field keys and the names in its texts and expressions. */
function formVariableNames(schema: Record<string, unknown>): Set<string> {
  const names = new Set<string>();
  const text = JSON.stringify(schema.components ?? []);
  for (const f of formFields(schema)) names.add(f.key);
  for (const m of text.matchAll(/"key":"([A-Za-z_][A-Za-z0-9_]*)"/g)) names.add(m[1]!);
  for (const m of text.matchAll(/\{\{([^}]*)\}\}/g)) {
    for (const id of m[1]!.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) names.add(id[0]);
  }
  for (const m of text.matchAll(/":"=([^"\\]*(?:\\.[^"\\]*)*)"/g)) {
    for (const id of m[1]!.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) names.add(id[0]);
  }
  return names;
}

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
                .map((f) => f.key),
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
