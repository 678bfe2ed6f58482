// The JSON body parser of /v2: an empty body means "no body" (the client sends none for reset, unassign, …);
// bytes that are not UTF-8, text holding a lone surrogate (raw or as a \uD800 escape) and nesting deeper than
// MAX_JSON_DEPTH are refused with 400 INVALID_ARGUMENT, before anything recursive touches the value.
import type { FastifyInstance } from 'fastify';
import { invalidArgument } from './problem.ts';

/** Deepest nesting of objects and arrays accepted in a request body. */
export const MAX_JSON_DEPTH = 128;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The deepest nesting of the JSON text, counted without parsing (strings skipped). */
function nesting(text: string): number {
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

function wellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c > 0xdbff) return false;
    const next = s.charCodeAt(i + 1);
    if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
    i++;
  }
  return true;
}

/** Whether any string or key of the (depth-checked) value holds a lone surrogate. */
function hasLoneSurrogate(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (!wellFormed(v)) return true;
    } else if (Array.isArray(v)) stack.push(...v);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (!wellFormed(k)) return true;
        stack.push(x);
      }
    }
  }
  return false;
}

export function parseJsonBody(raw: Buffer | string): unknown {
  let text: string;
  try {
    text = typeof raw === 'string' ? raw : utf8.decode(raw);
  } catch {
    throw invalidArgument([
      'Expected the request body to be UTF-8 text, but it holds bytes that are not UTF-8',
    ]);
  }
  if (text.trim() === '') return undefined;
  if (nesting(text) > MAX_JSON_DEPTH) {
    throw invalidArgument([`The request body nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw invalidArgument([`Expected the request body to be JSON, but it is not: ${(e as Error).message}`]);
  }
  if (hasLoneSurrogate(value)) {
    throw invalidArgument([
      'The request body holds a lone UTF-16 surrogate (an unpaired \\uD800-\\uDFFF), which is not text',
    ]);
  }
  return value;
}

export function useJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
}
