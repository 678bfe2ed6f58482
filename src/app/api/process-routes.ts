import { PROJECT_STAGES } from '../../store/projects.ts';
import { fileProjectFiling } from '../commands/filings.ts';
import { requestAuditMaterials, requestCoordination, requestInfrastructure } from '../commands/requests.ts';
import { contestResult } from '../commands/result-contests.ts';
import { submitProject } from '../commands/submit.ts';
import { projectTimeline } from '../queries/timeline.ts';
import { type ApiApp, type ApiContext, actorOf, principalOf } from './context.ts';
import {
  auditRequestBody,
  coordinationRequestBody,
  infrastructureRequestBody,
  projectFilingBody,
  projectFilingResponse,
  resultContestBody,
  resultContestResponse,
  startedSchema,
  submitBody,
  submitResponse,
  timelineSchema,
} from './process-schemas.ts';
import { idParam, problemResponses } from './schemas.ts';

export function registerProcessRoutes(app: ApiApp, ctx: ApiContext): void {
  postProjectsProjectIdSubmit(app, ctx);
  postProjectsProjectIdFilings(app, ctx);
  postProjectsProjectIdResultContests(app, ctx);
  postInfrastructureRequests(app, ctx);
  postCoordinationRequests(app, ctx);
  postAuditRequests(app, ctx);
  getProjectsProjectIdTimeline(app, ctx);
}

function postProjectsProjectIdSubmit(app: ApiApp, ctx: ApiContext): void {
  app.post(
    '/projects/:projectId/submit',
    {
      schema: {
        tags: ['processes'],
        summary: '提交立项申请（启动项目全生命周期流程）',
        params: idParam('projectId'),
        body: submitBody,
        response: { 201: submitResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { projectId } = request.params;
      const r = await submitProject(ctx, actorOf(request), { ...request.body, projectId });
      reply.code(201);
      return {
        project: { view: 'full', ...r.project, stageName: PROJECT_STAGES[r.project.stage] },
        processInstanceKey: r.processInstanceKey,
        initiationRoute: r.initiationRoute,
      };
    },
  );
}

function postProjectsProjectIdFilings(app: ApiApp, ctx: ApiContext): void {
  app.post(
    '/projects/:projectId/filings',
    {
      schema: {
        tags: ['processes'],
        summary: '重大变更、延期交付、终止合同备案（IM-8、IM-9，仅实施阶段）',
        params: idParam('projectId'),
        body: projectFilingBody,
        response: { 202: projectFilingResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { projectId } = request.params;
      const { kind, ...fields } = request.body;
      const r = await fileProjectFiling(ctx, actorOf(request), { projectId, kind, fields });
      reply.code(202);
      return {
        kind,
        message: `${r.name}已提交，等待市政数局登记`,
        projectId,
        processInstanceKey: r.processInstanceKey,
      };
    },
  );
}

function postProjectsProjectIdResultContests(app: ApiApp, ctx: ApiContext): void {
  app.post(
    '/projects/:projectId/result-contests',
    {
      schema: {
        tags: ['processes'],
        summary:
          '对应用软件第三方测试、第三方验收测评、信息安全测评结论提出异议（IM-4、AC-3，仅在相应整改环节）',
        params: idParam('projectId'),
        body: resultContestBody,
        response: { 202: resultContestResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { projectId } = request.params;
      const { result, reasons } = request.body;
      const r = await contestResult(ctx, actorOf(request), { projectId, result, reasons });
      reply.code(202);
      return {
        result,
        message: `对${r.name}结论的异议已提交，等待市政数局审查`,
        projectId,
        processInstanceKey: r.processInstanceKey,
      };
    },
  );
}

function postInfrastructureRequests(app: ApiApp, ctx: ApiContext): void {
  app.post(
    '/infrastructure-requests',
    {
      schema: {
        tags: ['processes'],
        summary: '基础设施服务申请（IM-6）',
        body: infrastructureRequestBody,
        response: { 201: startedSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const started = await requestInfrastructure(ctx, actorOf(request), request.body);
      reply.code(201);
      return started;
    },
  );
}

function postCoordinationRequests(app: ApiApp, ctx: ApiContext): void {
  app.post(
    '/coordination-requests',
    {
      schema: {
        tags: ['processes'],
        summary: '重大问题协调需求（IM-7）',
        body: coordinationRequestBody,
        response: { 201: startedSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const started = await requestCoordination(ctx, actorOf(request), request.body);
      reply.code(201);
      return started;
    },
  );
}

function postAuditRequests(app: ApiApp, ctx: ApiContext): void {
  app.post(
    '/audit-requests',
    {
      // SV-3: Audit's own request; it changes no project data, so the read-only role may send it.
      config: { allowReadOnly: true },
      schema: {
        tags: ['processes'],
        summary: '审计资料调取（SV-3）',
        body: auditRequestBody,
        response: { 201: startedSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const started = await requestAuditMaterials(ctx, actorOf(request), request.body);
      reply.code(201);
      return started;
    },
  );
}

function getProjectsProjectIdTimeline(app: ApiApp, ctx: ApiContext): void {
  app.get(
    '/projects/:projectId/timeline',
    {
      schema: {
        tags: ['processes'],
        summary: '项目时间线：业务记录与流程历史',
        params: idParam('projectId'),
        response: { 200: timelineSchema, ...problemResponses },
      },
    },
    async (request) => projectTimeline(ctx, principalOf(request), request.params.projectId, request.log),
  );
}
