// The business API under /api: one encapsulated fastify plugin with its own validation (strict bodies, coerced
// query strings), authentication (session token → principal), the read-only rule for Audit, problem-details errors
// and every route. Routes that need the process engine are registered only when a ProcessGateway is given.
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainValidationError } from '../../domain/errors.ts';
import { findLiveSession } from '../../store/accounts.ts';
import { tokenFrom, tokenHash } from '../auth/tokens.ts';
import { isReadOnly } from '../authz.ts';
import { engineProblem } from '../commands/context.ts';
import { ProblemError, problem, problemBody } from '../problem.ts';
import { issuesOf, validatorCompiler } from '../validation.ts';
import { registerAuditRoutes } from './audit-routes.ts';
import type { ApiContext, ApiTypeProvider } from './context.ts';
import { registerDashboardRoutes } from './dashboard-routes.ts';
import { registerDocumentRoutes } from './document-routes.ts';
import { registerEvaluationRoutes } from './evaluation-routes.ts';
import { registerMailRoutes } from './mail-routes.ts';
import { registerNeedsRoutes } from './needs-routes.ts';
import { registerNotificationRoutes } from './notification-routes.ts';
import { registerOpsRoutes } from './ops-routes.ts';
import { registerPlanRoutes } from './plan-routes.ts';
import { registerProcessRoutes } from './process-routes.ts';
import { registerProjectRoutes } from './project-routes.ts';
import { registerSessionRoutes } from './session-routes.ts';
import { registerTaskRoutes } from './task-routes.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: ProblemError): FastifyReply {
  for (const [k, v] of Object.entries(error.headers)) reply.header(k, v);
  return reply
    .code(error.status)
    .type('application/problem+json')
    .send(
      problemBody(
        error.status,
        error.kind,
        error.detail,
        request.url.split('?')[0] ?? request.url,
        request.id,
        error.errors,
      ),
    );
}

/** Maps any error of an /api request to problem details; unexpected ones are logged and answered 500. */
export function toProblem(error: FastifyError | Error, request: FastifyRequest): ProblemError {
  if (error instanceof ProblemError) return error;
  const fe = error as FastifyError;
  if (fe.validation) {
    const issues = issuesOf(fe.validation, fe.validationContext);
    return problem.validation(
      `请求参数有误：${issues.map((i) => `${i.field} ${i.reason}`).join('；')}`,
      issues,
    );
  }
  if (error instanceof DomainValidationError) return problem.validation('请求参数有误', error.issues);
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem.validation('请求体不是有效的 JSON', [{ field: 'body', reason: '不是有效的 JSON' }]);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return problem.tooLarge('请求内容超过大小上限');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem.unsupportedMedia(`不支持的内容类型：${request.headers['content-type'] ?? '(无)'}`);
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return problem.unsupportedMedia('请以 multipart/form-data 上传');
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return problem.validation('一次只能上传一个文件', [{ field: 'file', reason: '一次只能上传一个文件' }]);
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new ProblemError(fe.statusCode, 'client-error', fe.message);
  }
  request.log.error({ err: error }, 'unexpected error');
  return new ProblemError(500, 'internal-error', `服务器内部错误，请联系管理员并提供请求编号 ${request.id}`);
}

export async function apiPlugin(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.setValidatorCompiler(validatorCompiler);
  await app.register(cookie);
  await app.register(multipart, {
    limits: { fileSize: ctx.maxDocumentBytes, files: 1, fields: 5, parts: 6, fieldSize: 1024 },
    throwFileSizeLimit: true,
  });
  app.decorateRequest('principal', null);
  app.decorateRequest('audited', false);

  // Authentication and the read-only rule run before the body is even parsed: 401/403 come before 400.
  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config;
    const token = tokenFrom(request.headers, request.cookies);
    if (token) {
      const session = await findLiveSession(ctx.store.db, tokenHash(token), ctx.now().toISOString());
      if (session) {
        const a = session.account;
        request.principal = {
          accountId: a.id,
          tenantId: a.tenantId,
          username: a.username,
          displayName: a.displayName,
          roles: a.roles,
          unitId: a.unitId,
          organisationId: a.organisationId,
        };
        request.log = request.log.child({ accountId: a.id, tenantId: a.tenantId });
      }
    }
    if (config.auth === 'public') return;
    if (!request.principal) {
      return sendProblem(
        request,
        reply,
        problem.unauthenticated(token ? '会话已过期或已退出，请重新登录' : '请先登录'),
      );
    }
    if (!SAFE_METHODS.has(request.method) && !config.allowReadOnly && isReadOnly(request.principal)) {
      return sendProblem(request, reply, problem.forbidden('市审计局只能查阅，不能修改数据（G-8）'));
    }
  });

  // SV-4: a state-changing request that succeeded without an audit entry is a bug; say so loudly.
  app.addHook('onResponse', async (request, reply) => {
    if (!SAFE_METHODS.has(request.method) && reply.statusCode < 400 && !request.audited) {
      request.log.error({ route: request.routeOptions.url }, 'state-changing request without an audit entry');
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) =>
    sendProblem(request, reply, toProblem(error, request)),
  );

  const api = app.withTypeProvider<ApiTypeProvider>();
  registerSessionRoutes(api, ctx);
  registerProjectRoutes(api, ctx);
  registerPlanRoutes(api, ctx);
  registerDocumentRoutes(api, ctx);
  registerNotificationRoutes(api, ctx);
  registerMailRoutes(api, ctx);
  registerAuditRoutes(api, ctx);
  registerEvaluationRoutes(api, ctx);
  // The engine-backed routes (submit, filings, requests, timeline, tasks, operations) are there when a gateway is;
  // the campaign board reads only the store.
  const withEngine = ctx.processes !== null;
  await api.register(async (engineRoutes) => {
    // An engine that refuses or does not answer is 409 or 503 with the reason, on every engine-backed route.
    engineRoutes.setErrorHandler((error: FastifyError, request, reply) =>
      sendProblem(request, reply, toProblem(engineProblem(error) as FastifyError, request)),
    );
    registerOpsRoutes(engineRoutes, ctx, withEngine);
    if (withEngine) {
      registerProcessRoutes(engineRoutes, ctx);
      registerTaskRoutes(engineRoutes, ctx);
      registerDashboardRoutes(engineRoutes, ctx);
      registerNeedsRoutes(engineRoutes, ctx);
    }
  });
}
