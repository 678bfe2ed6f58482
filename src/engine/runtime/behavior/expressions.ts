// Reading an element's attributes: a FEEL expression (leading '=') or a static value.
import {
  evaluate,
  evaluateOptionalDateTime,
  evaluateString,
  isExpression,
  parseZonedDateTime,
  staticValue,
} from '../../feel/index.ts';
import { IncidentError } from '../tx.ts';

export function evalAny(expression: string, ctx: Record<string, unknown>): unknown {
  return isExpression(expression) ? evaluate(expression, ctx) : staticValue(expression);
}

export function evalString(expression: string, ctx: Record<string, unknown>): string {
  return isExpression(expression) ? evaluateString(expression, ctx) : expression;
}

export function optionalDate(value: string, ctx: Record<string, unknown>, what: string): number | null {
  if (isExpression(value)) return evaluateOptionalDateTime(value, ctx);
  const parsed = parseZonedDateTime(value);
  if ('error' in parsed)
    throw new IncidentError('EXTRACT_VALUE_ERROR', `Invalid ${what} '${value}': ${parsed.error}`);
  return parsed.epochMs;
}
