// SV-1 / SV-2: the evaluation results — per Unit and appraisal year for the 绩效考核 of city organs, and per project.
// Thin: the reading and who may read what are in src/app/queries/evaluations.ts.
import { evaluationBoard, projectEvaluation } from '../queries/evaluations.ts';
import { type ApiApp, type ApiContext, principalOf } from './context.ts';
import { idParam, problemResponses } from './schemas.ts';

const nullableString = { type: ['string', 'null'] } as const;
const nullableInteger = { type: ['integer', 'null'] } as const;
const grades = {
  type: 'object',
  properties: {
    excellent: { type: 'integer' },
    good: { type: 'integer' },
    fair: { type: 'integer' },
    poor: { type: 'integer' },
  },
} as const;
const figures = {
  projectsEvaluated: { type: 'integer' },
  applicationEffect: grades,
  performance: grades,
  fundUseCompliant: { type: 'integer' },
  fundUseIrregular: { type: 'integer' },
  onTime: { type: 'integer', description: '在评价期限内完成评价的项目数' },
  late: { type: 'integer', description: '超过评价期限才完成评价的项目数' },
  approvedAmount: { type: 'integer', description: '市政府批准金额合计（元）' },
  contractAmount: { type: 'integer', description: '合同金额合计（元）' },
} as const;
const evaluatedProject = {
  type: 'object',
  properties: {
    evaluationId: { type: 'string' },
    projectId: { type: 'string' },
    projectName: { type: 'string' },
    unitId: { type: 'string' },
    unitName: { type: 'string' },
    planYear: { type: 'integer' },
    category: { type: 'string' },
    year: { type: 'integer', description: '考核年度（评价记录时间，北京时间）' },
    recordedAt: { type: 'string' },
    evaluationDue: nullableString,
    onTime: { type: ['boolean', 'null'] },
    applicationEffectRating: nullableString,
    applicationEffectRatingName: nullableString,
    applicationEffectComment: nullableString,
    performanceRating: nullableString,
    performanceRatingName: nullableString,
    fundUseCompliance: nullableString,
    fundUseComplianceName: nullableString,
    financeEvaluationComment: nullableString,
    approvedAmount: nullableInteger,
    contractAmount: nullableInteger,
  },
} as const;
const boardSchema = {
  type: 'object',
  properties: {
    year: nullableInteger,
    unitId: nullableString,
    totals: { type: 'object', properties: figures },
    units: {
      type: 'array',
      items: {
        type: 'object',
        properties: { unitId: { type: 'string' }, unitName: { type: 'string' }, ...figures },
      },
    },
    projects: { type: 'array', items: evaluatedProject },
  },
} as const;

export function registerEvaluationRoutes(app: ApiApp, ctx: ApiContext): void {
  app.get(
    '/evaluations',
    {
      schema: {
        tags: ['projects'],
        summary: '评价结果：按单位、考核年度汇总（SV-1 绩效考核）',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            year: { type: 'integer', minimum: 2000, maximum: 9999, description: '考核年度' },
            unitId: { type: 'string', minLength: 1, maxLength: 64 },
          },
        },
        response: { 200: boardSchema, ...problemResponses },
      },
    },
    async (request) => evaluationBoard(ctx.store.db, principalOf(request), request.query),
  );
  app.get(
    '/projects/:projectId/evaluation',
    {
      schema: {
        tags: ['projects'],
        summary: '项目的应用效果与资金绩效评价（SV-1、SV-2）',
        params: idParam('projectId'),
        response: {
          200: {
            type: 'object',
            properties: {
              projectId: { type: 'string' },
              projectName: { type: 'string' },
              unitId: { type: 'string' },
              evaluations: { type: 'array', items: evaluatedProject },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request) => projectEvaluation(ctx.store.db, principalOf(request), request.params.projectId),
  );
}
