// The range functions feelin 8.2 leaves unimplemented (it fails the call): overlaps before, overlaps after,
// finishes, finished by, during, starts, started by, coincides. Each follows the rule table of the DMN
// spec that Camunda documents at
// https://docs.camunda.io/docs/components/modeler/feel/builtin-functions/feel-built-in-functions-range/
// Points are compared with FEEL's own `<` and `=` (numbers, dates, times, date-times, durations).
import { FeelFunction, evaluate as feelinEvaluate, isRange } from 'feelin';

interface Range {
  start: unknown;
  end: unknown;
  'start included': boolean;
  'end included': boolean;
}

const nativeLess = feelinEvaluate('function(a, b) a < b', {}).value as FeelFunction;
const nativeEqual = feelinEvaluate('function(a, b) a = b', {}).value as FeelFunction;

function lt(a: unknown, b: unknown): boolean {
  return nativeLess.invoke([a, b]) === true;
}

function eq(a: unknown, b: unknown): boolean {
  return nativeEqual.invoke([a, b]) === true;
}

function gt(a: unknown, b: unknown): boolean {
  return lt(b, a);
}

type PointRule = (point: unknown, range: Range) => boolean;
type RangeRule = (a: Range, b: Range) => boolean;

/** A function of (point, range), (range, point), (range, range) or (point, point), as the rules given allow. */
function rangeFunction(
  names: [string, string],
  rules: { pointRange?: PointRule; rangePoint?: PointRule; rangeRange?: RangeRule; pointPoint?: RangeRule },
): FeelFunction {
  return new FeelFunction((a: unknown, b: unknown) => {
    if (a === null || a === undefined || b === null || b === undefined) return null;
    const ra = isRange(a);
    const rb = isRange(b);
    if (ra && rb) return rules.rangeRange ? rules.rangeRange(a as Range, b as Range) : null;
    if (!ra && rb) return rules.pointRange ? rules.pointRange(a, b as Range) : null;
    if (ra && !rb) return rules.rangePoint ? rules.rangePoint(b, a as Range) : null;
    return rules.pointPoint ? rules.pointPoint(a as Range, b as Range) : null;
  }, names);
}

const startsAtPoint: PointRule = (p, r) => r['start included'] && eq(r.start, p);
const endsAtPoint: PointRule = (p, r) => r['end included'] && eq(r.end, p);

function overlapsBefore(a: Range, b: Range): boolean {
  return (
    (lt(a.start, b.start) || (eq(a.start, b.start) && a['start included'] && !b['start included'])) &&
    (gt(a.end, b.start) || (eq(a.end, b.start) && a['end included'] && b['start included'])) &&
    (lt(a.end, b.end) || (eq(a.end, b.end) && (!a['end included'] || b['end included'])))
  );
}

function finishes(a: Range, b: Range): boolean {
  return (
    a['end included'] === b['end included'] &&
    eq(a.end, b.end) &&
    (gt(a.start, b.start) || (eq(a.start, b.start) && (!a['start included'] || b['start included'])))
  );
}

function during(a: Range, b: Range): boolean {
  return (
    (lt(b.start, a.start) || (eq(b.start, a.start) && (b['start included'] || !a['start included']))) &&
    (gt(b.end, a.end) || (eq(b.end, a.end) && (b['end included'] || !a['end included'])))
  );
}

function starts(a: Range, b: Range): boolean {
  return (
    eq(a.start, b.start) &&
    a['start included'] === b['start included'] &&
    (lt(a.end, b.end) || (eq(a.end, b.end) && (!a['end included'] || b['end included'])))
  );
}

function pointDuring(p: unknown, r: Range): boolean {
  return (lt(r.start, p) && gt(r.end, p)) || startsAtPoint(p, r) || endsAtPoint(p, r);
}

/** The range functions, keyed by FEEL name. */
export function rangeFunctions(): Record<string, FeelFunction> {
  return {
    'overlaps before': rangeFunction(['range1', 'range2'], { rangeRange: overlapsBefore }),
    'overlaps after': rangeFunction(['range1', 'range2'], { rangeRange: (a, b) => overlapsBefore(b, a) }),
    finishes: rangeFunction(['point', 'range'], { pointRange: endsAtPoint, rangeRange: finishes }),
    'finished by': rangeFunction(['range', 'point'], {
      rangePoint: endsAtPoint,
      rangeRange: (a, b) => finishes(b, a),
    }),
    during: rangeFunction(['point', 'range'], { pointRange: pointDuring, rangeRange: during }),
    starts: rangeFunction(['point', 'range'], { pointRange: startsAtPoint, rangeRange: starts }),
    'started by': rangeFunction(['range', 'point'], {
      rangePoint: startsAtPoint,
      rangeRange: (a, b) => starts(b, a),
    }),
    coincides: rangeFunction(['point1', 'point2'], {
      pointPoint: (a, b) => eq(a, b),
      rangeRange: (a, b) =>
        eq(a.start, b.start) &&
        a['start included'] === b['start included'] &&
        eq(a.end, b.end) &&
        a['end included'] === b['end included'],
    }),
  };
}
