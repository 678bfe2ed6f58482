// The task inbox of the signed-in user and the work on one task: read it with its form, claim, unclaim, complete.
// Adapters only: the inbox and task queries are in src/app/queries/tasks.ts, the commands in
// src/app/commands/tasks.ts (a completion is validated against the task's Camunda form and audited, SV-4).
import type { FastifyInstance } from 'fastify';
import { claimTask, completeTask, unclaimTask } from '../commands/tasks.ts';
import type { Variables } from '../process-gateway.ts';
import { type InboxQuery, taskDetail, taskInbox } from '../queries/tasks.ts';
import { type ApiContext, actorOf, principalOf } from './context.ts';
import {
  completeTaskBody,
  keyParam,
  taskActionResponse,
  taskDetailSchema,
  taskListQuery,
  taskListSchema,
} from './process-schemas.ts';
import { problemResponses } from './schemas.ts';

type TaskParams = { Params: { userTaskKey: string } };

export function registerTaskRoutes(app: FastifyInstance, ctx: ApiContext): void {
  getTasks(app, ctx);
  getTasksUserTaskKey(app, ctx);
  postTasksUserTaskKeyClaim(app, ctx);
  postTasksUserTaskKeyUnclaim(app, ctx);
  postTasksUserTaskKeyComplete(app, ctx);
}

function getTasks(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: InboxQuery }>(
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

function getTasksUserTaskKey(app: FastifyInstance, ctx: ApiContext): void {
  app.get<TaskParams>(
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

function postTasksUserTaskKeyClaim(app: FastifyInstance, ctx: ApiContext): void {
  app.post<TaskParams>(
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

function postTasksUserTaskKeyUnclaim(app: FastifyInstance, ctx: ApiContext): void {
  app.post<TaskParams>(
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

function postTasksUserTaskKeyComplete(app: FastifyInstance, ctx: ApiContext): void {
  app.post<TaskParams & { Body: { variables: Variables } }>(
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
