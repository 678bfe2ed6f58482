// G-4: the closed vocabulary of service types and subtypes. Every service line of a project has exactly one.
// G-3: in scope are services bought with city-level fiscal funds.

export const SERVICE_TYPES = {
  infrastructure: {
    name: '基础设施服务',
    subTypes: {
      'government-network': '政务网',
      'government-cloud': '政务云',
      'other-infrastructure': '其他信息系统基础设施服务',
    },
  },
  'software-development': {
    name: '软件开发服务',
    subTypes: {
      'public-platform': '公共支撑平台开发服务',
      'general-software': '通用软件开发服务',
      'professional-software': '专业软件开发服务',
    },
  },
  'operation-maintenance': {
    name: '运维服务',
    subTypes: {
      'infrastructure-om': '基础设施运行维护服务',
      'software-om': '软件系统运行维护服务',
    },
  },
  'business-operation': {
    name: '系统业务运营服务',
    subTypes: {
      'business-analysis': '业务分析',
      'data-processing': '数据处理',
      'data-governance': '数据治理',
      'other-operation': '其他辅助运营服务',
    },
  },
  'third-party': {
    name: '第三方服务',
    subTypes: {
      consulting: '咨询',
      supervision: '监理',
      assessment: '测评',
      security: '安全',
    },
  },
} as const;

export type ServiceType = keyof typeof SERVICE_TYPES;
export type SubTypeOf<T extends ServiceType> = keyof (typeof SERVICE_TYPES)[T]['subTypes'];

/**
 * What a related service (O&M of software, business operation, third-party) serves: G-5 and G-6 put
 * "相关运维服务、系统业务运营服务和第三方服务" in the category of the system they relate to.
 */
export const RELATED_TO = {
  infrastructure: '基础设施',
  'public-platform': '公共支撑平台',
  'general-software': '通用软件',
  'professional-software': '专业软件',
} as const;
export type RelatedTo = keyof typeof RELATED_TO;

/** G-3: where a project's money comes from (a closed vocabulary; a project may be co-funded, see funding.ts). */
export const FUNDING_SOURCES = {
  'city-fiscal': '市级财政资金',
  'provincial-fiscal': '省级资金',
  'national-fiscal': '中央（国家）资金',
  'self-raised': '单位自筹',
  other: '其他',
} as const;
export type FundingSource = keyof typeof FUNDING_SOURCES;

export interface ServiceLine {
  serviceType: ServiceType;
  subType: string;
  /** 元, integer. */
  amount: number;
  /** Required where the line's category depends on the system it serves (see `needsRelatedTo`). */
  relatedTo?: RelatedTo;
  description?: string;
}

export function isServiceType(value: unknown): value is ServiceType {
  return typeof value === 'string' && Object.hasOwn(SERVICE_TYPES, value);
}

export function isSubType(serviceType: ServiceType, value: unknown): boolean {
  return typeof value === 'string' && Object.hasOwn(SERVICE_TYPES[serviceType].subTypes, value);
}

export function isRelatedTo(value: unknown): value is RelatedTo {
  return typeof value === 'string' && Object.hasOwn(RELATED_TO, value);
}

/** Lines whose category cannot be read from the subtype alone. */
export function needsRelatedTo(line: Pick<ServiceLine, 'serviceType' | 'subType'>): boolean {
  return (
    (line.serviceType === 'operation-maintenance' && line.subType === 'software-om') ||
    line.serviceType === 'business-operation' ||
    line.serviceType === 'third-party'
  );
}

export function serviceLineLabel(line: Pick<ServiceLine, 'serviceType' | 'subType'>): string {
  const type = SERVICE_TYPES[line.serviceType];
  const sub = (type.subTypes as Record<string, string>)[line.subType] ?? line.subType;
  return `${type.name}／${sub}`;
}
