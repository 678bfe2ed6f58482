// The operations routes for Operate's instance changes: move a token (modification) and migrate to another version,
// each with a preview the page shows before the administrator confirms with a reason (commands/ops-changes.ts).
// The cross-site guard and the administrators-only rule apply as everywhere.
import {
  migrateInstance,
  migrationTargets,
  modifyInstance,
  previewMigration,
  previewModification,
} from '../commands/ops-changes.ts';
import { type ApiApp, type ApiContext, actorOf, principalOf } from './context.ts';
import { keyParam } from './process-schemas.ts';
import { problemResponses } from './schemas.ts';

const tags = ['operations'];
const elementId = {
  type: 'string',
  minLength: 1,
  maxLength: 255,
  pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$',
} as const;
const key = { type: 'string', pattern: '^[0-9]{1,19}$' } as const;
const reason = { type: 'string', minLength: 1, maxLength: 2000, pattern: '\\S' } as const;

const modifyPreviewBody = {
  type: 'object',
  required: ['fromElementId', 'targetElementId'],
  additionalProperties: false,
  properties: { fromElementId: elementId, targetElementId: elementId },
} as const;
const modifyBody = {
  ...modifyPreviewBody,
  required: ['fromElementId', 'targetElementId', 'reason'],
  properties: { ...modifyPreviewBody.properties, reason },
} as const;
const migratePreviewBody = {
  type: 'object',
  required: ['targetProcessDefinitionKey'],
  additionalProperties: false,
  properties: { targetProcessDefinitionKey: key },
} as const;
const migrateBody = {
  ...migratePreviewBody,
  required: ['targetProcessDefinitionKey', 'reason'],
  properties: { ...migratePreviewBody.properties, reason },
} as const;

const named = {
  type: 'object',
  properties: { elementId: { type: 'string' }, elementName: { type: 'string' } },
};
const modificationSchema = {
  type: 'object',
  properties: {
    processInstanceKey: { type: 'string' },
    projectId: { type: ['string', 'null'] },
    direction: { type: 'string', enum: ['back', 'forward'] },
    terminate: {
      type: 'array',
      items: { ...named, properties: { ...named.properties, elementInstanceKey: { type: 'string' } } },
    },
    activate: named,
    summary: { type: 'string' },
  },
} as const;
const version = {
  type: 'object',
  properties: {
    processDefinitionKey: { type: 'string' },
    processDefinitionId: { type: 'string' },
    version: { type: 'integer' },
    name: { type: ['string', 'null'] },
  },
} as const;
const targetsSchema = {
  type: 'object',
  properties: {
    processInstanceKey: { type: 'string' },
    current: version,
    versions: { type: 'array', items: version },
  },
} as const;
const migrationSchema = {
  type: 'object',
  properties: {
    processInstanceKey: { type: 'string' },
    projectId: { type: ['string', 'null'] },
    from: version,
    to: version,
    mappings: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          sourceElementId: { type: 'string' },
          sourceElementName: { type: 'string' },
          targetElementId: { type: ['string', 'null'] },
          problem: { type: ['string', 'null'] },
        },
      },
    },
    allowed: { type: 'boolean' },
    summary: { type: 'string' },
  },
} as const;

export function registerOpsChangeRoutes(app: ApiApp, ctx: ApiContext): void {
  const params = keyParam('processInstanceKey');
  app.post(
    '/ops/instances/:processInstanceKey/modification/preview',
    {
      schema: {
        tags,
        summary: '移动令牌：预览将结束和启动的节点（不改变实例）',
        params,
        body: modifyPreviewBody,
        response: { 200: modificationSchema, ...problemResponses },
      },
    },
    async (request) => previewModification(ctx, principalOf(request), { ...request.body, ...request.params }),
  );
  app.post(
    '/ops/instances/:processInstanceKey/modification',
    {
      schema: {
        tags,
        summary: '移动令牌（须说明理由，记入审计日志；不能跳过需要决定的步骤）',
        params,
        body: modifyBody,
        response: { 200: modificationSchema, ...problemResponses },
      },
    },
    async (request) => modifyInstance(ctx, actorOf(request), { ...request.body, ...request.params }),
  );
  app.get(
    '/ops/instances/:processInstanceKey/migration/targets',
    {
      schema: {
        tags,
        summary: '可迁移到的流程版本',
        params,
        response: { 200: targetsSchema, ...problemResponses },
      },
    },
    async (request) => migrationTargets(ctx, principalOf(request), request.params.processInstanceKey),
  );
  app.post(
    '/ops/instances/:processInstanceKey/migration/preview',
    {
      schema: {
        tags,
        summary: '迁移到另一版本：预览各活动节点的对应关系（不改变实例）',
        params,
        body: migratePreviewBody,
        response: { 200: migrationSchema, ...problemResponses },
      },
    },
    async (request) => previewMigration(ctx, principalOf(request), { ...request.body, ...request.params }),
  );
  app.post(
    '/ops/instances/:processInstanceKey/migration',
    {
      schema: {
        tags,
        summary: '迁移到另一版本（须说明理由，记入审计日志）',
        params,
        body: migrateBody,
        response: { 200: migrationSchema, ...problemResponses },
      },
    },
    async (request) => migrateInstance(ctx, actorOf(request), { ...request.body, ...request.params }),
  );
}
