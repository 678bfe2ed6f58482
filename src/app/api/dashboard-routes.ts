// The dashboard's tenant-wide figures (issue #16, SV-1): open overdue tasks by step and by Unit, each with the link
// to the task list behind it, and deadline compliance per step — for the Bureau's administrator and Audit.
import { overdueOverview } from '../queries/overdue.ts';
import { type ApiApp, type ApiContext, principalOf } from './context.ts';
import { problemResponses } from './schemas.ts';

const text = { type: 'string' } as const;
const nullableText = { type: ['string', 'null'] } as const;
const count = { type: 'integer', minimum: 0 } as const;

const stepFields = {
  processDefinitionId: text,
  processName: nullableText,
  elementId: text,
  name: { ...text, description: '环节名称' },
} as const;

const overviewSchema = {
  type: 'object',
  properties: {
    asOf: { ...text, description: '统计时点' },
    overdue: {
      type: 'object',
      properties: {
        total: { ...count, description: '全辖区已逾期的待办任务数' },
        href: { ...text, description: '全部逾期待办的任务列表' },
        byStep: {
          type: 'array',
          items: {
            type: 'object',
            properties: { ...stepFields, count, href: { ...text, description: '该环节逾期待办的任务列表' } },
          },
        },
        byUnit: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              unitId: text,
              unitName: text,
              count,
              href: { ...nullableText, description: '该单位项目逾期待办的任务列表（不属于单位的为 null）' },
            },
          },
        },
      },
    },
    compliance: {
      type: 'object',
      properties: {
        since: text,
        until: text,
        completed: count,
        onTime: count,
        late: count,
        rate: { type: ['number', 'null'] },
        steps: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              ...stepFields,
              completed: { ...count, description: '期内办结且有期限的任务数' },
              onTime: { ...count, description: '在期限内办结' },
              late: { ...count, description: '超过期限办结' },
              rate: { type: ['number', 'null'], description: '按期办结率（0–1）' },
            },
          },
        },
      },
    },
  },
} as const;

export function registerDashboardRoutes(app: ApiApp, ctx: ApiContext): void {
  app.get(
    '/dashboard/overdue',
    {
      schema: {
        tags: ['dashboard'],
        summary:
          '全辖区逾期待办（按环节、按单位，各附任务列表链接）与各环节期限执行情况（仅管理局管理员和审计人员，SV-1）',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            since: {
              type: 'string',
              maxLength: 10,
              description: '期限执行情况的统计起点：天数（如 90，缺省 90）或日期（如 2026-01-01）',
            },
          },
        },
        response: { 200: overviewSchema, ...problemResponses },
      },
    },
    async (request) => overdueOverview(ctx, principalOf(request), request.query),
  );
}
