// Exact decimal arithmetic for FEEL numbers, as Camunda's FEEL (feel-scala) computes them: BigDecimal
// with MathContext.DECIMAL128 (34 significant digits, half-even rounding). A decimal is a scaled
// BigInt (`digits × 10^-scale`). FEEL numbers stay JavaScript numbers between operations: an operation
// reads each operand as the shortest decimal that round-trips to it (`String(0.1)` is `0.1`), computes
// exactly, and hands back the number nearest the exact result — so `0.1 + 0.2` is the number `0.3`.
// An integer result beyond 2^53 stays a BigInt so that it keeps every digit (`9007199254740993 + 0`).

export interface Decimal {
  digits: bigint;
  /** Number of decimal places; never negative. */
  scale: number;
}

/** Significant digits of DECIMAL128. */
export const PRECISION = 34;

const TEN = 10n;

function pow10(n: number): bigint {
  return TEN ** BigInt(n);
}

/** A FEEL number (JS number or BigInt) as an exact decimal; null for NaN and infinities. */
export function toDecimal(value: number | bigint): Decimal | null {
  if (typeof value === 'bigint') return { digits: value, scale: 0 };
  if (!Number.isFinite(value)) return null;
  return parseDecimal(String(value));
}

/** Parses `-12.5`, `1e-7`, `1.5e+21`; null if the text is no decimal number. */
export function parseDecimal(text: string): Decimal | null {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return null;
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  let digits = BigInt(`${whole}${fraction}` || '0');
  let scale = fraction.length - Number(exponent);
  if (scale < 0) {
    digits *= pow10(-scale);
    scale = 0;
  }
  return normalise({ digits: sign === '-' ? -digits : digits, scale });
}

/** Drops trailing zeros of the fraction (1.50 → 1.5). */
function normalise(d: Decimal): Decimal {
  let { digits, scale } = d;
  while (scale > 0 && digits % TEN === 0n) {
    digits /= TEN;
    scale--;
  }
  return { digits, scale };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.digits * pow10(scale - a.scale), b.digits * pow10(scale - b.scale), scale];
}

export function add(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return round(normalise({ digits: x + y, scale }));
}

export function subtract(a: Decimal, b: Decimal): Decimal {
  return add(a, { digits: -b.digits, scale: b.scale });
}

export function multiply(a: Decimal, b: Decimal): Decimal {
  return round(normalise({ digits: a.digits * b.digits, scale: a.scale + b.scale }));
}

export function compare(a: Decimal, b: Decimal): number {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function digitCount(n: bigint): number {
  return (n < 0n ? -n : n).toString().length;
}

/** Division rounded to 34 significant digits, half-even; null for a division by zero. */
export function divide(a: Decimal, b: Decimal): Decimal | null {
  if (b.digits === 0n) return null;
  if (a.digits === 0n) return { digits: 0n, scale: 0 };
  // enough extra places that the quotient has more than 34 significant digits before rounding
  const extra = PRECISION + 2 + Math.max(0, digitCount(b.digits) - digitCount(a.digits));
  const numerator = a.digits * pow10(extra + b.scale);
  const denominator = b.digits * pow10(a.scale);
  const quotient = numerator / denominator;
  const sign = numerator < 0n !== denominator < 0n ? -1n : 1n;
  // a sticky digit keeps a non-zero remainder visible to the half-even rounding below
  const sticky = quotient * TEN + (numerator % denominator === 0n ? 0n : sign);
  return round(normalise({ digits: sticky, scale: extra + 1 }));
}

export type RoundingMode = 'half-even' | 'half-up' | 'half-down' | 'up' | 'down' | 'floor' | 'ceiling';

/** Rounds to `scale` decimal places (negative: tens, hundreds…). */
export function roundToScale(d: Decimal, scale: number, mode: RoundingMode): Decimal {
  if (d.scale <= scale) return d;
  const divisor = pow10(d.scale - scale);
  let quotient = d.digits / divisor;
  const remainder = d.digits % divisor;
  if (remainder !== 0n) {
    const negative = d.digits < 0n;
    const twice = (remainder < 0n ? -remainder : remainder) * 2n;
    const half = twice === divisor ? 0 : twice > divisor ? 1 : -1;
    let away: boolean;
    switch (mode) {
      case 'up':
        away = true;
        break;
      case 'down':
        away = false;
        break;
      case 'floor':
        away = negative;
        break;
      case 'ceiling':
        away = !negative;
        break;
      case 'half-up':
        away = half >= 0;
        break;
      case 'half-down':
        away = half > 0;
        break;
      default:
        away = half > 0 || (half === 0 && quotient % 2n !== 0n);
    }
    if (away) quotient += negative ? -1n : 1n;
  }
  if (scale >= 0) return normalise({ digits: quotient, scale });
  return { digits: quotient * pow10(-scale), scale: 0 };
}

/** Rounds to DECIMAL128's 34 significant digits. */
export function round(d: Decimal): Decimal {
  const excess = digitCount(d.digits) - PRECISION;
  if (excess <= 0) return d;
  return roundToScale(d, d.scale - excess, 'half-even');
}

export function toText(d: Decimal): string {
  const negative = d.digits < 0n;
  const text = (negative ? -d.digits : d.digits).toString().padStart(d.scale + 1, '0');
  const whole = text.slice(0, text.length - d.scale);
  const fraction = d.scale > 0 ? `.${text.slice(text.length - d.scale)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** The FEEL number for a decimal: an integer beyond 2^53 stays a BigInt, anything else the nearest number. */
export function fromDecimal(d: Decimal): number | bigint {
  if (
    d.scale === 0 &&
    (d.digits > BigInt(Number.MAX_SAFE_INTEGER) || d.digits < -BigInt(Number.MAX_SAFE_INTEGER))
  ) {
    return d.digits;
  }
  const n = Number(toText(d));
  return Object.is(n, -0) ? 0 : n;
}

export function isInteger(d: Decimal): boolean {
  return d.scale === 0;
}
