// JSON schemas shared by the /api routes: they validate input and are the OpenAPI document (/docs).
import { FUNDING_SOURCES, MAX_AMOUNT, RELATED_TO, SERVICE_TYPES } from '../../domain/index.ts';
import { DOCUMENT_KINDS } from '../../store/documents.ts';
import { FILING_KINDS } from '../../store/filings.ts';
import { PROJECT_SORTS, PROJECT_STAGES } from '../../store/projects.ts';

export const problemResponses = {
  '4xx': { $ref: 'Problem#' },
  '5xx': { $ref: 'Problem#' },
} as const;

/** The keys of a vocabulary as a JSON-schema `enum` whose TypeScript type is the vocabulary's key union. */
export const keysOf = <T extends object>(vocabulary: T) => Object.keys(vocabulary) as (keyof T & string)[];

const idString = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._-]+$' } as const;

/** The path parameter `name`: an id of letters, digits, `.`, `_` and `-`. */
export const idParam = <N extends string>(name: N) =>
  ({
    type: 'object',
    required: [name],
    properties: { [name]: idString } as { readonly [K in N]: typeof idString },
  }) as const;

const amount = { type: 'integer', minimum: 0, maximum: MAX_AMOUNT, description: '元（整数）' } as const;
export const isoDate = { type: 'string', format: 'date-time' } as const;

export const serviceLineSchema = {
  type: 'object',
  required: ['serviceType', 'subType', 'amount'],
  additionalProperties: false,
  description: 'G-4: 服务类型与子类（封闭词表）',
  properties: {
    serviceType: { type: 'string', enum: keysOf(SERVICE_TYPES) },
    subType: { type: 'string', minLength: 1, maxLength: 64 },
    amount,
    relatedTo: { type: 'string', enum: keysOf(RELATED_TO) },
    description: { type: 'string', maxLength: 500 },
  },
} as const;

/** G-3: one funding source of a project with its amount. */
export const fundingLineSchema = {
  type: 'object',
  required: ['source', 'amount'],
  additionalProperties: false,
  description: 'G-3: 资金来源（封闭词表）及金额（元）',
  properties: {
    source: { type: 'string', enum: keysOf(FUNDING_SOURCES) },
    amount,
  },
} as const;

const draftProperties = {
  unitId: {
    type: 'string',
    minLength: 1,
    maxLength: 64,
    description: '所属单位；单位账号可省略（即本单位）',
  },
  projectName: { type: 'string', minLength: 1, maxLength: 200 },
  description: { type: 'string', maxLength: 5000 },
  planYear: { type: 'integer', minimum: 2000, maximum: 9999 },
  fundingLines: {
    type: 'array',
    minItems: 1,
    maxItems: 10,
    items: fundingLineSchema,
    description: 'G-3: 资金来源及金额，合计须等于项目总投资（服务内容金额合计），且须含市级财政资金',
  },
  fundingSource: {
    type: 'string',
    enum: keysOf(FUNDING_SOURCES),
    description: '旧版单一资金来源：视为该来源承担全部总投资；同时给出 fundingLines 时以 fundingLines 为准',
  },
  classified: { type: 'boolean', description: 'G-9: 是否涉密' },
  hasDataCatalogue: { type: 'boolean', description: 'PRO-1: 政务数据共享资源目录' },
  supportsIpv6: { type: 'boolean', description: 'PRO-1: 支持 IPv6' },
  serviceLines: { type: 'array', minItems: 1, maxItems: 50, items: serviceLineSchema },
} as const;

export const draftBody = {
  type: 'object',
  required: ['projectName', 'planYear', 'classified', 'serviceLines'],
  // G-3: the funding lines, or (earlier clients) the single source.
  anyOf: [{ required: ['fundingLines'] }, { required: ['fundingSource'] }],
  additionalProperties: false,
  properties: draftProperties,
} as const;

export const draftPatchBody = {
  type: 'object',
  required: ['version'],
  additionalProperties: false,
  minProperties: 2,
  properties: {
    version: { type: 'integer', minimum: 1, description: '读取时的版本号（乐观锁）' },
    projectName: draftProperties.projectName,
    description: draftProperties.description,
    planYear: draftProperties.planYear,
    fundingLines: draftProperties.fundingLines,
    fundingSource: draftProperties.fundingSource,
    classified: draftProperties.classified,
    hasDataCatalogue: draftProperties.hasDataCatalogue,
    supportsIpv6: draftProperties.supportsIpv6,
    serviceLines: draftProperties.serviceLines,
  },
} as const;

export const projectSchema = {
  $id: 'Project',
  type: 'object',
  description: '项目（市财政局看到资金与状态视图，SV-2）',
  properties: {
    id: { type: 'string' },
    tenantId: { type: 'string' },
    unitId: { type: 'string' },
    name: { type: 'string' },
    description: { type: 'string' },
    planYear: { type: 'integer' },
    fundingSource: { type: 'string', description: '主要资金来源（金额最大的一项）' },
    fundingLines: { type: 'array', items: fundingLineSchema },
    classified: { type: 'boolean' },
    hasDataCatalogue: { type: 'boolean' },
    supportsIpv6: { type: 'boolean' },
    serviceLines: { type: 'array', items: serviceLineSchema },
    totalInvestment: amount,
    softwareDevCost: amount,
    category: { type: 'string', enum: ['public', 'professional'] },
    ruleEdition: { type: 'string' },
    bureauName: {
      type: 'string',
      description: '项目适用的规则版本所称的市政务服务（和）数据管理局（SU-2、SU-4）',
    },
    stage: { type: 'string', enum: keysOf(PROJECT_STAGES) },
    stageName: { type: 'string' },
    processInstanceKey: { type: ['string', 'null'] },
    version: { type: 'integer' },
    createdBy: { type: 'string' },
    createdAt: isoDate,
    updatedAt: isoDate,
    view: { type: 'string', enum: ['full', 'funds'] },
  },
} as const;

export const applicationCheckSchema = {
  type: 'object',
  description: 'PRO-1 完整性检查（提交前须完整）',
  properties: {
    applicationComplete: { type: 'boolean' },
    missingItems: { type: 'array', items: { type: 'string' } },
  },
} as const;

export const projectSearchQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    unitId: { type: 'string', maxLength: 64 },
    category: { type: 'string', enum: ['public', 'professional'] },
    stage: { type: 'string', enum: keysOf(PROJECT_STAGES) },
    planYear: { type: 'integer', minimum: 2000, maximum: 9999 },
    q: { type: 'string', maxLength: 100, description: '按项目编号、名称、说明检索' },
    sort: { type: 'string', enum: [...PROJECT_SORTS], default: 'updatedAt' },
    order: { type: 'string', enum: ['asc', 'desc'], default: 'desc' },
    page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
    pageSize: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
  },
} as const;

const statisticsRow = {
  type: 'object',
  properties: {
    key: { type: 'string' },
    label: { type: 'string' },
    count: { type: 'integer' },
    totalInvestment: amount,
  },
} as const;

export const statisticsSchema = {
  type: 'object',
  properties: {
    byUnit: { type: 'array', items: statisticsRow },
    byCategory: { type: 'array', items: statisticsRow },
    byYear: { type: 'array', items: statisticsRow },
    byStage: { type: 'array', items: statisticsRow },
    total: { type: 'object', properties: { count: { type: 'integer' }, totalInvestment: amount } },
  },
} as const;

export const historySchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      at: isoDate,
      accountId: { type: ['string', 'null'] },
      version: { type: 'integer' },
      action: { type: 'string' },
      stage: { type: 'string' },
      changes: {},
    },
  },
} as const;

export const accountSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    tenantId: { type: 'string' },
    tenantName: { type: 'string' },
    username: { type: 'string' },
    displayName: { type: 'string' },
    roles: { type: 'array', items: { type: 'string' } },
    roleNames: { type: 'array', items: { type: 'string' } },
    bureauName: {
      type: 'string',
      description: '市政务服务（和）数据管理局：本租户今日适用的规则版本所称（SU-2）',
    },
    unitId: { type: ['string', 'null'] },
    unitName: { type: ['string', 'null'] },
    organisationId: { type: ['string', 'null'], description: '第三方机构（监理单位、测评机构）的名录编号' },
    organisationName: { type: ['string', 'null'] },
    groups: { type: 'array', items: { type: 'string' }, description: '候选组（任务列表按此筛选）' },
    email: { type: ['string', 'null'], description: '接收通知的电子邮箱（空：只在系统内通知）' },
  },
} as const;

export const unitSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, name: { type: 'string' }, responsibleSection: { type: 'string' } },
} as const;

export const planBody = {
  type: 'object',
  required: ['summary'],
  additionalProperties: false,
  properties: {
    planYear: { type: 'integer', minimum: 2000, maximum: 9999, description: '默认为提交时的下一年（P-1）' },
    summary: { type: 'string', minLength: 1, maxLength: 5000 },
    contactName: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      description: '联系人（经年度规划备案任务报送时必填）',
    },
    contactPhone: {
      type: 'string',
      minLength: 1,
      maxLength: 50,
      description: '联系电话（经年度规划备案任务报送时必填）',
    },
    projects: {
      type: 'array',
      maxItems: 200,
      items: {
        type: 'object',
        required: ['name', 'estimatedAmount'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 200 },
          estimatedAmount: amount,
          category: { type: 'string', enum: ['public', 'professional'] },
          description: { type: 'string', maxLength: 2000 },
        },
      },
    },
  },
} as const;

export const planSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    unitId: { type: 'string' },
    planYear: { type: 'integer' },
    summary: { type: 'string' },
    content: {},
    filedAt: isoDate,
    filedBy: { type: 'string' },
    onTime: { type: 'boolean' },
    daysLate: { type: 'integer' },
    deadline: { type: 'string' },
    filingNumber: { type: 'string' },
  },
} as const;

/** 补充备案: what a Unit adds to its filed plan (P-1), a filing of its own. */
export const planSupplementSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    planId: { type: 'string' },
    planYear: { type: 'integer' },
    unitId: { type: 'string' },
    summary: { type: 'string' },
    content: {},
    filedAt: isoDate,
    filedBy: { type: ['string', 'null'] },
    filingNumber: { type: 'string' },
    afterDeadline: { type: 'boolean', description: '在当年备案截止日（11 月 30 日）之后报送' },
  },
} as const;

export const planDetailSchema = {
  type: 'object',
  properties: {
    ...planSchema.properties,
    supplements: { type: 'array', items: planSupplementSchema },
  },
} as const;

export const planSupplementBody = {
  type: 'object',
  required: ['summary'],
  additionalProperties: false,
  properties: {
    summary: planBody.properties.summary,
    projects: planBody.properties.projects,
  },
} as const;

/** A plan handed to the Unit's 责任科室 through the campaign's task (G-6): not filed yet. */
export const planHandedOnSchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['awaiting-section'] },
    planYear: { type: 'integer' },
    unitId: { type: 'string' },
    userTaskKey: { type: 'string' },
    processInstanceKey: { type: 'string' },
    deadline: { type: 'string' },
  },
} as const;

export const filingSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: keysOf(FILING_KINDS) },
    kindName: { type: 'string' },
    year: { type: 'integer' },
    seq: { type: 'integer' },
    number: { type: 'string' },
    projectId: { type: ['string', 'null'] },
    unitId: { type: ['string', 'null'] },
    filedAt: isoDate,
    filedBy: { type: ['string', 'null'] },
    payload: {},
    documentId: { type: ['string', 'null'] },
  },
} as const;

export const documentSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    projectId: { type: 'string' },
    unitId: { type: 'string' },
    kind: { type: 'string', enum: keysOf(DOCUMENT_KINDS) },
    fileName: { type: 'string' },
    mediaType: { type: 'string' },
    size: { type: 'integer' },
    sha256: { type: 'string' },
    uploadedBy: { type: 'string' },
    uploadedAt: isoDate,
  },
} as const;

export const notificationSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    body: { type: 'string' },
    projectId: { type: ['string', 'null'] },
    createdAt: isoDate,
    readAt: { type: ['string', 'null'] },
  },
} as const;

export const auditEntrySchema = {
  type: 'object',
  properties: {
    tenantId: { type: 'string' },
    seq: { type: 'integer' },
    at: isoDate,
    accountId: { type: ['string', 'null'] },
    role: { type: ['string', 'null'] },
    action: { type: 'string' },
    entityType: { type: 'string' },
    entityId: { type: 'string' },
    projectId: { type: ['string', 'null'] },
    requestId: { type: ['string', 'null'] },
    payload: {},
    payloadSha256: { type: 'string' },
    prevHash: { type: 'string' },
    hash: { type: 'string' },
  },
} as const;
