// Camunda 8.8's search filters as SQL: every operator of a filter property ($eq, $neq, $exists, $in, $notIn,
// $like, $gt, $gte, $lt, $lte) on a column, on a JSON list column (a task's candidate groups: some entry
// matches), and on variables (`[{ name, value }]`: the scope has the variable and its value matches). The
// semantics are those of the REST layer's in-memory `matches` (src/engine/rest/search.ts), which test/engine
// compares against: absent values never equal anything, so `$neq` and `$notIn` keep them; `$gt`… drop them.

export type ColumnKind = 'key' | 'bool' | 'date' | 'list' | 'number';

export interface Column {
  column: string;
  kind?: ColumnKind;
  /** Whether the column may hold NULL (sorted last ascending, first descending, as the in-memory sort). */
  nullable?: boolean;
}

/** A filter whose SQL is built by the caller (variables, element instances of an instance…). */
export type CustomFilter = (value: unknown, params: unknown[]) => string;

export const invalid = (message: string) => Object.assign(new Error(message), { code: 'INVALID_ARGUMENT' });

function convert(kind: ColumnKind | undefined, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'key':
      return Number(v);
    case 'bool':
      return v === true || v === 'true' ? 1 : 0;
    case 'number':
      return Number(v);
    case 'date': {
      const ms = typeof v === 'number' ? v : Date.parse(String(v));
      if (Number.isNaN(ms)) throw invalid(`The value '${String(v)}' is not an ISO 8601 date-time`);
      return ms;
    }
    default:
      return typeof v === 'string' ? v : String(v);
  }
}

/** Camunda's `$like` (`*` any run, `?` one character, `\` escapes) as an SQLite GLOB pattern (case-sensitive). */
export function likeToGlob(pattern: string): string {
  let out = '';
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '\\' && i + 1 < chars.length) {
      const next = chars[++i]!;
      out += next === '*' || next === '?' || next === '[' ? `[${next}]` : next;
    } else if (c === '[') out += '[[]';
    else out += c;
  }
  return out;
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Conditions on one scalar column (`c` is the SQL expression), every operator ANDed. */
export function scalarSql(
  c: string,
  kind: ColumnKind | undefined,
  value: unknown,
  params: unknown[],
): string {
  if (kind === 'bool') {
    const v = isOperatorObject(value) ? value.$eq : value;
    return convert('bool', v) ? `${c} > 0` : `${c} = 0`;
  }
  if (value === null) return `${c} IS NULL`;
  if (!isOperatorObject(value)) {
    params.push(convert(kind, value));
    return `${c} = ?`;
  }
  const parts: string[] = [];
  const list = (v: unknown) => (Array.isArray(v) ? v : [v]).map((x) => convert(kind, x));
  for (const [op, v] of Object.entries(value)) {
    if (v === undefined) continue;
    switch (op) {
      case '$exists':
        parts.push(v ? `${c} IS NOT NULL` : `${c} IS NULL`);
        break;
      case '$eq':
        if (v === null) parts.push('0');
        else {
          parts.push(`${c} = ?`);
          params.push(convert(kind, v));
        }
        break;
      case '$neq':
        if (v === null) parts.push('1');
        else {
          parts.push(`(${c} IS NULL OR ${c} <> ?)`);
          params.push(convert(kind, v));
        }
        break;
      case '$in': {
        const xs = list(v).filter((x) => x !== null);
        if (xs.length === 0) parts.push('0');
        else {
          parts.push(`${c} IN (${placeholders(xs.length)})`);
          params.push(...xs);
        }
        break;
      }
      case '$notIn': {
        const xs = list(v).filter((x) => x !== null);
        if (xs.length > 0) {
          parts.push(`(${c} IS NULL OR ${c} NOT IN (${placeholders(xs.length)}))`);
          params.push(...xs);
        }
        break;
      }
      case '$like':
        parts.push(`${c} GLOB ?`);
        params.push(likeToGlob(String(v)));
        break;
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte': {
        const sqlOp = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' }[op];
        parts.push(`${c} ${sqlOp} ?`);
        params.push(convert(kind, v));
        break;
      }
      default:
        throw invalid(`Unknown operator '${op}'`);
    }
  }
  return parts.length ? parts.join(' AND ') : '1';
}

/**
 * A JSON list column (candidate groups / users): `$exists` asks whether the list has an entry, `$neq` and
 * `$notIn` that no entry is excluded, every other operator that some one entry matches them all.
 */
export function listSql(c: string, value: unknown, params: unknown[]): string {
  const entry = (cond: string) => `EXISTS (SELECT 1 FROM json_each(${c}) WHERE ${cond})`;
  if (!isOperatorObject(value)) {
    if (value === null) return `json_array_length(${c}) = 0`;
    // instr() on the JSON text first: a cheap scan that rules out most rows before json_each parses any
    params.push(JSON.stringify(String(value)), String(value));
    return `instr(${c}, ?) > 0 AND ${entry('value = ?')}`;
  }
  const { $exists, $neq, $notIn, ...rest } = value;
  const parts: string[] = [];
  if ($exists !== undefined) parts.push(`json_array_length(${c}) ${$exists ? '>' : '='} 0`);
  if ($neq !== undefined && $neq !== null) {
    parts.push(`NOT ${entry('value = ?')}`);
    params.push(String($neq));
  }
  if (Array.isArray($notIn) && $notIn.length > 0) {
    parts.push(`NOT ${entry(`value IN (${placeholders($notIn.length)})`)}`);
    params.push(...$notIn.map(String));
  }
  if (Object.keys(rest).length > 0) parts.push(entry(scalarSql('value', undefined, rest, params)));
  return parts.length ? parts.join(' AND ') : '1';
}

/** Values at most this long are in the variables (name, value) index; a longer one is matched by scanning. */
export const INDEXED_VALUE_LENGTH = 512;

/** Whether few scopes hold this variable with this value (so that a search may start from them). */
export type Selectivity = (name: string, value: string) => boolean;

/** At most this many scopes with a variable's value: a search may start from them. */
const SELECTIVE = 1_000;

/** Counts, through the (name, value) index and never past SELECTIVE entries, the scopes with the value. */
export function selectivityOf(db: { q(sql: string): { get(...params: unknown[]): unknown } }): Selectivity {
  const sql = `SELECT count(*) AS n FROM (SELECT 1 FROM variables WHERE name = ? AND value = ? AND length(value) <= ${INDEXED_VALUE_LENGTH} LIMIT ${SELECTIVE})`;
  return (name, value) => (db.q(sql).get(name, value) as { n: number }).n < SELECTIVE;
}

/**
 * Camunda's variable filters (`[{ name, value }]`, value a StringFilterProperty on the JSON text): `scopeSql` is
 * the SQL expression of the scope whose variables must match. A selective equality (a project id) drives the
 * search through the variables (name, value) index; a common one (the tenant id every instance has) is checked
 * per row found otherwise, by (scope, name) — so that no search reads the variables of every instance ever run.
 */
export function variablesSql(
  scopeSql: string,
  value: unknown,
  params: unknown[],
  selective: Selectivity = () => true,
): string {
  if (!Array.isArray(value)) throw invalid('A variable filter must be a list of { name, value }');
  const filters = value as Array<{ name?: unknown; value?: unknown }>;
  for (const f of filters) if (typeof f?.name !== 'string') throw invalid('A variable filter needs a name');
  const indexed = (f: { name?: unknown; value?: unknown }) =>
    typeof f.value === 'string' && f.value.length <= INDEXED_VALUE_LENGTH;
  const driver = filters.findIndex((f) => indexed(f) && selective(String(f.name), String(f.value)));
  const cond = (f: { name?: unknown; value?: unknown }, v: string) => {
    params.push(f.name);
    if (indexed(f)) {
      params.push(f.value);
      // the partial index's condition, so that SQLite may use it
      return `${v}.name = ? AND ${v}.value = ? AND length(${v}.value) <= ${INDEXED_VALUE_LENGTH}`;
    }
    return `${v}.name = ? AND ${scalarSql(`${v}.value`, undefined, f.value, params)}`;
  };
  const scope = driver >= 0 ? 'd.scope_key' : scopeSql;
  const parts: string[] = [];
  const head = driver >= 0 ? cond(filters[driver]!, 'd') : '';
  filters.forEach((f, i) => {
    if (i === driver) return;
    parts.push(
      `EXISTS (SELECT 1 FROM variables v${i} WHERE v${i}.scope_key = ${scope} AND ${cond(f, `v${i}`)})`,
    );
  });
  if (driver < 0) return parts.length ? parts.join(' AND ') : '1';
  const rest = parts.map((p) => ` AND ${p}`).join('');
  return `${scopeSql} IN (SELECT d.scope_key FROM variables d WHERE ${head}${rest})`;
}

/** WHERE conditions for a filter: columns by kind, custom filters by their own SQL. */
export function filterSql(
  columns: Record<string, Column>,
  custom: Record<string, CustomFilter>,
  filter: Record<string, unknown>,
  params: unknown[],
): string[] {
  const where: string[] = [];
  for (const [field, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    const own = custom[field];
    if (own) {
      where.push(own(value, params));
      continue;
    }
    const col = columns[field];
    if (!col) throw invalid(`Unknown filter field '${field}'`);
    if (col.kind === 'list') where.push(listSql(col.column, value, params));
    else if (Array.isArray(value)) where.push(scalarSql(col.column, col.kind, { $in: value }, params));
    else where.push(scalarSql(col.column, col.kind, value, params));
  }
  return where;
}

/** ORDER BY for sort keys on columns; the key last so that paging is stable. */
export function orderSql(
  columns: Record<string, Column>,
  sort: Array<{ field: string; order?: string }> | undefined,
): string {
  const parts: string[] = [];
  for (const s of sort ?? []) {
    const col = columns[s.field];
    if (!col || col.kind === 'list') throw invalid(`Unknown sortBy: ${s.field}`);
    const dir = s.order?.toUpperCase() === 'DESC' ? 'DESC' : 'ASC';
    // absent last ascending, first descending, spelled so that an index on (x IS NULL, x) serves it
    if (col.nullable) parts.push(`(${col.column} IS NULL) ${dir}`);
    parts.push(`${col.column} ${dir}`);
  }
  parts.push('key ASC');
  return parts.join(', ');
}

export interface SearchRequest<F> {
  filter?: F;
  page?: { from?: number; limit?: number };
  sort?: Array<{ field: string; order?: 'ASC' | 'DESC' | 'asc' | 'desc' }>;
}

export interface SearchResult<T> {
  items: T[];
  page: { totalItems: number };
}

/** One search: the filter and sort in SQL, from/limit paging, the total counted unless the caller knows it. */
export function runSearch<R, T, F extends object>(
  it: { db: { q(sql: string): { get(...p: unknown[]): unknown; all(...p: unknown[]): unknown[] } } },
  table: string,
  columns: Record<string, Column>,
  request: SearchRequest<F> | undefined,
  map: (row: R) => T,
  custom: Record<string, CustomFilter> = {},
  extraWhere: string[] = [],
  extraParams: unknown[] = [],
  knownTotal?: number,
): SearchResult<T> {
  const params: unknown[] = [...extraParams];
  const where = [
    ...extraWhere,
    ...filterSql(columns, custom, (request?.filter ?? {}) as Record<string, unknown>, params),
  ];
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const limit = Math.min(Math.max(request?.page?.limit ?? 100, 1), 10_000);
  const from = Math.max(request?.page?.from ?? 0, 0);
  const order = orderSql(columns, request?.sort);
  const total =
    knownTotal ??
    (it.db.q(`SELECT count(*) AS n FROM ${table} ${whereSql}`).get(...params) as { n: number }).n;
  const rows = it.db
    .q(`SELECT * FROM ${table} ${whereSql} ORDER BY ${order} LIMIT ? OFFSET ?`)
    .all(...params, limit, from) as R[];
  return { items: rows.map(map), page: { totalItems: total } };
}
