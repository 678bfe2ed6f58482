// JSON schemas shared by the /api routes: they validate input and are the OpenAPI document (/docs).
import { FUNDING_SOURCES, MAX_AMOUNT, RELATED_TO, SERVICE_TYPES } from '../../domain/index.ts';
import { DOCUMENT_KINDS } from '../../store/documents.ts';
import { FILING_KINDS } from '../../store/filings.ts';
import { PROJECT_SORTS, PROJECT_STAGES } from '../../store/projects.ts';

export const problemResponses = {
  '4xx': { $ref: 'Problem#' },
  '5xx': { $ref: 'Problem#' },
} as const;

export const idParam = (name: string) =>
  ({
    type: 'object',
    required: [name],
    properties: { [name]: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._-]+$' } },
  }) as const;

const amount = { type: 'integer', minimum: 0, maximum: MAX_AMOUNT, description: '元（整数）' } as const;
const isoDate = { type: 'string', format: 'date-time' } as const;

export const serviceLineSchema = {
  type: 'object',
  required: ['serviceType', 'subType', 'amount'],
  additionalProperties: false,
  description: 'G-4: 服务类型与子类（封闭词表）',
  properties: {
    serviceType: { type: 'string', enum: Object.keys(SERVICE_TYPES) },
    subType: { type: 'string', minLength: 1, maxLength: 64 },
    amount,
    relatedTo: { type: 'string', enum: Object.keys(RELATED_TO) },
    description: { type: 'string', maxLength: 500 },
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
  fundingSource: { type: 'string', enum: Object.keys(FUNDING_SOURCES) },
  classified: { type: 'boolean', description: 'G-9: 是否涉密' },
  hasDataCatalogue: { type: 'boolean', description: 'PRO-1: 政务数据共享资源目录' },
  supportsIpv6: { type: 'boolean', description: 'PRO-1: 支持 IPv6' },
  serviceLines: { type: 'array', minItems: 1, maxItems: 50, items: serviceLineSchema },
} as const;

export const draftBody = {
  type: 'object',
  required: ['projectName', 'planYear', 'fundingSource', 'classified', 'serviceLines'],
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
    fundingSource: { type: 'string' },
    classified: { type: 'boolean' },
    hasDataCatalogue: { type: 'boolean' },
    supportsIpv6: { type: 'boolean' },
    serviceLines: { type: 'array', items: serviceLineSchema },
    totalInvestment: amount,
    softwareDevCost: amount,
    category: { type: 'string', enum: ['public', 'professional'] },
    ruleEdition: { type: 'string' },
    stage: { type: 'string', enum: Object.keys(PROJECT_STAGES) },
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
    stage: { type: 'string', enum: Object.keys(PROJECT_STAGES) },
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
    unitId: { type: ['string', 'null'] },
    unitName: { type: ['string', 'null'] },
    groups: { type: 'array', items: { type: 'string' }, description: '候选组（任务列表按此筛选）' },
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

export const filingSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: Object.keys(FILING_KINDS) },
    kindName: { type: 'string' },
    year: { type: 'integer' },
    seq: { type: 'integer' },
    number: { type: 'string' },
    projectId: { type: ['string', 'null'] },
    unitId: { type: ['string', 'null'] },
    filedAt: isoDate,
    filedBy: { type: ['string', 'null'] },
    payload: {},
  },
} as const;

export const documentSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    projectId: { type: 'string' },
    unitId: { type: 'string' },
    kind: { type: 'string', enum: Object.keys(DOCUMENT_KINDS) },
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

// --- Added with the engine step: submission, filings, requests, timeline, task inbox and operations. ---

const keyString = { type: 'string', description: 'Camunda 键（int64，字符串）' } as const;
const nullableString = { type: ['string', 'null'] } as const;

export const keyParam = (name: string) =>
  ({
    type: 'object',
    required: [name],
    properties: { [name]: { type: 'string', pattern: '^[0-9]{1,19}$', description: 'Camunda 键（数字）' } },
  }) as const;

export const submitBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  description: '提交立项申请；计划外项目（EMG-1）须说明理由',
  properties: {
    outOfPlan: {
      type: 'object',
      required: ['reason', 'justification'],
      additionalProperties: false,
      description: 'EMG-1: 未纳入年度预算的项目',
      properties: {
        reason: { type: 'string', enum: ['national-requirement', 'livelihood', 'network-security'] },
        justification: { type: 'string', minLength: 1, maxLength: 5000 },
      },
    },
  },
} as const;

export const startedSchema = {
  type: 'object',
  properties: {
    processInstanceKey: keyString,
    processDefinitionId: { type: 'string' },
    projectId: nullableString,
    requestId: nullableString,
  },
} as const;

export const submitResponse = {
  type: 'object',
  properties: {
    project: projectSchema,
    processInstanceKey: keyString,
    initiationRoute: { type: 'string', enum: ['professional', 'public', 'out-of-plan'] },
  },
} as const;

export const projectFilingBody = {
  type: 'object',
  required: ['kind'],
  additionalProperties: false,
  description: 'IM-8 重大变更、延期交付备案；IM-9 终止合同备案',
  properties: {
    kind: { type: 'string', enum: ['change', 'delay', 'termination'] },
    changeDescription: { type: 'string', minLength: 1, maxLength: 5000, description: 'change: 变更内容' },
    changeReason: { type: 'string', minLength: 1, maxLength: 5000, description: 'change: 变更原因' },
    delayReason: { type: 'string', minLength: 1, maxLength: 5000, description: 'delay: 延期原因' },
    requestedDeliveryDate: { type: 'string', format: 'date-time', description: 'delay: 申请的新交付日期' },
    terminationReason: {
      type: 'string',
      minLength: 1,
      maxLength: 5000,
      description: 'termination: 终止原因',
    },
  },
} as const;

export const projectFilingResponse = {
  type: 'object',
  properties: {
    kind: { type: 'string' },
    message: { type: 'string' },
    projectId: { type: 'string' },
    processInstanceKey: keyString,
  },
} as const;

export const infrastructureRequestBody = {
  type: 'object',
  required: ['requestedService', 'requestedSpecification'],
  additionalProperties: false,
  description: 'IM-6 基础设施服务申请（政务云、网络、机房等由市政务服务数据管理局统一分配）',
  properties: {
    requestedService: { type: 'string', minLength: 1, maxLength: 200 },
    requestedSpecification: { type: 'string', minLength: 1, maxLength: 5000 },
  },
} as const;

export const coordinationRequestBody = {
  type: 'object',
  required: ['coordinationSubject', 'coordinationDescription'],
  additionalProperties: false,
  description: 'IM-7 重大问题协调需求',
  properties: {
    coordinationSubject: { type: 'string', minLength: 1, maxLength: 200 },
    coordinationDescription: { type: 'string', minLength: 1, maxLength: 5000 },
    projectId: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._-]+$' },
  },
} as const;

export const auditRequestBody = {
  type: 'object',
  required: ['projectId', 'requestedMaterials'],
  additionalProperties: false,
  description: 'SV-3 审计资料调取',
  properties: {
    projectId: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._-]+$' },
    requestedMaterials: { type: 'string', minLength: 1, maxLength: 5000 },
  },
} as const;

export const timelineSchema = {
  type: 'object',
  properties: {
    projectId: { type: 'string' },
    processInstanceKey: nullableString,
    processHistoryAvailable: { type: 'boolean', description: '流程引擎不可达时只返回业务记录' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          at: isoDate,
          source: { type: 'string', enum: ['business', 'process'] },
          kind: { type: 'string' },
          title: { type: 'string' },
          stage: { type: 'string' },
          accountId: nullableString,
          changes: {},
          elementId: { type: 'string' },
          elementType: { type: 'string' },
          processDefinitionId: { type: 'string' },
          processInstanceKey: { type: 'string' },
          detail: { type: 'string' },
        },
      },
    },
  },
} as const;

export const taskSchema = {
  type: 'object',
  properties: {
    userTaskKey: keyString,
    name: { type: 'string' },
    elementId: { type: 'string' },
    state: { type: 'string' },
    processDefinitionId: { type: 'string' },
    processName: nullableString,
    processInstanceKey: keyString,
    projectId: nullableString,
    projectName: nullableString,
    unitId: nullableString,
    unitName: nullableString,
    candidateGroups: { type: 'array', items: { type: 'string' } },
    assignee: { ...nullableString, description: '认领人的账号编号' },
    assigneeName: nullableString,
    assignedToMe: { type: 'boolean' },
    creationDate: isoDate,
    dueDate: nullableString,
    workingDaysLeft: { type: ['integer', 'null'], description: '剩余工作日（负数为已逾期工作日）' },
    overdue: { type: 'boolean' },
    dueDateProvisional: {
      type: 'boolean',
      description: '到期日所在年度尚无官方节假日安排，按周一至周五计算',
    },
    formKey: nullableString,
  },
} as const;

export const taskListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    scope: {
      type: 'string',
      enum: ['mine', 'groups', 'all'],
      default: 'all',
      description: 'mine: 我认领的；groups: 我所在候选组的；all: 两者',
    },
    projectId: { type: 'string', maxLength: 100, pattern: '^[A-Za-z0-9._-]+$' },
  },
} as const;

export const taskListSchema = {
  type: 'object',
  properties: { items: { type: 'array', items: taskSchema }, total: { type: 'integer' } },
} as const;

export const taskDetailSchema = {
  type: 'object',
  properties: {
    task: taskSchema,
    form: {
      type: ['object', 'null'],
      properties: {
        formId: { type: 'string' },
        formKey: { type: 'string' },
        version: { type: 'integer' },
        schema: { type: 'object', additionalProperties: true },
        requiredFields: { type: 'array', items: { type: 'string' } },
      },
    },
    variables: { type: 'object', additionalProperties: true },
  },
} as const;

export const completeTaskBody = {
  type: 'object',
  required: ['variables'],
  additionalProperties: false,
  properties: {
    variables: { type: 'object', description: '表单字段的值（按表单的 key）' },
  },
} as const;

export const taskActionResponse = {
  type: 'object',
  properties: { userTaskKey: keyString, state: { type: 'string' }, assignee: nullableString },
} as const;

const incidentSchema = {
  type: 'object',
  properties: {
    incidentKey: keyString,
    processInstanceKey: keyString,
    processDefinitionId: { type: 'string' },
    elementId: { type: 'string' },
    elementInstanceKey: keyString,
    errorType: { type: 'string' },
    errorMessage: { type: 'string' },
    state: { type: 'string' },
    creationTime: isoDate,
    jobKey: nullableString,
  },
} as const;

const instanceSchema = {
  type: 'object',
  properties: {
    processInstanceKey: keyString,
    processDefinitionId: { type: 'string' },
    processDefinitionKey: keyString,
    processDefinitionName: nullableString,
    processDefinitionVersion: { type: 'integer' },
    state: { type: 'string' },
    startDate: isoDate,
    endDate: nullableString,
    hasIncident: { type: 'boolean' },
    parentProcessInstanceKey: nullableString,
    projectId: nullableString,
  },
} as const;

export const opsInstanceQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    processId: { type: 'string', maxLength: 100, pattern: '^[A-Za-z0-9._-]+$' },
    state: { type: 'string', enum: ['ACTIVE', 'COMPLETED', 'TERMINATED'] },
    hasIncident: { type: 'boolean' },
    projectId: { type: 'string', maxLength: 100, pattern: '^[A-Za-z0-9._-]+$' },
    page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
    pageSize: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
  },
} as const;

export const opsInstanceListSchema = {
  type: 'object',
  properties: {
    items: { type: 'array', items: instanceSchema },
    total: { type: 'integer' },
    page: { type: 'integer' },
    pageSize: { type: 'integer' },
  },
} as const;

export const opsInstanceDetailSchema = {
  type: 'object',
  properties: {
    instance: instanceSchema,
    bpmnXml: { type: 'string', description: '流程定义 XML（bpmn-js 渲染）' },
    activeElementIds: { type: 'array', items: { type: 'string' } },
    completedElementIds: { type: 'array', items: { type: 'string' } },
    incidentElementIds: { type: 'array', items: { type: 'string' } },
    incidents: { type: 'array', items: incidentSchema },
    calledInstances: { type: 'array', items: instanceSchema },
  },
} as const;

export const cancelBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: { reason: { type: 'string', minLength: 1, maxLength: 2000 } },
} as const;

export const variablesBody = {
  type: 'object',
  required: ['variables'],
  additionalProperties: false,
  properties: {
    variables: { type: 'object', minProperties: 1, description: '要设置的流程变量（JSON）' },
  },
} as const;

export const variablesResponse = {
  type: 'object',
  properties: { processInstanceKey: keyString, names: { type: 'array', items: { type: 'string' } } },
} as const;

export const retryResponse = {
  type: 'object',
  properties: { incidentKey: keyString, processInstanceKey: keyString, resolved: { type: 'boolean' } },
} as const;

export const cancelResponse = {
  type: 'object',
  properties: { processInstanceKey: keyString, state: { type: 'string' }, projectId: nullableString },
} as const;

export const campaignSchema = {
  type: 'object',
  description: 'P-1 年度规划备案进度',
  properties: {
    planYear: { type: 'integer' },
    deadline: { type: 'string' },
    deadlinePassed: { type: 'boolean' },
    summary: {
      type: 'object',
      properties: {
        units: { type: 'integer' },
        onTime: { type: 'integer' },
        late: { type: 'integer' },
        pending: { type: 'integer' },
        overdue: { type: 'integer' },
      },
    },
    units: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          unitId: { type: 'string' },
          unitName: { type: 'string' },
          status: { type: 'string', enum: ['on-time', 'late', 'pending', 'overdue'] },
          statusName: { type: 'string' },
          filingNumber: nullableString,
          filedAt: nullableString,
          daysLate: { type: 'integer' },
        },
      },
    },
  },
} as const;
