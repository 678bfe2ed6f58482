// IM-3, AC-3: the costs of 监理 and of the assessments are part of the project's total investment (监理费用纳入项目总投资;
// 验收测评……费用纳入项目总投资). The total investment is the sum of the service lines (category.ts), so such a cost is
// inside it only as a line of its own (第三方服务／监理, 第三方服务／测评): an application that must have 监理 carries a
// 监理 line, and what a 监理 contract costs stays within that line.
import { amountIssue } from './amounts.ts';
import { serviceLineIssues } from './category.ts';
import type { FieldIssue } from './errors.ts';
import { SERVICE_TYPES, type ServiceLine, serviceLineLabel } from './service-types.ts';

type ThirdPartyCost = 'supervision' | 'assessment';

const yuan = (n: number) => `${n.toLocaleString('zh-CN')} 元`;

/** The 元 of the lines of a third-party service (监理 or 测评); null when the lines are not valid lines. */
export function thirdPartyLinesTotal(lines: unknown, subType: ThirdPartyCost): number | null {
  if (serviceLineIssues(lines).length > 0) return null;
  return (lines as ServiceLine[])
    .filter((l) => l.serviceType === 'third-party' && l.subType === subType)
    .reduce((sum, l) => sum + l.amount, 0);
}

/**
 * IM-3: a project whose total investment reaches the edition's supervision threshold must list its 监理 cost as a
 * line (a positive amount), or the cost would lie outside the total investment. Null when it does, or 监理 is not
 * required, or the lines are invalid (their own issues say why).
 */
export function supervisionLineIssue(
  lines: unknown,
  supervisionThreshold: number,
  field = 'serviceLines',
): FieldIssue | null {
  const supervision = thirdPartyLinesTotal(lines, 'supervision');
  if (supervision === null || supervision > 0) return null;
  const total = (lines as ServiceLine[]).reduce((sum, l) => sum + l.amount, 0);
  if (total < supervisionThreshold) return null;
  const label = serviceLineLabel({ serviceType: 'third-party', subType: 'supervision' });
  return {
    field,
    reason: `投资总额 ${yuan(total)}，达到 ${yuan(supervisionThreshold)}，必须实行监理，监理费用纳入项目总投资（IM-3）：请在服务内容中列明“${label}”费用`,
  };
}

/** What a fee check says of each third-party service: its name, its clause and the form's field. */
const FEES: Record<ThirdPartyCost, { name: string; clause: string }> = {
  supervision: { name: '监理费用', clause: 'IM-3' },
  // the software test (IM-4), the acceptance test and the security assessment (AC-3), all from the 测评 lines
  assessment: { name: '测试、测评费用', clause: 'AC-3、IM-4' },
};

/**
 * IM-3, AC-3: what the Unit's contracts with a third party cost — the 监理 contract, or the testing and assessment
 * organisations it engages — must lie within the project's lines of that service (监理 or 测评), the cost the total
 * investment holds for it. A project without such a line has no room for the fee at all: its lines change first
 * by a 重大变更备案.
 */
export function thirdPartyFeeIssue(
  subType: ThirdPartyCost,
  fee: unknown,
  lines: unknown,
  field: string,
): FieldIssue | null {
  const bad = amountIssue(fee, field);
  if (bad) return bad;
  const { name, clause } = FEES[subType];
  const label = serviceLineLabel({ serviceType: 'third-party', subType });
  const room = thirdPartyLinesTotal(lines, subType);
  if (room === null) return { field, reason: `项目的服务内容无法读取，不能核对${name}（${clause}）` };
  if (room === 0)
    return {
      field,
      reason: `项目服务内容中没有“${label}”费用，${name}须纳入项目总投资（${clause}）：请先办理重大变更备案调整服务内容`,
    };
  if ((fee as number) > room)
    return {
      field,
      reason: `${name} ${yuan(fee as number)} 超出项目服务内容中的${SERVICE_TYPES['third-party'].subTypes[subType]}费用 ${yuan(room)}：${name}须在项目总投资之内（${clause}）`,
    };
  return null;
}
