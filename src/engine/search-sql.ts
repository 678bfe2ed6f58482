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

/**
 * Camunda's variable filters (`[{ name, value }]`, value a StringFilterProperty on the JSON text): `scopeSql` is
 * the SQL expression of the scope whose variables must match. The first filter drives, through the variables
 * (name, value) index; each further one is a lookup by (scope, name) of the scopes found — so put the most
 * selective first (a project id before a tenant id).
 */
export function variablesSql(scopeSql: string, value: unknown, params: unknown[]): string {
  if (!Array.isArray(value)) throw invalid('A variable filter must be a list of { name, value }');
  if (value.length === 0) return '1';
  const conds = (value as Array<{ name?: unknown; value?: unknown }>).map((f, i) => {
    if (typeof f?.name !== 'string') throw invalid('A variable filter needs a name');
    const col = `v${i}.value`;
    params.push(f.name);
    if (typeof f.value === 'string' && f.value.length <= INDEXED_VALUE_LENGTH) {
      params.push(f.value);
      // the partial index's condition, so that SQLite may use it
      return `v${i}.name = ? AND ${col} = ? AND length(${col}) <= ${INDEXED_VALUE_LENGTH}`;
    }
    return `v${i}.name = ? AND ${scalarSql(col, undefined, f.value, params)}`;
  });
  const further = conds
    .slice(1)
    .map(
      (c, j) =>
        ` AND EXISTS (SELECT 1 FROM variables v${j + 1} WHERE v${j + 1}.scope_key = v0.scope_key AND ${c})`,
    )
    .join('');
  return `${scopeSql} IN (SELECT v0.scope_key FROM variables v0 WHERE ${conds[0]}${further})`;
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
    const desc = s.order?.toUpperCase() === 'DESC';
    const nulls = col.nullable ? (desc ? ' NULLS FIRST' : ' NULLS LAST') : '';
    parts.push(`${col.column} ${desc ? 'DESC' : 'ASC'}${nulls}`);
  }
  parts.push('key ASC');
  return parts.join(', ');
}
