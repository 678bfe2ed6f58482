// G-3 and IM-1: a project's funding as a list of sources with amounts (元). A city-funded project may be co-funded
// (省级, 中央, 单位自筹, 其他); the lines must add up to the total investment derived from the service lines; a
// project with no city-level fiscal funds is out of scope (G-3); national (中央) funds call for coordination with
// the national side (IM-1), a Bureau task in the lifecycle gated by `involvesNationalFunds`.
import { amountIssue } from './amounts.ts';
import type { FieldIssue } from './errors.ts';
import { FUNDING_SOURCES, type FundingSource } from './service-types.ts';

export interface FundingLine {
  source: FundingSource;
  /** 元, integer. */
  amount: number;
}

export const CITY_FUNDS: FundingSource = 'city-fiscal';
export const NATIONAL_FUNDS: FundingSource = 'national-fiscal';

/** The most funding lines a project may list. */
export const MAX_FUNDING_LINES = 10;

const sourceName = (source: string) => (FUNDING_SOURCES as Record<string, string>)[source] ?? source;

/** G-3: the funding sources that bring a project under the measures, unless the edition in force says others. */
export const DEFAULT_FUNDING_SCOPE: readonly FundingSource[] = [CITY_FUNDS];

/** G-3: the reason a project without funds of the edition's scope (市级财政资金) is refused. */
export function fundingRefusal(sources: string[], scope: readonly string[] = DEFAULT_FUNDING_SCOPE): string {
  const names = sources.length > 0 ? sources.map(sourceName).join('、') : '（未列明）';
  const inScope = scope.map(sourceName).join('或');
  return `资金来源为“${names}”，没有${inScope}：本办法适用于使用${inScope}采购的政务信息化服务项目（G-3），该项目不在本系统受理范围。`;
}

/**
 * The funding lines of an input: its `fundingLines`, or — for a client that still sends the single `fundingSource`
 * of earlier versions — one line of that source carrying the whole total investment. Undefined when neither is given.
 */
export function fundingLinesOf(
  input: { fundingLines?: unknown; fundingSource?: unknown },
  totalInvestment: number,
): unknown {
  if (input.fundingLines !== undefined) return input.fundingLines;
  if (typeof input.fundingSource === 'string' && input.fundingSource !== '') {
    return [{ source: input.fundingSource, amount: totalInvestment }];
  }
  return undefined;
}

export interface FundingCheck {
  /** Field-level issues a Unit can correct (unknown source, bad amount, sum ≠ total investment). */
  issues: FieldIssue[];
  /** G-3: set when the lines are valid but none is city-level fiscal funds. */
  refusalReason: string | null;
}

function lineIssues(lines: unknown[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  lines.forEach((line, i) => {
    const at = `fundingLines[${i}]`;
    const l = (typeof line === 'object' && line !== null ? line : {}) as Record<string, unknown>;
    if (typeof l.source !== 'string' || !Object.hasOwn(FUNDING_SOURCES, l.source)) {
      issues.push({
        field: `${at}.source`,
        reason: `资金来源必须是以下之一：${Object.values(FUNDING_SOURCES).join('、')}`,
      });
    }
    const amount = amountIssue(l.amount, `${at}.amount`);
    if (amount) issues.push(amount);
    else if (l.amount === 0)
      issues.push({ field: `${at}.amount`, reason: '每一项资金来源的金额必须大于 0 元' });
  });
  return issues;
}

/**
 * G-3: checks funding lines against the total investment. `totalInvestment` null means the service lines are not
 * valid yet, so the sum cannot be compared (their own issues say why).
 */
export function checkFunding(
  lines: unknown,
  totalInvestment: number | null,
  scope: readonly string[] = DEFAULT_FUNDING_SCOPE,
): FundingCheck {
  if (!Array.isArray(lines) || lines.length === 0) {
    return {
      issues: [{ field: 'fundingLines', reason: '必须填写至少一项资金来源及其金额' }],
      refusalReason: null,
    };
  }
  if (lines.length > MAX_FUNDING_LINES) {
    return {
      issues: [{ field: 'fundingLines', reason: `资金来源最多 ${MAX_FUNDING_LINES} 项` }],
      refusalReason: null,
    };
  }
  const issues = lineIssues(lines);
  if (issues.length > 0) return { issues, refusalReason: null };
  const valid = lines as FundingLine[];
  if (!valid.some((l) => scope.includes(l.source))) {
    return {
      issues: [],
      refusalReason: fundingRefusal(
        valid.map((l) => l.source),
        scope,
      ),
    };
  }
  const sum = valid.reduce((s, l) => s + l.amount, 0);
  if (totalInvestment !== null && sum !== totalInvestment) {
    issues.push({
      field: 'fundingLines',
      reason: `资金来源合计 ${sum} 元与项目总投资 ${totalInvestment} 元（服务内容金额合计）不一致，相差 ${sum - totalInvestment} 元`,
    });
  }
  return { issues, refusalReason: null };
}

/**
 * G-3 for an application: its funding lines, or the single `fundingSource` of earlier clients — that one source
 * covers the whole total by construction, so only the source is checked, and an issue names `fundingSource`.
 */
export function checkFundingOf(
  input: { fundingLines?: unknown; fundingSource?: unknown },
  totalInvestment: number | null,
  scope: readonly string[] = DEFAULT_FUNDING_SCOPE,
): FundingCheck {
  if (input.fundingLines !== undefined || input.fundingSource === undefined) {
    return checkFunding(input.fundingLines, totalInvestment, scope);
  }
  const source = input.fundingSource;
  if (typeof source !== 'string' || !Object.hasOwn(FUNDING_SOURCES, source)) {
    const reason = `资金来源必须是以下之一：${Object.keys(FUNDING_SOURCES).join('、')}`;
    return { issues: [{ field: 'fundingSource', reason }], refusalReason: null };
  }
  return { issues: [], refusalReason: scope.includes(source) ? null : fundingRefusal([source], scope) };
}

/** IM-1: national (中央) funds are involved — the project must be coordinated with the national side. */
export function involvesNationalFunds(lines: readonly FundingLine[]): boolean {
  return lines.some((l) => l.source === NATIONAL_FUNDS && l.amount > 0);
}

/** The amount of each source, for the deciders' forms (Finance, the City Government): `市级财政资金 800000 元；…`. */
export function fundingSummary(lines: readonly FundingLine[]): string {
  return lines.map((l) => `${sourceName(l.source)} ${l.amount} 元`).join('；');
}

/** The source carrying the largest amount (the first on a tie): the single `fundingSource` older clients read. */
export function mainFundingSource(lines: readonly FundingLine[]): FundingSource {
  let main = lines[0];
  for (const l of lines) if (main && l.amount > main.amount) main = l;
  return main?.source ?? CITY_FUNDS;
}
