// IM-3, IM-4, AC-3: the third parties that certify for themselves — 监理 firms and the organisations that do the
// software testing, the acceptance testing (第三方验收测评) and the information-security assessment (信息安全测评).
// The registry is configuration: an organisation's accounts carry its id (accounts.organisation_id), belong to its
// candidate group `org-<id>`, and a project's engagement names one of these ids; only that organisation's accounts
// get the task whose result it certifies.

/** What a third party is engaged for. */
export type ThirdPartyService = 'supervision' | 'software-test' | 'acceptance-test' | 'security-assessment';

export interface ThirdPartyOrganisation {
  /** Its Chinese name, as the engagement form offers it. */
  name: string;
  services: readonly ThirdPartyService[];
}

export const THIRD_PARTY_ORGANISATIONS = {
  'jianli-yuehua': { name: '广东粤华信息工程监理有限公司', services: ['supervision'] },
  'jianli-nanfang': { name: '南方信息系统工程监理有限公司', services: ['supervision'] },
  'ceping-gdsoft': {
    name: '广东省软件测评中心',
    services: ['software-test', 'acceptance-test', 'security-assessment'],
  },
  'ceping-saiyun': {
    name: '云浮赛云软件检测有限公司',
    services: ['software-test', 'acceptance-test', 'security-assessment'],
  },
} as const satisfies Record<string, ThirdPartyOrganisation>;
export type ThirdPartyOrganisationId = keyof typeof THIRD_PARTY_ORGANISATIONS;

export function isThirdPartyOrganisation(id: unknown): id is ThirdPartyOrganisationId {
  return typeof id === 'string' && Object.hasOwn(THIRD_PARTY_ORGANISATIONS, id);
}

/** The organisations engaged for `service`, as the options of an engagement form's select. */
export function organisationsFor(service: ThirdPartyService): { label: string; value: string }[] {
  return Object.entries(THIRD_PARTY_ORGANISATIONS)
    .filter(([, o]) => (o.services as readonly string[]).includes(service))
    .map(([value, o]) => ({ label: o.name, value }));
}

/** The candidate group of an organisation's accounts (`org-<id>`). */
export const organisationGroup = (id: string): string => `org-${id}`;
