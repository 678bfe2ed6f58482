// FEEL for the engine: Zeebe's expression rules (a property starting with `=` is FEEL, anything else a
// static value), feelin as the interpreter plus Camunda's extra built-ins, a compile cache for the hot
// path, and results converted to the JSON values Zeebe would write into variables.
//
// Semantics follow Zeebe 8.x with feel-scala ≥ 1.17: a missing variable, a missing context entry or
// a failed function call evaluates to null and is recorded as a warning, not an error. Only syntax
// errors, failed assert() calls and type mismatches of the typed evaluate* functions raise FeelError;
// the typed functions use Zeebe's incident wording and append the warnings as Zeebe does.
import {
  type FeelFunction,
  SyntaxError as FeelinSyntaxError,
  evaluate as feelinEvaluate,
  unaryTest as feelinUnaryTest,
  parseExpression,
  parseUnaryTests,
  toFeel,
  type Warning,
} from 'feelin';
import { ARITHMETIC_FUNCTIONS, rewriteArithmetic } from './arithmetic.ts';
import { CAMUNDA_FUNCTION_NAMES, type Clock, camundaFunctions, FeelAssertionError } from './functions.ts';
import { FeelLimitError, withinLimits } from './limits.ts';
import { dateTimeToEpochMs, parseZonedDateTime, type ResultType, resultType, toJson } from './values.ts';

export type { Clock } from './functions.ts';
export { EVALUATION_TIMEOUT_MS, MAX_RANGE_ITEMS } from './limits.ts';
export type { ResultType } from './values.ts';
export { formatDateTime, parseZonedDateTime, resultType, toJson } from './values.ts';

export class FeelError extends Error {
  /** The expression without its leading `=`. */
  readonly expression: string;
  readonly warnings: FeelWarning[];
  constructor(message: string, expression: string, warnings: FeelWarning[] = []) {
    super(message);
    this.name = 'FeelError';
    this.expression = expression;
    this.warnings = warnings;
  }
}

export interface FeelWarning {
  type: string;
  message: string;
}

export interface FeelOptions {
  /** Clock for now()/today(); defaults to the one set with setFeelClock. */
  clock?: Clock;
}

const systemClock: Clock = () => Date.now();
let defaultClock: Clock = systemClock;
let activeClock: Clock = systemClock;

/** Sets the clock now() and today() read (the engine's injected clock). */
export function setFeelClock(clock: Clock | undefined): void {
  defaultClock = clock ?? systemClock;
  activeClock = defaultClock;
}

const extensions = { ...camundaFunctions(() => activeClock()), ...ARITHMETIC_FUNCTIONS };
const extensionNames = new Set(CAMUNDA_FUNCTION_NAMES);

/** Zeebe's rule: a property value starting with `=` is a FEEL expression, anything else is static. */
export function isExpression(value: string | undefined): boolean {
  return typeof value === 'string' && value.startsWith('=');
}

function stripEquals(expression: string): string {
  return expression.startsWith('=') ? expression.slice(1) : expression;
}

// ---------------------------------------------------------------------------------------------------
// compile cache

interface Compiled {
  source: string;
  /** Set when the expression does not parse. */
  syntaxError?: string;
  /** The expression wrapped as `function(<free names>) <expression>`; null → evaluate uncached. */
  fn: FeelFunction | null;
  params: string[];
  /** Referenced names that are not passed as parameters; a variable with such a name forces the slow path. */
  unpassed: string[];
  /** feelin's warning list of the wrapper; filled by each call and emptied after it. */
  warnings: Warning[];
  /** Contains a loop, a quantifier or a function definition: evaluated under the time budget. */
  iterates: boolean;
}

const ITERATING = new Set(['ForExpression', 'QuantifiedExpression', 'FunctionDefinition']);

const CACHE_LIMIT = 10_000;
const cache = new Map<string, Compiled>();

const RESERVED = new Set([
  'not',
  'true',
  'false',
  'null',
  'and',
  'or',
  'if',
  'then',
  'else',
  'for',
  'in',
  'return',
  'some',
  'every',
  'satisfies',
  'instance',
  'of',
  'function',
  'external',
  'between',
]);
const SIMPLE_NAME = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;

function syntaxMessage(source: string, error: unknown): string {
  if (error instanceof FeelinSyntaxError) {
    return `failed to parse expression '${source}': ${error.message} at position ${error.position.from}`;
  }
  return `failed to parse expression '${source}': ${error instanceof Error ? error.message : String(error)}`;
}

function findSyntaxError(source: string, unary: boolean): string | undefined {
  if (source.trim() === '') return `failed to parse expression '${source}': the expression is empty`;
  const tree = (unary ? parseUnaryTests : parseExpression)(source, extensions, undefined);
  let errorAt = -1;
  tree.iterate({
    enter(node) {
      if (errorAt >= 0) return false;
      if (node.type.isError) errorAt = node.from;
      return undefined;
    },
  });
  if (errorAt < 0) return undefined;
  // let feelin describe the error (it throws while building the execution tree)
  try {
    if (unary) feelinUnaryTest(source, { ...extensions });
    else feelinEvaluate(source, { ...extensions });
  } catch (error) {
    return syntaxMessage(source, error);
  }
  return `failed to parse expression '${source}': syntax error at position ${errorAt}`;
}

function compile(source: string): Compiled {
  const cached = cache.get(source);
  if (cached) return cached;
  const compiled = buildCompiled(source);
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(source, compiled);
  return compiled;
}

function buildCompiled(source: string): Compiled {
  const syntaxError = findSyntaxError(source, false);
  if (syntaxError)
    return {
      source,
      syntaxError,
      fn: null,
      params: [],
      unpassed: [],
      warnings: [],
      iterates: false,
    };

  const names = new Set<string>();
  let iterates = false;
  const tree = parseExpression(source, extensions, undefined);
  tree.iterate({
    enter(node) {
      if (ITERATING.has(node.name)) iterates = true;
      if (node.name === 'VariableName' && node.node.parent?.name !== 'QualifiedName') {
        names.add(source.slice(node.from, node.to).replace(/\s+/g, ' '));
      }
    },
  });
  const params: string[] = [];
  const unpassed: string[] = [];
  for (const name of names) {
    if (!extensionNames.has(name) && SIMPLE_NAME.test(name) && !RESERVED.has(name)) params.push(name);
    else unpassed.push(name);
  }
  try {
    // the arithmetic as calls of the exact operators (arithmetic.ts)
    const wrapper = `function(${params.join(', ')}) ${rewriteArithmetic(source, extensions)}`;
    const { value, warnings } = feelinEvaluate(wrapper, extensions);
    if (value && typeof (value as FeelFunction).invoke === 'function' && warnings.length === 0) {
      return { source, fn: value as FeelFunction, params, unpassed, warnings, iterates };
    }
  } catch {
    // fall through: evaluate uncached
  }
  return { source, fn: null, params, unpassed, warnings: [], iterates };
}

function toFeelArgument(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.getPrototypeOf(value) === Object.prototype ? value : toFeel(value);
}

interface RawResult {
  value: unknown;
  warnings: FeelWarning[];
}

function convertWarnings(warnings: Warning[]): FeelWarning[] {
  return warnings.map((w) => {
    // feel-scala's wording for the one warning every incident message shows
    const missing = w.type === 'NO_VARIABLE_FOUND' ? /^Variable '(.*)' not found$/.exec(w.message) : null;
    return { type: w.type, message: missing ? `No variable found with name '${missing[1]}'` : w.message };
  });
}

function runCompiled(compiled: Compiled, context: Record<string, unknown>): RawResult {
  const { fn } = compiled;
  if (fn !== null && !compiled.unpassed.some((name) => context[name] !== undefined)) {
    const args = compiled.params.map((name) => toFeelArgument(context[name]));
    try {
      const value = fn.invoke(args);
      return { value: value === undefined ? null : value, warnings: convertWarnings(compiled.warnings) };
    } finally {
      compiled.warnings.length = 0;
    }
  }
  // the parser reads multi-word variable names from the context, so the rewrite must see them too
  const scope = { ...extensions, ...context };
  const { value, warnings } = feelinEvaluate(rewriteArithmetic(compiled.source, scope), scope);
  return { value: value === undefined ? null : value, warnings: convertWarnings(warnings) };
}

/** Evaluates to feelin's runtime value (FEEL dates stay FEEL dates). For the DMN evaluator. */
export function evaluateRaw(
  expression: string,
  context: Record<string, unknown>,
  options?: FeelOptions,
): RawResult {
  const source = stripEquals(expression);
  const compiled = compile(source);
  if (compiled.syntaxError) throw new FeelError(compiled.syntaxError, source);
  const previous = activeClock;
  activeClock = options?.clock ?? defaultClock;
  try {
    return withinLimits(() => runCompiled(compiled, context), compiled.iterates);
  } catch (error) {
    if (error instanceof FeelError) throw error;
    // a stopped evaluation skipped runCompiled's clean-up
    if (error instanceof FeelLimitError) compiled.warnings.length = 0;
    const reason =
      error instanceof FeelAssertionError
        ? `Assertion failure on evaluate the expression '${source}': ${error.message}`
        : `failed to evaluate expression '${source}': ${error instanceof Error ? error.message : String(error)}`;
    throw new FeelError(reason, source);
  } finally {
    activeClock = previous;
  }
}

/** Unary tests (DMN input entries) against `input`; null when the tests cannot be decided. */
export function evaluateUnaryTests(
  tests: string,
  input: unknown,
  context: Record<string, unknown>,
  options?: FeelOptions,
): RawResult {
  const syntaxError = checkUnaryTestsSyntax(tests);
  if (syntaxError) throw new FeelError(syntaxError, tests);
  const previous = activeClock;
  activeClock = options?.clock ?? defaultClock;
  try {
    const scope = { ...extensions, ...context, '?': input ?? null };
    const { value, warnings } = feelinUnaryTest(rewriteArithmetic(tests, scope, true), scope);
    return { value: value ?? null, warnings: convertWarnings(warnings) };
  } catch (error) {
    throw new FeelError(
      `failed to evaluate unary tests '${tests}': ${error instanceof Error ? error.message : String(error)}`,
      tests,
    );
  } finally {
    activeClock = previous;
  }
}

const unaryCache = new Map<string, string | null>();

/** Syntax check for unary tests (DMN input entries): null if they parse, else a message. */
export function checkUnaryTestsSyntax(tests: string): string | null {
  let result = unaryCache.get(tests);
  if (result === undefined) {
    result = tests.trim() === '' ? null : (findSyntaxError(tests, true) ?? null);
    if (unaryCache.size >= CACHE_LIMIT) unaryCache.clear();
    unaryCache.set(tests, result);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------
// public API

/** Deploy-time check: null if the expression (with or without leading `=`) parses, else a message. */
export function checkSyntax(expression: string): string | null {
  return compile(stripEquals(expression)).syntaxError ?? null;
}

/** Evaluates a FEEL expression (leading `=` optional) to a JSON-able value. */
export function evaluate(
  expression: string,
  context: Record<string, unknown>,
  options?: FeelOptions,
): unknown {
  return toJson(evaluateRaw(expression, context, options).value);
}

function typeFailure(
  source: string,
  expected: string,
  actual: ResultType,
  warnings: FeelWarning[],
): FeelError {
  let message = `Expected result of the expression '${source}' to be ${expected}, but was '${actual}'.`;
  if (warnings.length > 0) {
    message += ` The evaluation reported the following warnings:\n${warnings
      .map((w) => `[${w.type}] ${w.message}`)
      .join('\n')}`;
  }
  return new FeelError(message, source, warnings);
}

function typed(
  expression: string,
  context: Record<string, unknown>,
  options: FeelOptions | undefined,
  expected: ResultType[],
): { value: unknown; type: ResultType; warnings: FeelWarning[]; source: string } {
  const source = stripEquals(expression);
  const { value, warnings } = evaluateRaw(expression, context, options);
  const type = resultType(value);
  if (!expected.includes(type)) {
    const wanted = expected.length === 1 ? `'${expected[0]}'` : `one of '[${expected.join(', ')}]'`;
    throw typeFailure(source, wanted, type, warnings);
  }
  return { value, type, warnings, source };
}

export function evaluateBoolean(
  expression: string,
  context: Record<string, unknown>,
  options?: FeelOptions,
): boolean {
  return typed(expression, context, options, ['BOOLEAN']).value as boolean;
}

export function evaluateString(
  expression: string,
  context: Record<string, unknown>,
  options?: FeelOptions,
): string {
  return typed(expression, context, options, ['STRING']).value as string;
}

export function evaluateNumber(
  expression: string,
  context: Record<string, unknown>,
  options?: FeelOptions,
): number {
  return typed(expression, context, options, ['NUMBER']).value as number;
}

/** Evaluates to a list; items converted to JSON values. */
export function evaluateList(
  expression: string,
  context: Record<string, unknown>,
  options?: FeelOptions,
): unknown[] {
  return toJson(typed(expression, context, options, ['ARRAY']).value) as unknown[];
}

/**
 * Reads a property as Zeebe reads candidateGroups / candidateUsers: a static value is a comma-separated
 * list (`a, b` → ['a', 'b']); a FEEL expression (leading `=`) must evaluate to a list of strings.
 */
export function evaluateStringList(
  property: string,
  context: Record<string, unknown>,
  options?: FeelOptions,
): string[] {
  if (!isExpression(property)) {
    return property
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
  }
  const { value, warnings, source } = typed(property, context, options, ['ARRAY']);
  const list = value as unknown[];
  if (!list.every((item) => typeof item === 'string')) {
    throw new FeelError(
      `Expected result of the expression '${source}' to be 'ARRAY' containing 'STRING' items, but was 'ARRAY' containing at least one non-'STRING' item.`,
      source,
      warnings,
    );
  }
  return list as string[];
}

/**
 * Evaluates to a point in time (epoch ms): a FEEL date-time (a local one is read in UTC), or a string
 * holding an ISO date-time with offset or zone id (as Zeebe parses timer dates and due dates).
 */
export function evaluateDateTime(
  expression: string,
  context: Record<string, unknown>,
  options?: FeelOptions,
): number {
  const { value, type, warnings, source } = typed(expression, context, options, ['DATE_TIME', 'STRING']);
  if (type === 'DATE_TIME') return dateTimeToEpochMs(value as Parameters<typeof dateTimeToEpochMs>[0]);
  const parsed = parseZonedDateTime(value as string);
  if ('error' in parsed) {
    throw new FeelError(`Invalid date-time format '${value}' for expression '${source}'.`, source, warnings);
  }
  return parsed.epochMs;
}

/**
 * Like evaluateDateTime, but null or an empty string give null (Zeebe's rule for optional dates such as
 * a user task's due date and follow-up date).
 */
export function evaluateOptionalDateTime(
  expression: string,
  context: Record<string, unknown>,
  options?: FeelOptions,
): number | null {
  const { value, type, warnings, source } = typed(expression, context, options, [
    'NULL',
    'DATE_TIME',
    'STRING',
  ]);
  if (type === 'NULL' || value === '') return null;
  if (type === 'DATE_TIME') return dateTimeToEpochMs(value as Parameters<typeof dateTimeToEpochMs>[0]);
  const parsed = parseZonedDateTime(value as string);
  if ('error' in parsed) {
    throw new FeelError(`Invalid date-time format '${value}' for expression '${source}'.`, source, warnings);
  }
  return parsed.epochMs;
}

/**
 * The value of a static (non-`=`) property as Zeebe types it: `null`, `true`/`false`, a number, or the
 * string itself.
 */
export function staticValue(property: string): null | boolean | number | string {
  if (property === 'null') return null;
  if (property === 'true') return true;
  if (property === 'false') return false;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(property)) return Number(property);
  return property;
}

/** Number of parsed expressions held by the compile cache (for tests and diagnostics). */
export function compiledExpressionCount(): number {
  return cache.size;
}
