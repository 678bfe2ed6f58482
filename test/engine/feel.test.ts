import { afterEach, describe, expect, it } from 'vitest';
import {
  checkSyntax,
  compiledExpressionCount,
  evaluate,
  evaluateBoolean,
  evaluateDateTime,
  evaluateList,
  evaluateOptionalDateTime,
  evaluateRaw,
  evaluateString,
  evaluateStringList,
  FeelError,
  isExpression,
  setFeelClock,
  staticValue,
} from '../../src/engine/feel/index.ts';

const NOW = Date.parse('2026-03-01T10:00:00Z');

afterEach(() => setFeelClock(undefined));

function feelError(fn: () => unknown): FeelError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(FeelError);
    return error as FeelError;
  }
  throw new Error('expected a FeelError');
}

describe('FEEL expressions as Zeebe reads properties', () => {
  it('treats a value starting with = as an expression, anything else as static', () => {
    expect(isExpression('=a')).toBe(true);
    expect(isExpression('a')).toBe(false);
    expect(isExpression(undefined)).toBe(false);
    expect(staticValue('true')).toBe(true);
    expect(staticValue('12.5')).toBe(12.5);
    expect(staticValue('null')).toBeNull();
    expect(staticValue('reviewers')).toBe('reviewers');
  });

  it('checks syntax with or without the leading =', () => {
    expect(checkSyntax('=a > 1')).toBeNull();
    expect(checkSyntax('a > 1')).toBeNull();
    expect(checkSyntax('=a + ')).toBe(
      "failed to parse expression 'a + ': Incomplete <ArithmeticExpression> at position 4",
    );
    expect(checkSyntax('=')).toMatch(/empty/);
    expect(checkSyntax('get or else(x, 1)')).toBeNull();
  });

  it('throws a FeelError naming the expression on bad syntax', () => {
    const error = feelError(() => evaluate('=if a then', {}));
    expect(error.expression).toBe('if a then');
    expect(error.message).toMatch(/^failed to parse expression 'if a then'/);
  });
});

describe('evaluation', () => {
  it('evaluates arithmetic, comparisons, paths, filters, loops and contexts', () => {
    const ctx = { a: 3, items: [{ amount: 1 }, { amount: 2 }], applicant: { name: 'Li' } };
    expect(evaluate('=a + 1', ctx)).toBe(4);
    expect(evaluate('a >= 3 and applicant.name = "Li"', ctx)).toBe(true);
    expect(evaluate('items[amount > 1]', ctx)).toEqual([{ amount: 2 }]);
    expect(evaluate('items[item.amount > 1].amount', ctx)).toEqual([2]);
    expect(evaluate('for i in items return i.amount * 2', ctx)).toEqual([2, 4]);
    expect(evaluate('some i in items satisfies i.amount > 1', ctx)).toBe(true);
    expect(evaluate('{b: a, c: b + 1}', ctx)).toEqual({ b: 3, c: 4 });
    expect(evaluate('if a > 2 then "big" else "small"', ctx)).toBe('big');
    expect(evaluate('a instance of number', ctx)).toBe(true);
  });

  it('evaluates an unknown variable to null with a warning, as feel-scala does', () => {
    expect(evaluate('x', {})).toBeNull();
    expect(evaluate('x.y', {})).toBeNull();
    expect(evaluate('x = null', {})).toBe(true);
    expect(evaluateRaw('x', {}).warnings).toEqual([
      { type: 'NO_VARIABLE_FOUND', message: "No variable found with name 'x'" },
    ]);
  });

  it('distinguishes a variable set to null from a missing one', () => {
    expect(evaluateRaw('x', { x: null }).warnings).toEqual([]);
  });

  it('reuses the compiled expression for every evaluation', () => {
    const expression = `amount${Date.now()} > 10`;
    const before = compiledExpressionCount();
    for (let i = 0; i < 50; i++) evaluate(expression, { [`amount${i}`]: i });
    expect(compiledExpressionCount()).toBe(before + 1);
    const name = expression.split(' ')[0]!;
    expect(evaluate(expression, { [name]: 11 })).toBe(true);
    expect(evaluate(expression, { [name]: 9 })).toBe(false);
  });

  it('gives a variable precedence over a built-in function of the same name', () => {
    expect(evaluate('trim', { trim: 'value' })).toBe('value');
    expect(evaluate('trim("  x ")', {})).toBe('x');
  });

  it('converts FEEL temporal values to the strings Zeebe writes into variables', () => {
    expect(evaluate('date and time("2026-11-30T23:59:59@Asia/Shanghai")', {})).toBe(
      '2026-11-30T23:59:59+08:00',
    );
    expect(evaluate('@"2026-11-30T23:59:59@Asia/Shanghai"', {})).toBe('2026-11-30T23:59:59+08:00');
    expect(evaluate('date and time("2026-11-30T15:59:59Z")', {})).toBe('2026-11-30T15:59:59Z');
    expect(evaluate('date and time("2026-11-30T15:59:59")', {})).toBe('2026-11-30T15:59:59');
    expect(evaluate('date("2024-01-31") + duration("P1M")', {})).toBe('2024-02-29');
    expect(evaluate('duration("P3D")', {})).toBe('P3D');
    expect(evaluate('duration("PT1H")', {})).toBe('PT1H');
    expect(evaluate('duration("P1Y2M")', {})).toBe('P1Y2M');
    expect(evaluate('{due: date("2026-01-02"), list: [duration("PT36H")]}', {})).toEqual({
      due: '2026-01-02',
      list: ['P1DT12H'],
    });
  });

  it('adds a duration to a date-time held in a string variable', () => {
    const ctx = { submittedAt: '2026-01-31T09:00:00+08:00' };
    expect(evaluate('date and time(submittedAt) + duration("P1M")', ctx)).toBe('2026-02-28T09:00:00+08:00');
    expect(evaluate('date and time(submittedAt) + duration("P15D")', ctx)).toBe('2026-02-15T09:00:00+08:00');
  });
});

describe('typed evaluation with Zeebe incident wording', () => {
  it('evaluateBoolean', () => {
    expect(evaluateBoolean('=a > 1', { a: 2 })).toBe(true);
    expect(feelError(() => evaluateBoolean('=x', { x: 'yes' })).message).toBe(
      "Expected result of the expression 'x' to be 'BOOLEAN', but was 'STRING'.",
    );
    expect(feelError(() => evaluateBoolean('=missing > 1', {})).message).toBe(
      "Expected result of the expression 'missing > 1' to be 'BOOLEAN', but was 'NULL'. " +
        "The evaluation reported the following warnings:\n[NO_VARIABLE_FOUND] No variable found with name 'missing'",
    );
  });

  it('evaluateString', () => {
    expect(evaluateString('="a" + b', { b: 'c' })).toBe('ac');
    expect(feelError(() => evaluateString('=1', {})).message).toBe(
      "Expected result of the expression '1' to be 'STRING', but was 'NUMBER'.",
    );
  });

  it('evaluateList', () => {
    expect(evaluateList('=[1, date("2026-01-01")]', {})).toEqual([1, '2026-01-01']);
    expect(feelError(() => evaluateList('={}', {})).message).toBe(
      "Expected result of the expression '{}' to be 'ARRAY', but was 'OBJECT'.",
    );
  });

  it('evaluateStringList reads static comma lists and FEEL lists of strings', () => {
    expect(evaluateStringList('reviewers, leaders', {})).toEqual(['reviewers', 'leaders']);
    expect(evaluateStringList('=groups', { groups: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(feelError(() => evaluateStringList('=[1]', {})).message).toBe(
      "Expected result of the expression '[1]' to be 'ARRAY' containing 'STRING' items, but was 'ARRAY' containing at least one non-'STRING' item.",
    );
    expect(feelError(() => evaluateStringList('="a"', {})).message).toBe(
      `Expected result of the expression '"a"' to be 'ARRAY', but was 'STRING'.`,
    );
  });

  it('evaluateDateTime accepts FEEL date-times and ISO strings with offset or zone id', () => {
    const expected = Date.parse('2026-11-30T15:59:59Z');
    expect(evaluateDateTime('=@"2026-11-30T23:59:59@Asia/Shanghai"', {})).toBe(expected);
    expect(evaluateDateTime('=due', { due: '2026-11-30T23:59:59+08:00' })).toBe(expected);
    expect(evaluateDateTime('=due', { due: '2026-11-30T23:59:59+08:00[Asia/Shanghai]' })).toBe(expected);
    expect(evaluateDateTime('=due', { due: '2026-11-30T23:59:59@Asia/Shanghai' })).toBe(expected);
    expect(evaluateDateTime('=date and time("2026-11-30T15:59:59")', {})).toBe(expected);
    expect(feelError(() => evaluateDateTime('=due', { due: '30.11.2026' })).message).toBe(
      "Invalid date-time format '30.11.2026' for expression 'due'.",
    );
    expect(feelError(() => evaluateDateTime('=date("2026-01-01")', {})).message).toBe(
      "Expected result of the expression 'date(\"2026-01-01\")' to be one of '[DATE_TIME, STRING]', but was 'DATE'.",
    );
  });

  it('evaluateOptionalDateTime gives null for null and empty strings', () => {
    expect(evaluateOptionalDateTime('=due', {})).toBeNull();
    expect(evaluateOptionalDateTime('=""', {})).toBeNull();
    expect(evaluateOptionalDateTime('="2026-01-01T00:00:00Z"', {})).toBe(Date.parse('2026-01-01T00:00:00Z'));
  });
});

describe('Camunda built-in functions', () => {
  it('now() and today() read the injected clock', () => {
    setFeelClock(() => NOW);
    expect(evaluate('now()', {})).toBe('2026-03-01T10:00:00Z');
    expect(evaluate('today()', {})).toBe('2026-03-01');
    expect(evaluate('now() + duration("P30D")', {})).toBe('2026-03-31T10:00:00Z');
    expect(evaluate('now()', {}, { clock: () => Date.parse('2030-01-01T00:00:00Z') })).toBe(
      '2030-01-01T00:00:00Z',
    );
    expect(evaluate('now()', {})).toBe('2026-03-01T10:00:00Z');
  });

  it('string functions', () => {
    expect(evaluate('string join(["a", "b"], ", ")', {})).toBe('a, b');
    expect(evaluate('string join(["a", null, "b"], "-", "[", "]")', {})).toBe('[a-b]');
    expect(evaluate('split("a,b", ",")', {})).toEqual(['a', 'b']);
    expect(evaluate('extract("a1b22", "[0-9]+")', {})).toEqual(['1', '22']);
    expect(evaluate('is empty("")', {})).toBe(true);
    expect(evaluate('trim("  x ")', {})).toBe('x');
    expect(evaluate('is blank(" ")', {})).toBe(true);
    expect(evaluate('uuid()', {})).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(evaluate('to base64("FEEL")', {})).toBe('RkVFTA==');
    expect(evaluate('from base64("RkVFTA==")', {})).toBe('FEEL');
    expect(evaluate('string length("云浮")', {})).toBe(2);
  });

  it('list functions', () => {
    expect(evaluate('distinct values([1, 2, 1])', {})).toEqual([1, 2]);
    expect(evaluate('flatten([[1, [2]], 3])', {})).toEqual([1, 2, 3]);
    expect(evaluate('union([1, 2], [2, 3])', {})).toEqual([1, 2, 3]);
    expect(evaluate('sort([3, 1, 2], function(x, y) x < y)', {})).toEqual([1, 2, 3]);
    expect(evaluate('index of([1, 2, 1], 1)', {})).toEqual([1, 3]);
    expect(evaluate('is empty([])', {})).toBe(true);
    expect(evaluate('is empty([1])', {})).toBe(false);
    expect(evaluate('duplicate values([1, 2, 1, 3, 2, 1])', {})).toEqual([1, 2]);
    expect(evaluate('partition([1, 2, 3], 2)', {})).toEqual([[1, 2], [3]]);
  });

  it('context functions', () => {
    expect(evaluate('get value({a: 1}, "a")', {})).toBe(1);
    expect(evaluate('get value({a: {b: 2}}, ["a", "b"])', {})).toBe(2);
    expect(evaluate('get value({a: 1}, "z")', {})).toBeNull();
    expect(evaluate('get entries({a: 1})', {})).toEqual([{ key: 'a', value: 1 }]);
    expect(evaluate('context put({a: 1}, "b", 2)', {})).toEqual({ a: 1, b: 2 });
    expect(evaluate('context put({a: {b: 1}}, ["a", "c"], 2)', {})).toEqual({ a: { b: 1, c: 2 } });
    expect(evaluate('context merge([{a: 1}, {b: 2}])', {})).toEqual({ a: 1, b: 2 });
  });

  it('conversion functions', () => {
    expect(evaluate('string(1.5)', {})).toBe('1.5');
    expect(evaluate('string(date("2024-01-01"))', {})).toBe('2024-01-01');
    expect(evaluate('number("12.5")', {})).toBe(12.5);
    expect(evaluate('date and time("2026-11-30T23:59:59@Asia/Shanghai").timezone', {})).toBe('Asia/Shanghai');
  });

  it('boolean, misc and temporal helpers', () => {
    expect(evaluate('is defined(a)', { a: 1 })).toBe(true);
    expect(evaluate('is defined(a)', {})).toBe(false);
    expect(evaluate('get or else(a, "default")', {})).toBe('default');
    expect(evaluate('get or else(a, "default")', { a: 'x' })).toBe('x');
    expect(evaluate('assert(a, a > 1)', { a: 2 })).toBe(2);
    expect(feelError(() => evaluate('assert(a, a > 1, "a too small")', { a: 0 })).message).toMatch(
      /a too small/,
    );
    expect(evaluate('last day of month(date("2024-02-10"))', {})).toBe('2024-02-29');
    const random = evaluate('random number()', {}) as number;
    expect(random).toBeGreaterThanOrEqual(0);
    expect(random).toBeLessThan(1);
  });
});
