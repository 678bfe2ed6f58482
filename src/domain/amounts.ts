// Amounts are integers of 元 (CNY). Fractions, negatives, strings and missing values are refused with the field named,
// so a threshold such as IM-3's 1,000,000 is never compared against a rounded or coerced number.
import type { FieldIssue } from './errors.ts';
import { DomainValidationError } from './errors.ts';

/** Largest amount accepted: beyond Number.MAX_SAFE_INTEGER an integer is no longer exact. */
export const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;

export function amountIssue(value: unknown, field: string): FieldIssue | null {
  if (value === undefined || value === null) return { field, reason: '金额缺失' };
  if (typeof value !== 'number' || Number.isNaN(value))
    return { field, reason: '金额必须是数字（单位：元）' };
  if (!Number.isFinite(value) || value > MAX_AMOUNT) return { field, reason: '金额超出可精确表示的范围' };
  if (!Number.isInteger(value)) return { field, reason: '金额必须是整数元，不能有角分或小数' };
  if (value < 0) return { field, reason: '金额不能为负数' };
  return null;
}

/** Returns the amount as an integer of 元, or throws a DomainValidationError naming the field. */
export function requireAmount(value: unknown, field: string): number {
  const issue = amountIssue(value, field);
  if (issue) throw new DomainValidationError([issue]);
  return value as number;
}
