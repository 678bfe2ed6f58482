// JSON schemas of the operations routes added for Operate's filters, the variables panel, incident groups and
// batch operations: they validate input (a 400 names the field) and are the OpenAPI document (/docs).
import { OPS_STATES } from '../queries/ops-filter.ts';
import { isoDate } from './schemas.ts';

const id = { type: 'string', maxLength: 100, pattern: '^[A-Za-z0-9._-]+$' } as const;
const day = {
  type: 'string',
  pattern: '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$',
  description: '日期 YYYY-MM-DD（北京时间），含当天',
} as const;
const keyString = { type: 'string', description: 'Camunda 键（int64，字符串）' } as const;
const reason = {
  type: 'string',
  minLength: 1,
  maxLength: 2000,
  pattern: '\\S',
  description: '操作原因（记入审计日志）',
} as const;

/** The list's filter, shared by the list and by a batch "on the current filter". */
const filterProperties = {
  processId: id,
  version: { type: 'integer', minimum: 1, maximum: 100000 },
  state: { type: 'string', enum: [...OPS_STATES] },
  hasIncident: { type: 'boolean' },
  elementId: id,
  variableName: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z_$][A-Za-z0-9_$]*$' },
  variableValue: { type: 'string', maxLength: 1000 },
  startFrom: day,
  startTo: day,
  endFrom: day,
  endTo: day,
  projectId: id,
} as const;

export const opsInstanceFilterQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...filterProperties,
    page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
    pageSize: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
  },
} as const;

export const opsFilterSchema = {
  type: 'object',
  additionalProperties: false,
  properties: filterProperties,
} as const;

export const scopeParams = {
  type: 'object',
  required: ['processInstanceKey', 'scopeKey'],
  properties: {
    processInstanceKey: { type: 'string', pattern: '^[0-9]{1,19}$' },
    scopeKey: { type: 'string', pattern: '^[0-9]{1,19}$' },
  },
} as const;

export const scopesResponse = {
  type: 'object',
  properties: {
    processInstanceKey: keyString,
    scopes: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          scopeKey: keyString,
          elementId: { type: 'string' },
          elementName: { type: ['string', 'null'] },
          type: { type: 'string' },
          state: { type: 'string' },
          variables: {
            type: 'array',
            items: {
              type: 'object',
              properties: { name: { type: 'string' }, value: {} },
            },
          },
          protectedNames: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
} as const;

export const scopeVariablesBody = {
  type: 'object',
  required: ['variables', 'reason'],
  additionalProperties: false,
  properties: {
    variables: { type: 'object', minProperties: 1, maxProperties: 50 },
    reason,
  },
} as const;

export const scopeVariablesResponse = {
  type: 'object',
  properties: { scopeKey: keyString, names: { type: 'array', items: { type: 'string' } } },
} as const;

export const incidentGroupsResponse = {
  type: 'object',
  properties: {
    total: { type: 'integer' },
    groups: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          errorType: { type: 'string' },
          count: { type: 'integer' },
          instances: { type: 'integer' },
          elementIds: { type: 'array', items: { type: 'string' } },
          sampleMessage: { type: 'string' },
          oldest: isoDate,
        },
      },
    },
  },
} as const;

export const retryGroupBody = {
  type: 'object',
  required: ['errorType', 'reason'],
  additionalProperties: false,
  properties: { errorType: { type: 'string', pattern: '^[A-Z_]{1,64}$' }, reason },
} as const;

export const retryGroupResponse = {
  type: 'object',
  properties: {
    errorType: { type: 'string' },
    total: { type: 'integer' },
    retried: { type: 'integer' },
    failed: {
      type: 'array',
      items: {
        type: 'object',
        properties: { incidentKey: keyString, detail: { type: 'string' } },
      },
    },
  },
} as const;

export const batchBody = {
  type: 'object',
  required: ['operation', 'filter', 'reason', 'expectedCount'],
  additionalProperties: false,
  properties: {
    operation: { type: 'string', enum: ['cancel', 'retry'] },
    filter: opsFilterSchema,
    reason,
    expectedCount: {
      type: 'integer',
      minimum: 1,
      maximum: 10000,
      description: '确认时看到的实例数：与筛选结果不一致则拒绝（409），须重新确认',
    },
  },
} as const;

export const batchIdParam = {
  type: 'object',
  required: ['batchId'],
  properties: { batchId: { type: 'string', pattern: '^[0-9a-f-]{36}$' } },
} as const;

export const batchSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    operation: { type: 'string' },
    state: { type: 'string' },
    reason: { type: 'string' },
    filter: { type: 'object', additionalProperties: true },
    total: { type: 'integer' },
    done: { type: 'integer' },
    failed: { type: 'integer' },
    pending: { type: 'integer' },
    createdBy: { type: 'string' },
    createdAt: isoDate,
    updatedAt: isoDate,
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          processInstanceKey: keyString,
          state: { type: 'string' },
          detail: { type: ['string', 'null'] },
        },
      },
    },
  },
} as const;

export const batchListSchema = { type: 'array', items: batchSchema } as const;
