// FEEL's numeric built-in functions and the numeric list functions, computed on exact decimals
// (decimal.ts) as feel-scala computes them on BigDecimal: `sum([0.1, 0.2])` is 0.3, `decimal(0.125, 2)`
// rounds half-even on the decimal 0.125, not on the float below it. feelin's own versions compute on
// floats; these replace them as context entries. Documented at
// https://docs.camunda.io/docs/components/modeler/feel/builtin-functions/feel-built-in-functions-numeric/
// and .../feel-built-in-functions-list/.
import { FeelFunction, evaluate as feelinEvaluate } from 'feelin';
import { dayTimeDuration, yearsMonthsDuration } from './arithmetic.ts';
import * as dec from './decimal.ts';

type FeelNumber = number | bigint;

function isNumeric(value: unknown): value is FeelNumber {
  return (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint';
}

function toDec(value: unknown): dec.Decimal | null {
  return isNumeric(value) ? dec.toDecimal(value) : null;
}

function out(d: dec.Decimal | null): FeelNumber | null {
  return d === null ? null : dec.fromDecimal(d);
}

/** A function taking a list or its items as arguments (`sum([1, 2])`, `sum(1, 2)`). */
function listFunction(fn: (items: dec.Decimal[]) => dec.Decimal | FeelNumber | null): FeelFunction {
  return new FeelFunction(
    (...args: unknown[]) => {
      const items = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
      const decimals = items.map(toDec);
      if (decimals.some((d) => d === null)) return null;
      const result = fn(decimals as dec.Decimal[]);
      return result === null || typeof result !== 'object' ? result : out(result);
    },
    ['...list'],
  );
}

function numberFunction(
  names: string[],
  fn: (...args: dec.Decimal[]) => dec.Decimal | FeelNumber | boolean | null,
  optional = 0,
): FeelFunction {
  return new FeelFunction((...args: unknown[]) => {
    const given = args.slice(0, names.length);
    while (given.length > names.length - optional && given[given.length - 1] == null) given.pop();
    const decimals = given.map(toDec);
    if (decimals.some((d) => d === null) || decimals.length < names.length - optional) return null;
    const result = fn(...(decimals as dec.Decimal[]));
    return result === null || typeof result !== 'object' ? result : out(result);
  }, names);
}

const ZERO: dec.Decimal = { digits: 0n, scale: 0 };

function sum(items: dec.Decimal[]): dec.Decimal {
  return items.reduce(dec.add, ZERO);
}

function scaleOf(scale: dec.Decimal | undefined): number | null {
  if (scale === undefined) return 0;
  if (!dec.isInteger(scale) || scale.digits > 6111n || scale.digits < -6176n) return null;
  return Number(scale.digits);
}

function rounding(mode: dec.RoundingMode, optionalScale: boolean): FeelFunction {
  return numberFunction(
    ['n', 'scale'],
    (n, scale) => {
      const places = scaleOf(scale);
      return places === null ? null : dec.roundToScale(n!, places, mode);
    },
    optionalScale ? 1 : 0,
  );
}

function sorted(items: dec.Decimal[]): dec.Decimal[] {
  return [...items].sort(dec.compare);
}

function median(items: dec.Decimal[]): dec.Decimal | null {
  if (items.length === 0) return null;
  const list = sorted(items);
  const middle = Math.floor(list.length / 2);
  if (list.length % 2 === 1) return list[middle]!;
  return dec.divide(dec.add(list[middle - 1]!, list[middle]!), { digits: 2n, scale: 0 });
}

/** Sample standard deviation (n − 1), as feel-scala computes it. */
function stddev(items: dec.Decimal[]): FeelNumber | null {
  if (items.length < 2) return null;
  const mean = dec.divide(sum(items), { digits: BigInt(items.length), scale: 0 })!;
  const squares = items.map((x) => {
    const d = dec.subtract(x, mean);
    return dec.multiply(d, d);
  });
  const variance = dec.divide(sum(squares), { digits: BigInt(items.length - 1), scale: 0 })!;
  return Math.sqrt(Number(dec.toText(variance)));
}

function mode(items: dec.Decimal[]): FeelNumber[] {
  const counts = new Map<string, { value: dec.Decimal; count: number }>();
  for (const item of items) {
    const key = dec.toText(item);
    const entry = counts.get(key);
    if (entry) entry.count++;
    else counts.set(key, { value: item, count: 1 });
  }
  const most = Math.max(0, ...[...counts.values()].map((e) => e.count));
  return sorted([...counts.values()].filter((e) => e.count === most).map((e) => e.value)).map(
    dec.fromDecimal,
  );
}

function float(d: dec.Decimal): number {
  return Number(dec.toText(d));
}

function fromFloat(value: number): dec.Decimal | null {
  return Number.isFinite(value) ? dec.toDecimal(value) : null;
}

// feelin's versions, for the arguments that are no numbers (min of strings, abs of a duration)
const nativeMin = feelinEvaluate('function(l) min(l)', {}).value as FeelFunction;
const nativeMax = feelinEvaluate('function(l) max(l)', {}).value as FeelFunction;
const nativeString = feelinEvaluate('function(v) string(v)', {}).value as FeelFunction;

function extreme(sign: 1 | -1, native: FeelFunction): FeelFunction {
  return new FeelFunction(
    (...args: unknown[]) => {
      const items = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
      if (items.length === 0) return null;
      if (!items.every(isNumeric)) return native.invoke([items]);
      let best = items[0]!;
      for (const item of items) if (dec.compare(toDec(item)!, toDec(best)!) * sign > 0) best = item;
      return best;
    },
    ['...list'],
  );
}

function absolute(): FeelFunction {
  return new FeelFunction(
    (n: unknown) => {
      if (isNumeric(n)) return n < 0 ? out(dec.subtract(ZERO, toDec(n)!)) : n;
      if (n !== null && typeof n === 'object' && 'yearsMonths' in n && 'value' in n) {
        const d = n as { yearsMonths: boolean; value: { sign: number; years: number; months: number } };
        if (d.value.sign >= 0) return n;
        if (d.yearsMonths) return yearsMonthsDuration(-(d.value.years * 12 + d.value.months));
        const ms = (n as { value: { total: (o: object) => number } }).value.total({
          unit: 'millisecond',
          relativeTo: '2000-01-01',
        });
        return dayTimeDuration(-ms);
      }
      return null;
    },
    ['n'],
  );
}

function modulo(dividend: dec.Decimal, divisor: dec.Decimal): dec.Decimal | null {
  if (divisor.digits === 0n) return null;
  // feel-scala: dividend − divisor × floor(dividend / divisor)
  const quotient = dec.roundToScale(dec.divide(dividend, divisor)!, 0, 'floor');
  return dec.subtract(dividend, dec.multiply(divisor, quotient));
}

/** The numeric functions, keyed by FEEL name. */
export function numericFunctions(): Record<string, FeelFunction> {
  return {
    sum: listFunction((items) => (items.length === 0 ? null : sum(items))),
    mean: listFunction((items) =>
      items.length === 0 ? null : dec.divide(sum(items), { digits: BigInt(items.length), scale: 0 }),
    ),
    product: listFunction((items) =>
      items.length === 0 ? null : items.reduce(dec.multiply, { digits: 1n, scale: 0 }),
    ),
    median: listFunction(median),
    stddev: listFunction(stddev),
    mode: new FeelFunction(
      (...args: unknown[]) => {
        const items = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
        return items.every(isNumeric) ? mode(items.map((i) => toDec(i)!)) : null;
      },
      ['...list'],
    ),
    min: extreme(-1, nativeMin),
    max: extreme(1, nativeMax),
    decimal: rounding('half-even', false),
    floor: rounding('floor', true),
    ceiling: rounding('ceiling', true),
    'round up': rounding('up', true),
    'round down': rounding('down', true),
    'round half up': rounding('half-up', true),
    'round half down': rounding('half-down', true),
    abs: absolute(),
    // feelin cannot print an integer beyond 2^53 (a BigInt)
    string: new FeelFunction(
      (from: unknown) => (typeof from === 'bigint' ? from.toString() : nativeString.invoke([from])),
      ['from'],
    ),
    modulo: numberFunction(['dividend', 'divisor'], modulo),
    sqrt: numberFunction(['number'], (n) => (n.digits < 0n ? null : fromFloat(Math.sqrt(float(n))))),
    log: numberFunction(['number'], (n) => (n.digits <= 0n ? null : fromFloat(Math.log(float(n))))),
    exp: numberFunction(['number'], (n) => fromFloat(Math.exp(float(n)))),
    odd: numberFunction(['number'], (n) => (dec.isInteger(n) ? n.digits % 2n !== 0n : null)),
    even: numberFunction(['number'], (n) => (dec.isInteger(n) ? n.digits % 2n === 0n : null)),
  };
}
