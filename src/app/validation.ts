// Validation of /api input by its JSON schemas. Bodies are validated strictly — no type coercion, so a string
// amount "100" is refused rather than silently read as 100 (amounts are integers of 元), and unknown fields are
// refused rather than dropped. Query strings and path parameters arrive as text and are coerced to the schema's
// types. Every error names the field (`serviceLines[0].amount`, as src/domain names them) with a zh-CN reason.
import { Ajv, type ErrorObject } from 'ajv';
import type { FastifySchemaValidationError } from 'fastify';
import { isIsoDateTime } from '../domain/dates.ts';
import type { FieldIssue } from '../domain/errors.ts';

const strict = new Ajv({
  coerceTypes: false,
  useDefaults: true,
  removeAdditional: false,
  allErrors: true,
  strict: false,
});
const coercing = new Ajv({
  coerceTypes: 'array',
  useDefaults: true,
  removeAdditional: false,
  allErrors: true,
  strict: false,
});
for (const ajv of [strict, coercing]) {
  ajv.addFormat('date-time', {
    type: 'string',
    // Seconds and the offset required (RFC 3339), and a day of the calendar: 2027-02-30 is refused, not read as
    // 2 March the way Date.parse reads it.
    validate: (s: string) =>
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && isIsoDateTime(s, true),
  });
  ajv.addFormat('binary', () => true);
}

/** fastify validatorCompiler for the /api plugin. */
export function validatorCompiler({ schema, httpPart }: { schema: object; httpPart?: string }) {
  return (httpPart === 'body' ? strict : coercing).compile(schema);
}

/** `/serviceLines/0/amount` → `serviceLines[0].amount`. */
function fieldOf(path: string): string {
  return path
    .split('/')
    .filter((p) => p !== '')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

const TYPE_NAMES: Record<string, string> = {
  string: '字符串',
  integer: '整数',
  number: '数字',
  boolean: '布尔值（true/false）',
  object: '对象',
  array: '列表',
  null: 'null',
};

function reasonOf(e: ErrorObject | FastifySchemaValidationError): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return '必填';
    case 'type': {
      const types = String(p.type)
        .split(',')
        .map((t) => TYPE_NAMES[t] ?? t);
      return `必须是${types.join('或')}`;
    }
    case 'enum':
      return `必须是以下之一：${(p.allowedValues as unknown[]).map(String).join('、')}`;
    case 'minimum':
      return `不能小于 ${p.limit}`;
    case 'maximum':
      return `不能大于 ${p.limit}`;
    case 'minLength':
      return Number(p.limit) === 1 ? '不能为空' : `长度不能少于 ${p.limit} 个字符`;
    case 'maxLength':
      return `长度不能超过 ${p.limit} 个字符`;
    case 'minItems':
      return `至少需要 ${p.limit} 项`;
    case 'maxItems':
      return `最多 ${p.limit} 项`;
    case 'pattern':
      return '格式不正确';
    case 'format':
      return `格式不正确，应为 ${p.format}`;
    case 'additionalProperties':
      return '不允许的字段';
    case 'minProperties':
      return '至少需要修改一个字段';
    default:
      return e.message ?? '无效';
  }
}

/** Turns the schema errors of one request part into field issues. */
export function issuesOf(
  errors: Array<ErrorObject | FastifySchemaValidationError>,
  part: string | undefined,
): FieldIssue[] {
  const seen = new Set<string>();
  const issues: FieldIssue[] = [];
  for (const e of errors) {
    // An `anyOf` failure is said by its branches' own errors (each naming its field); its summary names none.
    if (e.keyword === 'anyOf') continue;
    const p = e.params as Record<string, unknown>;
    let field = fieldOf(e.instancePath);
    if (e.keyword === 'required') field = field ? `${field}.${p.missingProperty}` : String(p.missingProperty);
    if (e.keyword === 'additionalProperties') {
      field = field ? `${field}.${p.additionalProperty}` : String(p.additionalProperty);
    }
    field = field || (part ?? 'body');
    const reason = reasonOf(e);
    const key = `${field}\n${reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ field, reason });
  }
  return issues;
}
