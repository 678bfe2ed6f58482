// G-5 / G-6: a project is 公共类 (public: the Bureau owns every step) or 专业类 (professional: the Unit owns every step),
// read from its service lines. PC-1 / PC-2 and IM-1 follow from the category.
//
// A project whose lines fall in both categories is refused, not split: the measures approve and accept a project
// as a whole (AC-1 "整体立项，整体验收"), and the public part has a different owner (the Bureau, G-5) and a different
// way in (PUB-1 needs collection, or an IM-6 infrastructure request). Splitting it automatically would create two
// projects nobody applied for. The refusal names the public lines and says where they belong.
import { amountIssue } from './amounts.ts';
import { DomainValidationError, type FieldIssue } from './errors.ts';
import {
  isRelatedTo,
  isServiceType,
  isSubType,
  needsRelatedTo,
  RELATED_TO,
  type RelatedTo,
  SERVICE_TYPES,
  type ServiceLine,
  serviceLineLabel,
} from './service-types.ts';

export type Category = 'public' | 'professional';

export const CATEGORY_NAMES: Record<Category, string> = { public: '公共类', professional: '专业类' };

const RELATED_CATEGORY: Record<RelatedTo, Category> = {
  infrastructure: 'public',
  'public-platform': 'public',
  'general-software': 'public',
  'professional-software': 'professional',
};

/** The category of one valid service line (G-5, G-6). */
export function lineCategory(line: ServiceLine): Category {
  switch (line.serviceType) {
    case 'infrastructure':
      return 'public';
    case 'software-development':
      return line.subType === 'professional-software' ? 'professional' : 'public';
    case 'operation-maintenance':
      if (line.subType === 'infrastructure-om') return 'public';
      return RELATED_CATEGORY[line.relatedTo as RelatedTo];
    default:
      return RELATED_CATEGORY[line.relatedTo as RelatedTo];
  }
}

/** Structural check of service lines: closed vocabulary (G-4), integer amounts, `relatedTo` where needed. */
export function serviceLineIssues(lines: unknown, field = 'serviceLines'): FieldIssue[] {
  if (!Array.isArray(lines)) return [{ field, reason: '必须是服务内容列表' }];
  if (lines.length === 0) return [{ field, reason: '至少需要一项服务内容' }];
  const issues: FieldIssue[] = [];
  lines.forEach((raw, i) => {
    const at = `${field}[${i}]`;
    if (typeof raw !== 'object' || raw === null) {
      issues.push({ field: at, reason: '必须是对象' });
      return;
    }
    const line = raw as Record<string, unknown>;
    if (!isServiceType(line.serviceType)) {
      issues.push({
        field: `${at}.serviceType`,
        reason: `服务类型必须是以下之一：${Object.keys(SERVICE_TYPES).join('、')}`,
      });
      return;
    }
    if (!isSubType(line.serviceType, line.subType)) {
      issues.push({
        field: `${at}.subType`,
        reason: `“${SERVICE_TYPES[line.serviceType].name}”的子类必须是以下之一：${Object.keys(SERVICE_TYPES[line.serviceType].subTypes).join('、')}`,
      });
      return;
    }
    const amount = amountIssue(line.amount, `${at}.amount`);
    if (amount) issues.push(amount);
    const partial = { serviceType: line.serviceType, subType: line.subType as string };
    if (needsRelatedTo(partial) && !isRelatedTo(line.relatedTo)) {
      issues.push({
        field: `${at}.relatedTo`,
        reason: `“${serviceLineLabel(partial)}”须说明所服务的系统：${Object.entries(RELATED_TO)
          .map(([k, v]) => `${k}（${v}）`)
          .join('、')}`,
      });
    }
  });
  return issues;
}

export interface Classification {
  category: Category;
  /** The candidate group that owns the category's steps: the Bureau for public, the Unit for professional. */
  ownerGroup: string;
}

/**
 * G-5, PUB-1, IM-6: a Unit does not apply for a 公共类 project — the Bureau collects public-category needs from the
 * Units and consolidates them into public projects; infrastructure services are requested on their own (IM-6).
 * The reason a Unit's 公共类 application is refused with, telling it where its need belongs.
 */
export const PUBLIC_NEED_ROUTE =
  '公共类服务（基础设施、公共支撑平台、通用软件及其相关运维、运营和第三方服务）由市政数局统一汇总需求并立项（G-5、PUB-1），单位不能自行申报：请在局发起的公共类服务需求征集中，通过本单位的“提出公共类服务需求”任务提出；政务网、政务云等基础设施服务请通过基础设施服务申请提出（IM-6）';

export function ownerGroupFor(category: Category, unitId: string): string {
  return category === 'public' ? 'bureau-admin' : `unit-${unitId}`;
}

/**
 * Classifies a project from its lines. Throws DomainValidationError on invalid lines, and on lines that fall
 * in both categories (see the note at the top of this file).
 */
export function classifyProject(lines: unknown, unitId: string): Classification {
  const issues = serviceLineIssues(lines);
  if (issues.length > 0) throw new DomainValidationError(issues);
  const valid = lines as ServiceLine[];
  const categories = valid.map(lineCategory);
  const publicLines = valid.map((l, i) => ({ l, i })).filter(({ i }) => categories[i] === 'public');
  if (publicLines.length > 0 && publicLines.length < valid.length) {
    const names = publicLines.map(({ l, i }) => `第${i + 1}项（${serviceLineLabel(l)}）`).join('、');
    throw new DomainValidationError([
      {
        field: 'serviceLines',
        reason: `项目同时包含公共类与专业类服务，不能整体立项：${names}属于公共类，由市政数局统筹（基础设施服务请通过基础设施服务申请提出，其他公共类需求请在公共类需求汇总时提出），请将其移出后再以专业类项目申报`,
      },
    ]);
  }
  const category: Category = publicLines.length > 0 ? 'public' : 'professional';
  return { category, ownerGroup: ownerGroupFor(category, unitId) };
}

export interface ProjectAmounts {
  /** 总投资: every line, supervision and assessment costs included (IM-3, AC-3). */
  totalInvestment: number;
  /** 应用软件开发费用: the software-development lines (IM-4). */
  softwareDevCost: number;
}

export function projectAmounts(lines: ServiceLine[]): ProjectAmounts {
  let totalInvestment = 0;
  let softwareDevCost = 0;
  for (const line of lines) {
    totalInvestment += line.amount;
    if (line.serviceType === 'software-development') softwareDevCost += line.amount;
  }
  return { totalInvestment, softwareDevCost };
}
