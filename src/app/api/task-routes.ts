import { claimTask, completeTask, unclaimTask } from '../commands/tasks.ts';
import { taskDetail, taskInbox } from '../queries/tasks.ts';
import { type ApiApp, type ApiContext, actorOf, principalOf } from './context.ts';
import {
  completeTaskBody,
  keyParam,
  taskActionResponse,
  taskDetailSchema,
  taskListQuery,
  taskListSchema,
} from './process-schemas.ts';
import { problemResponses } from './schemas.ts';

export function registerTaskRoutes(app: ApiApp, ctx: ApiContext): void {
  getTasks(app, ctx);
  getTasksUserTaskKey(app, ctx);
  postTasksUserTaskKeyClaim(app, ctx);
  postTasksUserTaskKeyUnclaim(app, ctx);
  postTasksUserTaskKeyComplete(app, ctx);
}

function getTasks(app: ApiApp, ctx: ApiContext): void {
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
        response: { 200: taskDetailSchema, ...problemResponses },
      },
    },
    async (request) => taskDetail(ctx, principalOf(request), request.params.userTaskKey),
  );
}

function postTasksUserTaskKeyClaim(app: ApiApp, ctx: ApiContext): void {
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
