// JSON schemas of the engine-backed /api routes — submission, filings, requests, timeline, task inbox and
// operations: they validate input and are the OpenAPI document (/docs).
import { isoDate, projectSchema } from './schemas.ts';

const keyString = { type: 'string', description: 'Camunda 键（int64，字符串）' } as const;
const nullableString = { type: ['string', 'null'] } as const;

const keyParamString = {
  type: 'string',
  pattern: '^[0-9]{1,19}$',
  description: 'Camunda 键（数字）',
} as const;

/** The path parameter `name`: a Camunda key (digits). */
export const keyParam = <N extends string>(name: N) =>
  ({
    type: 'object',
    required: [name],
    properties: { [name]: keyParamString } as { readonly [K in N]: typeof keyParamString },
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

export const resultContestBody = {
  type: 'object',
  required: ['result', 'reasons'],
  additionalProperties: false,
  description:
    'IM-4、AC-3：项目负责方对未通过的应用软件第三方测试、第三方验收测评或信息安全测评结论提出异议（仅在相应整改环节）',
  properties: {
    result: {
      type: 'string',
      enum: ['software-test', 'acceptance-test', 'security-assessment'],
      description:
        'software-test 应用软件第三方测试；acceptance-test 第三方验收测评；security-assessment 信息安全测评',
    },
    reasons: { type: 'string', minLength: 1, maxLength: 5000, description: '异议理由' },
  },
} as const;

export const resultContestResponse = {
  type: 'object',
  properties: {
    result: { type: 'string' },
    message: { type: 'string' },
    projectId: { type: 'string' },
    processInstanceKey: keyString,
  },
} as const;

export const infrastructureRequestBody = {
  type: 'object',
  required: ['requestedService', 'requestedSpecification'],
  additionalProperties: false,
  description: 'IM-6 基础设施服务申请（政务云、网络、机房等由市政数局统一分配）',
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
    waiting: {
      type: 'array',
      description: '等待办理的环节：由谁办理、自何时起、到期时间与剩余工作日',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          elementId: { type: 'string' },
          candidateGroups: { type: 'array', items: { type: 'string' } },
          since: isoDate,
          dueDate: nullableString,
          workingDaysLeft: { type: ['integer', 'null'] },
          overdue: { type: 'boolean' },
          dueDateProvisional: { type: 'boolean' },
        },
      },
    },
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
          internal: {
            type: 'boolean',
            description: '自动处理或结构性步骤（服务任务、网关、计算期限），页面默认不显示',
          },
          decision: {
            type: 'object',
            description: '该环节办理的结论、意见、金额、文号（按任务表单的字段名称）',
            properties: {
              choice: nullableString,
              lines: { type: 'array', items: { type: 'string' } },
            },
          },
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
    page: { type: 'integer', minimum: 1, maximum: 1000, default: 1, description: '页码（从 1 起）' },
    pageSize: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
    sort: {
      type: 'string',
      enum: ['due', 'created', 'created-desc'],
      default: 'due',
      description: 'due: 最早到期在前（无期限的在后）；created: 最早创建在前；created-desc: 最新创建在前',
    },
  },
} as const;

export const taskListSchema = {
  type: 'object',
  properties: {
    items: { type: 'array', items: taskSchema },
    total: { type: 'integer', description: '符合条件的任务总数（所有页）' },
    page: { type: 'integer' },
    pageSize: { type: 'integer' },
  },
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
    elementStatistics: {
      type: 'array',
      description: '各节点的实例数（活动、故障、已完成、已取消）',
      items: {
        type: 'object',
        properties: {
          elementId: { type: 'string' },
          active: { type: 'integer' },
          incidents: { type: 'integer' },
          completed: { type: 'integer' },
          canceled: { type: 'integer' },
        },
      },
    },
    takenFlowIds: { type: 'array', items: { type: 'string' }, description: '实例走过的顺序流' },
    movableElementIds: { type: 'array', items: { type: 'string' }, description: '可将令牌移到的节点' },
    callHierarchy: {
      type: 'array',
      description: '调用层级，根实例在前，本实例在后',
      items: {
        type: 'object',
        properties: {
          processInstanceKey: { type: 'string' },
          processDefinitionKey: { type: 'string' },
          processDefinitionName: { type: 'string' },
        },
      },
    },
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
