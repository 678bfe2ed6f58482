// The /api JSON body parser. Beyond JSON.parse it refuses, each with a 400 naming the place: nesting deeper than
// MAX_DEPTH (JSON.parse and schema validation recurse, so a deep body otherwise ends in a stack overflow and 500),
// bytes that are not UTF-8 and lone surrogates (\ud800) in strings or keys — text that cannot be stored or shown
// faithfully is refused, never silently replaced by U+FFFD — and __proto__ / constructor.prototype keys (as
// fastify's own parser does).
import { problem } from './problem.ts';

export const MAX_DEPTH = 32;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function parseJsonBody(body: Buffer): unknown {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw invalid('body', '请求体不是有效的 UTF-8 文本');
  }
  if (text.trim() === '') throw invalid('body', '请求体为空');
  if (depthOf(text) > MAX_DEPTH) throw invalid('body', `JSON 嵌套超过 ${MAX_DEPTH} 层`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid('body', '请求体不是有效的 JSON');
  }
  const issue = issueIn(value, '');
  if (issue) throw invalid(issue.field || 'body', issue.reason);
  return value;
}

function invalid(field: string, reason: string) {
  return problem.validation(`请求参数有误：${field} ${reason}`, [{ field, reason }]);
}

/** The deepest nesting of arrays and objects, counted without parsing (brackets inside strings do not count). */
function depthOf(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

const SURROGATE = '含有不成对的代理码元（无效的 Unicode 字符）';

/** The first string or key with a lone surrogate, or prototype-polluting key, with its path; or null. */
function issueIn(value: unknown, path: string): { field: string; reason: string } | null {
  if (typeof value === 'string')
    return LONE_SURROGATE.test(value) ? { field: path, reason: SURROGATE } : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = issueIn(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const here = path ? `${path}.${k}` : k;
      if (LONE_SURROGATE.test(k)) return { field: here, reason: SURROGATE };
      if (
        k === '__proto__' ||
        (k === 'constructor' && v !== null && typeof v === 'object' && 'prototype' in v)
      )
        return { field: here, reason: '不允许的属性名' };
      const found = issueIn(v, here);
      if (found) return found;
    }
  }
  return null;
}
