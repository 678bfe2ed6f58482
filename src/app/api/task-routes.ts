import { assignTask, colleaguesFor, updateTaskSchedule } from '../commands/task-assign.ts';
import { claimTask, completeTask, unclaimTask } from '../commands/tasks.ts';
import { taskHistory, taskVariables } from '../queries/task-history.ts';
import { taskDetail, taskInbox } from '../queries/tasks.ts';
import { type ApiApp, type ApiContext, actorOf, principalOf } from './context.ts';
import {
  completeTaskBody,
  keyParam,
  taskActionResponse,
  taskDetailSchema,
  taskListQuery,
  taskListSchema,
  taskSchema,
} from './process-schemas.ts';
import { isoDate, problemResponses } from './schemas.ts';

const name = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._-]+$' } as const;

/** The task list's query: assignment, state, due, process, project, Unit, search; sort and order; page. */
const inboxQuery = {
  ...taskListQuery,
  properties: {
    ...taskListQuery.properties,
    scope: {
      type: 'string',
      enum: ['mine', 'groups', 'all', 'unassigned', 'overview'],
      default: 'all',
      description:
        'mine: 我认领的；groups: 我所在候选组的；unassigned: 我所在组未认领的；all: 我认领的和我所在组的；overview: 全辖区所有任务（只读，仅管理局管理员和审计人员）',
    },
    state: {
      type: 'string',
      enum: ['open', 'completed'],
      default: 'open',
      description: 'open: 待办；completed: 已办',
    },
    due: { type: 'string', enum: ['overdue', 'week'], description: 'overdue: 已逾期；week: 本周到期' },
    processDefinitionId: { ...name, description: '流程（BPMN process id）' },
    elementId: { ...name, description: '环节（任务的 BPMN 元素 id）' },
    unitId: { ...name, description: '项目所属单位' },
    q: { type: 'string', minLength: 1, maxLength: 100, description: '项目名称或编号（包含即可）' },
    sort: {
      type: 'string',
      enum: ['due', 'created', 'created-desc', 'priority', 'follow-up', 'completed'],
      description:
        'due: 到期时间（无期限的在后）；created: 创建时间；priority: 优先级（默认高的在前）；follow-up: 跟进日期；completed: 办结时间（已办默认）',
    },
    order: { type: 'string', enum: ['asc', 'desc'], description: '升序或降序（缺省为该排序的自然顺序）' },
  },
} as const;

/** A task as the list shows it, with Camunda's priority and follow-up date and, once done, its completion. */
const inboxItem = {
  ...taskSchema,
  properties: {
    ...taskSchema.properties,
    priority: { type: 'integer', minimum: 0, maximum: 100, description: '优先级 0–100（缺省 50）' },
    followUpDate: { type: ['string', 'null'], description: '跟进日期' },
    completionDate: { type: ['string', 'null'], description: '办结时间' },
  },
} as const;

const detailSchema = {
  ...taskDetailSchema,
  properties: { ...taskDetailSchema.properties, task: inboxItem },
} as const;

const inboxSchema = {
  ...taskListSchema,
  properties: { ...taskListSchema.properties, items: { type: 'array', items: inboxItem } },
} as const;

export function registerTaskRoutes(app: ApiApp, ctx: ApiContext): void {
  getTasks(app, ctx);
  getTasksUserTaskKey(app, ctx);
  postTasksUserTaskKeyClaim(app, ctx);
  postTasksUserTaskKeyUnclaim(app, ctx);
  postTasksUserTaskKeyComplete(app, ctx);
  getTasksUserTaskKeyColleagues(app, ctx);
  postTasksUserTaskKeyAssignment(app, ctx);
  patchTasksUserTaskKey(app, ctx);
  getTasksUserTaskKeyHistory(app, ctx);
  getTasksUserTaskKeyVariables(app, ctx);
}

function getTasks(app: ApiApp, ctx: ApiContext): void {
  app.get(
    '/tasks',
    {
      schema: {
        tags: ['tasks'],
        summary: '任务列表：待办与已办，按认领、期限、流程、项目、单位筛选，按项目名称或编号搜索，排序，分页',
        querystring: inboxQuery,
        response: { 200: inboxSchema, ...problemResponses },
      },
    },
    async (request) => taskInbox(ctx, principalOf(request), request.query),
  );
}

function getTasksUserTaskKey(app: ApiApp, ctx: ApiContext): void {
  app.get(
    '/tasks/:userTaskKey',
    {
      schema: {
        tags: ['tasks'],
        summary: '任务详情：表单（Camunda Forms）与表单显示的数据',
        params: keyParam('userTaskKey'),
        response: { 200: detailSchema, ...problemResponses },
      },
    },
    async (request) => taskDetail(ctx, principalOf(request), request.params.userTaskKey),
  );
}

function postTasksUserTaskKeyClaim(app: ApiApp, ctx: ApiContext): void {
  app.post(
    '/tasks/:userTaskKey/claim',
    {
      // Audit (G-8) works the tasks of its own group only — SV-3's review of what it asked for; decideTask says.
      config: { allowReadOnly: true },
      schema: {
        tags: ['tasks'],
        summary: '认领任务',
        params: keyParam('userTaskKey'),
        response: { 200: taskActionResponse, ...problemResponses },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { userTaskKey } = request.params;
      await claimTask(ctx, actor, userTaskKey);
      return { userTaskKey, state: 'CREATED', assignee: actor.principal.accountId };
    },
  );
}

function postTasksUserTaskKeyUnclaim(app: ApiApp, ctx: ApiContext): void {
  app.post(
    '/tasks/:userTaskKey/unclaim',
    {
      // Audit (G-8) works the tasks of its own group only — SV-3's review of what it asked for; decideTask says.
      config: { allowReadOnly: true },
      schema: {
        tags: ['tasks'],
        summary: '取消认领（退回候选组）',
        params: keyParam('userTaskKey'),
        response: { 200: taskActionResponse, ...problemResponses },
      },
    },
    async (request) => {
      const { userTaskKey } = request.params;
      await unclaimTask(ctx, actorOf(request), userTaskKey);
      return { userTaskKey, state: 'CREATED', assignee: null };
    },
  );
}

function postTasksUserTaskKeyComplete(app: ApiApp, ctx: ApiContext): void {
  app.post(
    '/tasks/:userTaskKey/complete',
    {
      // Audit (G-8) works the tasks of its own group only — SV-3's review of what it asked for; decideTask says.
      config: { allowReadOnly: true },
      schema: {
        tags: ['tasks'],
        summary: '办理（完成）任务：提交表单',
        params: keyParam('userTaskKey'),
        body: completeTaskBody,
        response: { 200: taskActionResponse, ...problemResponses },
      },
    },
    async (request) => {
      const { userTaskKey } = request.params;
      const { variables } = request.body;
      const { assignee } = await completeTask(ctx, actorOf(request), { userTaskKey, variables });
      return { userTaskKey, state: 'COMPLETED', assignee };
    },
  );
}

function getTasksUserTaskKeyColleagues(app: ApiApp, ctx: ApiContext): void {
  app.get(
    '/tasks/:userTaskKey/colleagues',
    {
      schema: {
        tags: ['tasks'],
        summary: '可转交的同事：该任务候选组内的账号',
        params: keyParam('userTaskKey'),
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: { type: 'string' },
                username: { type: 'string' },
                displayName: { type: 'string' },
              },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => colleaguesFor(ctx, actorOf(request), request.params.userTaskKey),
  );
}

function postTasksUserTaskKeyAssignment(app: ApiApp, ctx: ApiContext): void {
  app.post(
    '/tasks/:userTaskKey/assignment',
    {
      schema: {
        tags: ['tasks'],
        summary: '转交任务给同组同事（须为该任务候选组内的账号）',
        params: keyParam('userTaskKey'),
        body: {
          type: 'object',
          required: ['assignee'],
          additionalProperties: false,
          properties: {
            assignee: { type: 'string', minLength: 1, maxLength: 100, description: '同事的账号编号' },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: { ...taskActionResponse.properties, assigneeName: { type: 'string' } },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const { userTaskKey } = request.params;
      const done = await assignTask(ctx, actorOf(request), { userTaskKey, assignee: request.body.assignee });
      return { userTaskKey, state: 'CREATED', ...done };
    },
  );
}

function patchTasksUserTaskKey(app: ApiApp, ctx: ApiContext): void {
  app.patch(
    '/tasks/:userTaskKey',
    {
      schema: {
        tags: ['tasks'],
        summary: '设置跟进日期和优先级',
        params: keyParam('userTaskKey'),
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            followUpDate: { ...isoDate, description: '跟进日期（ISO 8601 日期时间）' },
            priority: { type: 'integer', minimum: 0, maximum: 100, description: '优先级 0–100（缺省 50）' },
          },
        },
        response: {
          200: { type: 'object', properties: { userTaskKey: { type: 'string' } } },
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const { userTaskKey } = request.params;
      await updateTaskSchedule(ctx, actorOf(request), { userTaskKey, ...request.body });
      return { userTaskKey };
    },
  );
}

const nullableText = { type: ['string', 'null'] } as const;

function getTasksUserTaskKeyHistory(app: ApiApp, ctx: ApiContext): void {
  app.get(
    '/tasks/:userTaskKey/history',
    {
      schema: {
        tags: ['tasks'],
        summary:
          '办理记录：本项目（无项目时本流程实例）已办结的任务，谁、何时、提交了什么决定（最新在前，最多 100 条）',
        params: keyParam('userTaskKey'),
        response: {
          200: {
            type: 'object',
            properties: {
              total: { type: 'integer' },
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    userTaskKey: { type: 'string' },
                    name: { type: 'string' },
                    elementId: { type: 'string' },
                    processDefinitionId: { type: 'string' },
                    completionDate: nullableText,
                    completedBy: {
                      type: ['object', 'null'],
                      properties: {
                        accountId: { type: 'string' },
                        displayName: nullableText,
                        role: { type: 'string' },
                      },
                    },
                    decision: { type: ['object', 'null'], additionalProperties: true },
                    decisionShown: {
                      type: ['object', 'null'],
                      description: '提交的决定，按任务表单的字段名称与选项名称（页面显示此项）',
                      properties: {
                        choice: nullableText,
                        lines: { type: 'array', items: { type: 'string' } },
                      },
                    },
                  },
                },
              },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => taskHistory(ctx, principalOf(request), request.params.userTaskKey),
  );
}

function getTasksUserTaskKeyVariables(app: ApiApp, ctx: ApiContext): void {
  app.get(
    '/tasks/:userTaskKey/variables',
    {
      schema: {
        tags: ['tasks'],
        summary: '任务变量（只读；不含受保护的标识、金额、决定和密钥类变量）',
        params: keyParam('userTaskKey'),
        response: {
          200: {
            type: 'object',
            properties: {
              variables: {
                type: 'array',
                items: { type: 'object', properties: { name: { type: 'string' }, value: {} } },
              },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => taskVariables(ctx, principalOf(request), request.params.userTaskKey),
  );
}
