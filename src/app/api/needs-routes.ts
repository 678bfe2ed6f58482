// PUB-1, G-5: the Bureau's needs collections — open one (for every Unit or chosen ones, with a deadline in working
// days) and see the answers. Adapters over src/app/commands/needs-collections.ts and its query.
import type { FastifyInstance } from 'fastify';
import {
  MAX_COLLECTION_WORKING_DAYS,
  type OpenNeedsCollectionInput,
  openNeedsCollection,
} from '../commands/needs-collections.ts';
import { listNeedsCollections } from '../queries/needs-collections.ts';
import { type ApiContext, actorOf, principalOf } from './context.ts';
import { problemResponses } from './schemas.ts';

const unitRef = {
  type: 'object',
  properties: { unitId: { type: 'string' }, unitName: { type: 'string' } },
} as const;

const openBody = {
  type: 'object',
  required: ['planYear', 'workingDays'],
  additionalProperties: false,
  description: 'PUB-1 公共类服务需求征集：规划年度、提出期限（工作日）、征集的单位（不填为全部单位）',
  properties: {
    planYear: { type: 'integer', minimum: 2000, maximum: 2100 },
    workingDays: { type: 'integer', minimum: 1, maximum: MAX_COLLECTION_WORKING_DAYS },
    unitIds: {
      type: 'array',
      maxItems: 500,
      items: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' },
    },
  },
} as const;

const openedSchema = {
  type: 'object',
  properties: {
    needsCollectionId: { type: 'string' },
    processInstanceKey: { type: 'string' },
    planYear: { type: 'integer' },
    needsCollectionDue: { type: 'string' },
    dueProvisional: { type: 'boolean' },
    units: { type: 'array', items: unitRef },
  },
} as const;

const collectionsSchema = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          needsCollectionId: { type: 'string' },
          processInstanceKey: { type: 'string' },
          state: { type: 'string' },
          planYear: { type: ['integer', 'null'] },
          needsCollectionDue: { type: ['string', 'null'] },
          openedAt: { type: ['string', 'null'] },
          answers: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                unitId: { type: 'string' },
                unitName: { type: 'string' },
                status: { type: 'string', enum: ['answered', 'waiting', 'not-answered'] },
                hasNeed: { type: ['boolean', 'null'] },
                needDescription: { type: ['string', 'null'] },
                estimatedAmount: { type: ['number', 'null'] },
              },
            },
          },
          publicProjects: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                projectId: { type: 'string' },
                projectName: { type: 'string' },
                leadUnitId: { type: 'string' },
              },
            },
          },
        },
      },
    },
  },
} as const;

export function registerNeedsRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post<{ Body: OpenNeedsCollectionInput }>(
    '/needs-collections',
    {
      schema: {
        tags: ['processes'],
        summary: '发起公共类服务需求征集（PUB-1）',
        body: openBody,
        response: { 201: openedSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const opened = await openNeedsCollection(ctx, actorOf(request), request.body);
      reply.code(201);
      return opened;
    },
  );
  app.get(
    '/needs-collections',
    {
      schema: {
        tags: ['processes'],
        summary: '公共类服务需求征集与各单位答复（PUB-1）',
        response: { 200: collectionsSchema, ...problemResponses },
      },
    },
    async (request) => listNeedsCollections(ctx, principalOf(request)),
  );
}
