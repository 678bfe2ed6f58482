// The professional project the tests submit, review and build: the city's 智慧警务 platform of 市公安局, with a
// software line at IM-4's threshold, a 监理 line (IM-3) and a 测评 line for its tests and assessments (IM-4, AC-3):
// 1,060,000 元 in all. One definition for every test.
import type { ServiceLine } from '../../src/domain/index.ts';
import type { ProjectContent } from '../../src/store/projects.ts';

export const PROFESSIONAL_LINES: ServiceLine[] = [
  { serviceType: 'software-development', subType: 'professional-software', amount: 1_000_000 },
  { serviceType: 'third-party', subType: 'supervision', amount: 30_000, relatedTo: 'professional-software' },
  { serviceType: 'third-party', subType: 'assessment', amount: 30_000, relatedTo: 'professional-software' },
];

/** The application fields shared by the API's draft, the process variables and the 项目库 row. */
export const PROFESSIONAL_APPLICATION = {
  planYear: 2027,
  fundingSource: 'city-fiscal',
  classified: false,
  hasDataCatalogue: true,
  supportsIpv6: true,
  serviceLines: PROFESSIONAL_LINES,
};

/** A 项目库 row of the same project, for tests that start processes without the API. */
export function professionalContent(over: Partial<ProjectContent> = {}): ProjectContent {
  return {
    ...PROFESSIONAL_APPLICATION,
    unitId: 'gongan',
    name: '云浮市智慧警务综合平台',
    description: '警务数据汇聚、分析与指挥调度',
    fundingLines: [{ source: 'city-fiscal', amount: 1_060_000 }],
    totalInvestment: 1_060_000,
    softwareDevCost: 1_000_000,
    category: 'professional',
    ruleEdition: 'yunfu-v1',
    ...over,
  };
}
