// Camunda's search requests — `{ filter, sort: [{ field, order }], page: { from, limit } | { after } |
// { before } }` answered with `{ items, page: { totalItems, startCursor, endCursor, hasMoreTotalItems } }`.
//
// The engine's search takes every operator and sort key on the fields it knows (src/engine/search-sql.ts): a
// request on those goes to the engine as it is, filtered, sorted and paged in SQL. Only a field an entity's spec
// does not list as pushable (e.g. a variable's isTruncated) is answered here: the engine returns every row
// matching the rest, and that field is filtered, sorted and paged in memory.
import type { SearchRequest, SearchResult } from '../queries.ts';
import { likeMatches } from './like.ts';
import { invalidArgument } from './problem.ts';
import { type Body, show } from './validate.ts';

export type Item = Record<string, unknown>;

export interface EntitySpec<T extends Item> {
  /** For messages: "process instance", "user task"… */
  name: string;
  search(req: SearchRequest<Record<string, unknown>>): SearchResult<T>;
  /** Filter fields Camunda accepts for this entity. */
  filters: readonly string[];
  /** Filter fields the engine evaluates itself, with any operator. */
  pushable: ReadonlySet<string>;
  /** Sort fields Camunda accepts. */
  sortFields: readonly string[];
  /** Sort fields the engine sorts by itself. */
  pushableSort: ReadonlySet<string>;
  /** The item's key field: the last sort key, so that paging is stable. */
  keyField: string;
  /** Filters with their own meaning (e.g. candidateGroup against the candidateGroups list). */
  special?: Record<string, (item: T, value: unknown) => boolean>;
  /** Which operators each filter field takes, as Camunda 8.8's OpenAPI types it; unlisted: any operator. */
  kinds?: Readonly<Record<string, FilterKind>>;
}

/**
 * Camunda 8.8's filter property types: StringFilterProperty (string), the key filters (key), the enum state
 * filters (enum), IntegerFilterProperty and DateTimeFilterProperty (ordered), and fields that take a plain
 * value only (plain).
 */
export type FilterKind = 'string' | 'key' | 'enum' | 'ordered' | 'plain';

const KIND_OPERATORS: Record<FilterKind, ReadonlySet<string>> = {
  string: new Set(['$eq', '$neq', '$exists', '$in', '$notIn', '$like']),
  key: new Set(['$eq', '$neq', '$exists', '$in', '$notIn']),
  enum: new Set(['$eq', '$neq', '$exists', '$in', '$like']),
  ordered: new Set(['$eq', '$neq', '$exists', '$gt', '$gte', '$lt', '$lte', '$in']),
  plain: new Set(),
};

interface SortKey {
  field: string;
  order: 'ASC' | 'DESC';
}

interface Page {
  from: number;
  limit: number;
}

const OPERATORS = new Set(['$eq', '$neq', '$exists', '$in', '$notIn', '$like', '$gt', '$gte', '$lt', '$lte']);
const CHUNK = 10_000;

export function parseSearch<T extends Item>(spec: EntitySpec<T>, body: Body): Parsed {
  const violations: string[] = [];
  const filter = body.filter ?? {};
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    violations.push(`The value for filter is '${show(filter)}' but must be a JSON object`);
  } else {
    for (const [field, value] of Object.entries(filter as Record<string, unknown>)) {
      if (!spec.filters.includes(field)) {
        violations.push(`Unknown filter field '${field}' for ${spec.name} search`);
      } else checkOperators(spec, field, value, violations);
    }
  }
  const sort: SortKey[] = [];
  const rawSort = body.sort ?? [];
  if (!Array.isArray(rawSort)) {
    violations.push(`The value for sort is '${show(rawSort)}' but must be a list`);
  } else {
    for (const s of rawSort as Array<Record<string, unknown>>) {
      if (!s || typeof s !== 'object' || s.field === undefined || s.field === null) {
        violations.push('Sort field must not be null');
        continue;
      }
      if (!spec.sortFields.includes(String(s.field))) {
        violations.push(`Unknown sortBy: ${show(s.field)}`);
        continue;
      }
      const order = s.order === undefined || s.order === null ? 'ASC' : String(s.order).toUpperCase();
      if (order !== 'ASC' && order !== 'DESC') {
        violations.push(`Unknown sortOrder: ${show(s.order)}`);
        continue;
      }
      sort.push({ field: String(s.field), order });
    }
  }
  const page = parsePage(body.page, violations);
  if (violations.length > 0) throw invalidArgument(violations);
  return { filter: (filter ?? {}) as Record<string, unknown>, sort, page };
}

function checkOperators<T extends Item>(
  spec: EntitySpec<T>,
  field: string,
  value: unknown,
  violations: string[],
): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const kind = spec.kinds?.[field];
  if (kind === 'plain') {
    violations.push(
      `The value for filter.${field} is '${show(value)}' but must be a plain value (no operators)`,
    );
    return;
  }
  if (!kind && spec.special?.[field]) return;
  const allowed = kind ? KIND_OPERATORS[kind] : OPERATORS;
  const ops = value as Record<string, unknown>;
  for (const op of Object.keys(ops)) {
    if (!OPERATORS.has(op)) violations.push(`Unknown operator '${op}' in filter field '${field}'`);
    else if (!allowed.has(op))
      violations.push(`The operator '${op}' is not allowed on filter field '${field}'`);
    else if ((op === '$in' || op === '$notIn') && !Array.isArray(ops[op])) {
      violations.push(`The value for filter.${field}.${op} is '${show(ops[op])}' but must be a list`);
    } else if (op === '$like' && typeof ops[op] !== 'string') {
      violations.push(`The value for filter.${field}.$like is '${show(ops[op])}' but must be a string`);
    } else if (op === '$exists' && typeof ops[op] !== 'boolean') {
      violations.push(`The value for filter.${field}.$exists is '${show(ops[op])}' but must be a boolean`);
    }
  }
}

function parsePage(raw: unknown, violations: string[]): Page {
  if (raw === undefined || raw === null) return { from: 0, limit: 100 };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    violations.push(`The value for page is '${show(raw)}' but must be a JSON object`);
    return { from: 0, limit: 100 };
  }
  const p = raw as Record<string, unknown>;
  let limit = 100;
  if (p.limit !== undefined && p.limit !== null) {
    if (typeof p.limit !== 'number' || !Number.isInteger(p.limit) || p.limit < 1) {
      violations.push(`The value for page.limit is '${show(p.limit)}' but must be an integer greater than 0`);
    } else limit = p.limit;
  }
  if (p.after !== undefined && p.before !== undefined) {
    violations.push('Both searchAfter and searchBefore cannot be set at the same time');
    return { from: 0, limit };
  }
  if (p.after !== undefined) {
    const offset = decodeCursor(p.after, 'page.after', violations);
    return { from: offset + 1, limit };
  }
  if (p.before !== undefined) {
    const offset = decodeCursor(p.before, 'page.before', violations);
    return { from: Math.max(0, offset - limit), limit: Math.min(limit, offset) };
  }
  let from = 0;
  if (p.from !== undefined && p.from !== null) {
    if (typeof p.from !== 'number' || !Number.isInteger(p.from) || p.from < 0) {
      violations.push(`The value for page.from is '${show(p.from)}' but must be an integer of 0 or more`);
    } else from = p.from;
  }
  return { from, limit };
}

// Cursors are opaque to clients (base64, as Camunda's); ours hold the position of an item in the ordered result.
function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64');
}

function decodeCursor(raw: unknown, field: string, violations: string[]): number {
  if (typeof raw === 'string') {
    try {
      const v = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as { o?: unknown };
      if (typeof v.o === 'number' && Number.isInteger(v.o) && v.o >= 0) return v.o;
    } catch {
      // reported below
    }
  }
  violations.push(
    `The value for ${field} is '${show(raw)}' but must be a cursor returned by a previous search`,
  );
  return 0;
}

type Parsed = { filter: Record<string, unknown>; sort: SortKey[]; page: Page };

/** Splits the filter into what the engine evaluates (pushed) and the rest. */
function splitFilter<T extends Item>(spec: EntitySpec<T>, filter: Record<string, unknown>) {
  const pushed: Record<string, unknown> = {};
  const residual: Array<[string, unknown]> = [];
  for (const [field, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    if (spec.pushable.has(field)) pushed[field] = value;
    else residual.push([field, value]);
  }
  return { pushed, residual };
}

/** Every item matching the pushed filter, read in chunks. */
function fetchAll<T extends Item>(spec: EntitySpec<T>, pushed: Record<string, unknown>): T[] {
  const items: T[] = [];
  for (let from = 0; ; from += CHUNK) {
    const r = spec.search({ filter: pushed, page: { from, limit: CHUNK } });
    items.push(...r.items);
    if (r.items.length < CHUNK || items.length >= r.page.totalItems) return items;
  }
}

function filterSortInMemory<T extends Item>(
  spec: EntitySpec<T>,
  all: T[],
  residual: Array<[string, unknown]>,
  sort: SortKey[],
): T[] {
  const matching = all.filter((item) =>
    residual.every(([field, value]) => {
      const special = spec.special?.[field];
      return special ? special(item, value) : matches(item[field], value);
    }),
  );
  const keys = [...sort, { field: spec.keyField, order: 'ASC' as const }];
  return matching.sort((a, b) => {
    for (const k of keys) {
      const c = compare(a[k.field], b[k.field]);
      if (c !== 0) return k.order === 'DESC' ? -c : c;
    }
    return 0;
  });
}

/** Runs a parsed search against the engine, in SQL where it can, in memory where it must. */
export function runSearch<T extends Item>(
  spec: EntitySpec<T>,
  parsed: Parsed,
): { items: T[]; page: Record<string, unknown> } {
  const { pushed, residual } = splitFilter(spec, parsed.filter);
  const sortPushable = parsed.sort.every((s) => spec.pushableSort.has(s.field)) && parsed.page.limit <= CHUNK;

  let items: T[];
  let total: number;
  if (residual.length === 0 && sortPushable) {
    const r = spec.search({
      filter: pushed,
      page: { from: parsed.page.from, limit: parsed.page.limit },
      sort: parsed.sort.map((s) => ({ field: s.field, order: s.order })),
    });
    items = r.items;
    total = r.page.totalItems;
  } else {
    const matching = filterSortInMemory(spec, fetchAll(spec, pushed), residual, parsed.sort);
    total = matching.length;
    items = matching.slice(parsed.page.from, parsed.page.from + parsed.page.limit);
  }
  const page: Record<string, unknown> = { totalItems: total, hasMoreTotalItems: false };
  if (items.length > 0) {
    page.startCursor = encodeCursor(parsed.page.from);
    page.endCursor = encodeCursor(parsed.page.from + items.length - 1);
  }
  return { items, page };
}

/** Camunda's filter property semantics: a plain value means equality; an object holds operators. */
export function matches(actual: unknown, filter: unknown): boolean {
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) return equal(actual, filter);
  const f = filter as Record<string, unknown>;
  const present = actual !== null && actual !== undefined;
  if ('$exists' in f && Boolean(f.$exists) !== present) return false;
  if ('$eq' in f && !equal(actual, f.$eq)) return false;
  if ('$neq' in f && equal(actual, f.$neq)) return false;
  if ('$in' in f && !(Array.isArray(f.$in) && f.$in.some((v) => equal(actual, v)))) return false;
  if ('$notIn' in f && Array.isArray(f.$notIn) && f.$notIn.some((v) => equal(actual, v))) return false;
  if ('$like' in f && !(typeof actual === 'string' && likeMatches(String(f.$like), actual))) return false;
  if ('$gt' in f && !(present && compare(actual, f.$gt) > 0)) return false;
  if ('$gte' in f && !(present && compare(actual, f.$gte) >= 0)) return false;
  if ('$lt' in f && !(present && compare(actual, f.$lt) < 0)) return false;
  if ('$lte' in f && !(present && compare(actual, f.$lte) <= 0)) return false;
  return true;
}

function equal(actual: unknown, expected: unknown): boolean {
  if (actual === expected) return true;
  if (actual === null || actual === undefined || expected === null || expected === undefined) return false;
  if (isDate(actual) && typeof expected === 'string')
    return Date.parse(actual as string) === Date.parse(expected);
  return String(actual) === String(expected);
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
function isDate(v: unknown): boolean {
  return typeof v === 'string' && ISO.test(v);
}

/** Orders numbers, numeric keys (as big integers), dates and strings; missing values last. */
export function compare(a: unknown, b: unknown): number {
  const aMissing = a === null || a === undefined;
  const bMissing = b === null || b === undefined;
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const sa = String(a);
  const sb = String(b);
  if (/^\d+$/.test(sa) && /^\d+$/.test(sb)) {
    const x = BigInt(sa);
    const y = BigInt(sb);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (isDate(sa) && isDate(sb)) return Date.parse(sa) - Date.parse(sb);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Drops null and undefined fields: Camunda leaves absent values out of its responses. */
export function compact<T extends Item>(item: T): Item {
  const out: Item = {};
  for (const [k, v] of Object.entries(item)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}
