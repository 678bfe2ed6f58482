// FEEL arithmetic as Camunda computes it. feelin computes `+ - * / **` on JavaScript floats and has no
// duration × number; so before feelin sees an expression, its arithmetic is rewritten into calls of
// the operator functions below (`a + b` → `__feel_add(a, b)`), which compute numbers as exact
// decimals (decimal.ts), scale durations by numbers, and hand every other operand pair back to feelin's
// own operator (strings, dates, date − date …) so that its results and warnings stay as they were.

import type { SyntaxNode } from '@lezer/common';
import {
  duration,
  FeelDuration,
  FeelFunction,
  evaluate as feelinEvaluate,
  parseExpression,
  parseUnaryTests,
} from 'feelin';
import * as dec from './decimal.ts';
import { isBooleanCallCondition } from './filters.ts';

type FeelNumber = number | bigint;

function isNumeric(value: unknown): value is FeelNumber {
  return (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint';
}

function isDuration(value: unknown): value is FeelDuration {
  return value instanceof FeelDuration;
}

// feelin reports a failed call through an InvocationFailure it does not export; a mismatched call hands
// one back, and its class is the one the interpreter recognises.
const InvocationFailure = (new FeelFunction(() => null, []).invoke({ probe: 1 }) as object)
  .constructor as new (
  warning: string,
  template: string,
  values: Record<string, unknown>,
) => object;

function failure(type: string, message: string): object {
  return new InvocationFailure(type, message.replaceAll('{', '(').replaceAll('}', ')'), {});
}

// ---------------------------------------------------------------------------------------------------
// feelin's own operators, for the operand pairs that are no numbers

interface Native {
  fn: FeelFunction;
  warnings: { type: string; message: string }[];
}

function native(source: string, parameters = 'a, b'): Native {
  const { value, warnings } = feelinEvaluate(`function(${parameters}) ${source}`, {});
  return { fn: value as FeelFunction, warnings: warnings as Native['warnings'] };
}

const NATIVE: Record<string, Native> = {
  '+': native('a + b'),
  '-': native('a - b'),
  '*': native('a * b'),
  '/': native('a / b'),
  '**': native('a ** b'),
  '=': native('a = b'),
  '!=': native('a != b'),
  '<': native('a < b'),
  '<=': native('a <= b'),
  '>': native('a > b'),
  '>=': native('a >= b'),
};

function callNative({ fn, warnings }: Native, args: unknown[]): unknown {
  try {
    const value = fn.invoke(args);
    const warning = warnings[0];
    return warning ? failure(warning.type, warning.message) : value;
  } finally {
    warnings.length = 0;
  }
}

function viaFeelin(op: string, a: unknown, b: unknown): unknown {
  return callNative(NATIVE[op]!, [a, b]);
}

/**
 * feelin's own version of a function an extension replaces, as `(args) => result`; its warning is
 * handed on to the calling expression. `parameters` name the arguments in `call`, e.g. `a, b` and
 * `date and time(a, b)`.
 */
export function nativeFunction(parameters: string, call: string): (args: unknown[]) => unknown {
  const compiled = native(call, parameters);
  return (args) => callNative(compiled, args);
}

// ---------------------------------------------------------------------------------------------------
// numbers

/** Integer + − × that stays within 2^53 is exact in JavaScript numbers already (the common case, kept fast). */
function integerShortcut(a: FeelNumber, b: FeelNumber, op: unknown): number | undefined {
  if (
    typeof a !== 'number' ||
    typeof b !== 'number' ||
    !Number.isSafeInteger(a) ||
    !Number.isSafeInteger(b)
  ) {
    return undefined;
  }
  const result =
    op === dec.add ? a + b : op === dec.subtract ? a - b : op === dec.multiply ? a * b : undefined;
  return result !== undefined && Number.isSafeInteger(result) ? result + 0 : undefined;
}

function numeric(
  a: FeelNumber,
  b: FeelNumber,
  op: (x: dec.Decimal, y: dec.Decimal) => dec.Decimal | null,
): FeelNumber | null {
  const quick = integerShortcut(a, b, op);
  if (quick !== undefined) return quick;
  const x = dec.toDecimal(a);
  const y = dec.toDecimal(b);
  if (x === null || y === null) return null;
  const result = op(x, y);
  return result === null ? null : dec.fromDecimal(result);
}

const MAX_EXACT_EXPONENT = 9999;

function power(x: dec.Decimal, y: dec.Decimal): dec.Decimal | null {
  if (!dec.isInteger(y) || y.digits > BigInt(MAX_EXACT_EXPONENT) || y.digits < -BigInt(MAX_EXACT_EXPONENT)) {
    const result = Number(dec.toText(x)) ** Number(dec.toText(y));
    return Number.isFinite(result) ? dec.toDecimal(result) : null;
  }
  const exponent = Number(y.digits);
  let result: dec.Decimal = { digits: 1n, scale: 0 };
  let base = x;
  for (let n = Math.abs(exponent); n > 0; n >>= 1) {
    if (n & 1) result = dec.multiply(result, base);
    if (n > 1) base = dec.multiply(base, base);
  }
  return exponent < 0 ? dec.divide({ digits: 1n, scale: 0 }, result) : result;
}

// ---------------------------------------------------------------------------------------------------
// durations scaled by numbers (feel-scala: a years-months duration in whole months, a days-time
// duration in whole milliseconds, the product or quotient truncated)

const MS_PER_DAY = 86_400_000;

function durationMillis(d: FeelDuration): number {
  return d.value.total({ unit: 'millisecond', relativeTo: '2000-01-01' });
}

function durationMonths(d: FeelDuration): number {
  return d.value.years * 12 + d.value.months;
}

/** The days-time duration of `ms` milliseconds, printed with days as FEEL prints it (P5D, PT1H30M). */
export function dayTimeDuration(ms: number): FeelDuration | null {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  const days = Math.floor(rest / MS_PER_DAY);
  rest -= days * MS_PER_DAY;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = rest / 1000;
  let time = '';
  if (hours) time += `${hours}H`;
  if (minutes) time += `${minutes}M`;
  if (seconds) time += `${Number(seconds.toFixed(3))}S`;
  const text = `${sign}P${days ? `${days}D` : ''}${time ? `T${time}` : days ? '' : 'T0S'}`;
  return duration(text);
}

/** The years-months duration of `months` months (P1Y2M, P0M). */
export function yearsMonthsDuration(months: number): FeelDuration | null {
  const sign = months < 0 ? '-' : '';
  const abs = Math.abs(months);
  const years = Math.floor(abs / 12);
  const rest = abs % 12;
  if (years === 0 && rest === 0) return duration('P0Y');
  return duration(`${sign}P${years ? `${years}Y` : ''}${rest ? `${rest}M` : ''}`);
}

function scaleDuration(d: FeelDuration, factor: FeelNumber, divide: boolean): FeelDuration | null {
  const f = dec.toDecimal(factor);
  if (f === null || (divide && f.digits === 0n)) return null;
  const amount = dec.toDecimal(d.yearsMonths ? durationMonths(d) : durationMillis(d))!;
  const scaled = divide ? dec.divide(amount, f) : dec.multiply(amount, f);
  if (scaled === null) return null;
  const whole = Number(dec.toText(dec.roundToScale(scaled, 0, 'down')));
  return d.yearsMonths ? yearsMonthsDuration(whole) : dayTimeDuration(whole);
}

// ---------------------------------------------------------------------------------------------------
// the operator functions

function add(a: unknown, b: unknown): unknown {
  if (isNumeric(a) && isNumeric(b)) return numeric(a, b, dec.add);
  return viaFeelin('+', a, b);
}

function subtract(a: unknown, b: unknown): unknown {
  if (isNumeric(a) && isNumeric(b)) return numeric(a, b, dec.subtract);
  return viaFeelin('-', a, b);
}

function multiply(a: unknown, b: unknown): unknown {
  if (isNumeric(a) && isNumeric(b)) return numeric(a, b, dec.multiply);
  if (isDuration(a) && isNumeric(b)) return scaleDuration(a, b, false);
  if (isNumeric(a) && isDuration(b)) return scaleDuration(b, a, false);
  return viaFeelin('*', a, b);
}

function divide(a: unknown, b: unknown): unknown {
  if (isNumeric(a) && isNumeric(b)) return numeric(a, b, dec.divide);
  if (isDuration(a) && isNumeric(b)) return scaleDuration(a, b, true);
  return viaFeelin('/', a, b);
}

function exponentiate(a: unknown, b: unknown): unknown {
  if (isNumeric(a) && isNumeric(b)) return numeric(a, b, power);
  return viaFeelin('**', a, b);
}

function negate(a: unknown): unknown {
  if (isNumeric(a)) return numeric(0, a, dec.subtract);
  if (isDuration(a))
    return a.yearsMonths ? yearsMonthsDuration(-durationMonths(a)) : dayTimeDuration(-durationMillis(a));
  return viaFeelin('-', 0, a);
}

const COMPARISONS: Record<string, (order: number) => boolean> = {
  '=': (order) => order === 0,
  '!=': (order) => order !== 0,
  '<': (order) => order < 0,
  '<=': (order) => order <= 0,
  '>': (order) => order > 0,
  '>=': (order) => order >= 0,
};

/** A comparison; feelin compares numbers exactly, but not an integer beyond 2^53 (a BigInt) with a number. */
function comparison(op: string): (a: unknown, b: unknown) => unknown {
  const test = COMPARISONS[op]!;
  return (a, b) => {
    // two JavaScript numbers compare exactly as they are (the common case, kept fast)
    if (typeof a === 'number' && typeof b === 'number' && Number.isFinite(a) && Number.isFinite(b)) {
      return test(a < b ? -1 : a > b ? 1 : 0);
    }
    if (isNumeric(a) && isNumeric(b)) {
      return test(dec.compare(dec.toDecimal(a)!, dec.toDecimal(b)!));
    }
    return viaFeelin(op, a, b);
  };
}

function bigInteger(text: unknown): unknown {
  return typeof text === 'string' ? dec.fromDecimal(dec.parseDecimal(text)!) : null;
}

const OPERATORS: Record<string, string> = {
  '+': '__feel_add',
  '-': '__feel_subtract',
  '*': '__feel_multiply',
  '/': '__feel_divide',
  '**': '__feel_power',
  '^': '__feel_power',
};

/** The operator functions, as context entries for feelin. */
export const ARITHMETIC_FUNCTIONS: Record<string, FeelFunction> = {
  __feel_add: new FeelFunction(add, ['a', 'b']),
  __feel_subtract: new FeelFunction(subtract, ['a', 'b']),
  __feel_multiply: new FeelFunction(multiply, ['a', 'b']),
  __feel_divide: new FeelFunction(divide, ['a', 'b']),
  __feel_power: new FeelFunction(exponentiate, ['a', 'b']),
  __feel_negate: new FeelFunction(negate, ['a']),
  __feel_integer: new FeelFunction(bigInteger, ['text']),
  __feel_eq: new FeelFunction(comparison('='), ['a', 'b']),
  __feel_ne: new FeelFunction(comparison('!='), ['a', 'b']),
  __feel_lt: new FeelFunction(comparison('<'), ['a', 'b']),
  __feel_le: new FeelFunction(comparison('<='), ['a', 'b']),
  __feel_gt: new FeelFunction(comparison('>'), ['a', 'b']),
  __feel_ge: new FeelFunction(comparison('>='), ['a', 'b']),
};

const COMPARE_FUNCTIONS: Record<string, string> = {
  '=': '__feel_eq',
  '!=': '__feel_ne',
  '<': '__feel_lt',
  '<=': '__feel_le',
  '>': '__feel_gt',
  '>=': '__feel_ge',
};

// ---------------------------------------------------------------------------------------------------
// the rewrite

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) out.push(child);
  return out;
}

/**
 * Where a big integer literal becomes a BigInt: operands of the exact operators and function arguments. feelin
 * cannot build a range, a unary test (`> 9007199254740993`) or `between` on a BigInt, so there it stays a float.
 */
const BIG_INTEGER_PARENTS = new Set(['ArithmeticExpression', 'Comparison', 'PositionalParameters']);

function rewriteNode(source: string, node: SyntaxNode): string {
  if (node.name === 'NumericLiteral') {
    const text = source.slice(node.from, node.to);
    const compact = text.replace(/\s+/g, '');
    const parent = node.parent;
    const exactAt =
      parent !== null &&
      BIG_INTEGER_PARENTS.has(parent.name) &&
      (parent.name !== 'Comparison' || parent.getChild('CompareOp') !== null);
    if (exactAt && /^-?\d+$/.test(compact) && !Number.isSafeInteger(Number(compact))) {
      return `__feel_integer("${compact}")`;
    }
    return text;
  }
  const parts = children(node);
  if (node.name === 'ArithmeticExpression') {
    const [first, second, third] = parts;
    if (parts.length === 3 && second?.name === 'ArithOp' && OPERATORS[source.slice(second.from, second.to)]) {
      const fn = OPERATORS[source.slice(second.from, second.to)];
      return `${fn}(${rewriteNode(source, first!)}, ${rewriteNode(source, third!)})`;
    }
    if (parts.length === 2 && first?.name === 'ArithOp' && source.slice(first.from, first.to) === '-') {
      return `__feel_negate(${rewriteNode(source, second!)})`;
    }
  }
  if (node.name === 'Comparison' && parts.length === 3 && parts[1]!.name === 'CompareOp') {
    const fn = COMPARE_FUNCTIONS[source.slice(parts[1]!.from, parts[1]!.to)];
    // `… or false` keeps the value (true, false or null) and keeps it a test for feelin, which reads
    // `list[a > b]` as a filter only when the expression between the brackets is one
    if (fn) return `(${fn}(${rewriteNode(source, parts[0]!)}, ${rewriteNode(source, parts[2]!)}) or false)`;
  }
  if (parts.length === 0) return source.slice(node.from, node.to);
  if (node.name === 'FilterExpression' && parts.length === 4 && isBooleanCallCondition(source, parts[2]!)) {
    // filters.ts: a boolean built-in's call between the brackets is evaluated per element
    const [list, , condition] = parts as [SyntaxNode, SyntaxNode, SyntaxNode];
    const head = rewriteNode(source, list) + source.slice(list.to, condition.from);
    return `${head}(${rewriteNode(source, condition)} or false)${source.slice(condition.to, node.to)}`;
  }
  let out = '';
  let at = node.from;
  for (const child of parts) {
    out += source.slice(at, child.from) + rewriteNode(source, child);
    at = child.to;
  }
  return out + source.slice(at, node.to);
}

/**
 * The expression with its arithmetic as calls of the operator functions; `context` holds the names the
 * parser must know (multi-word function and variable names).
 */
export function rewriteArithmetic(source: string, context: Record<string, unknown>, unary = false): string {
  if (!/[-+*/^\d<>=[]/.test(source)) return source;
  const tree = (unary ? parseUnaryTests : parseExpression)(source, context, undefined);
  return rewriteNode(source, tree.topNode);
}
