// Camunda's `$like`: `*` any run of characters, `?` exactly one, `\` makes the next character literal
// (https://camunda.github.io/camunda-8-js-sdk/interfaces/index._internal_.AdvancedStringFilter.html).
// Matched without a regular expression and without backtracking: the pattern is cut at its stars into
// segments; the first must match at the start, the last at the end, and each middle one at its leftmost
// place after the previous (leftmost is always right for a glob). Time is at most text × pattern length.

interface Segment {
  /** Characters; null is `?` (any one character). */
  chars: Array<string | null>;
}

interface Compiled {
  segments: Segment[];
  /** Whether the pattern holds at least one unescaped `*`. */
  starred: boolean;
}

function compile(pattern: string): Compiled {
  const chars = Array.from(pattern);
  const segments: Segment[] = [{ chars: [] }];
  let starred = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const current = segments[segments.length - 1]!;
    if (c === '\\' && i + 1 < chars.length) current.chars.push(chars[++i]!);
    else if (c === '*') {
      starred = true;
      segments.push({ chars: [] });
    } else current.chars.push(c === '?' ? null : c);
  }
  return { segments, starred };
}

function matchesAt(text: string[], at: number, segment: Segment): boolean {
  if (at + segment.chars.length > text.length) return false;
  for (let j = 0; j < segment.chars.length; j++) {
    const p = segment.chars[j];
    if (p !== null && p !== text[at + j]) return false;
  }
  return true;
}

function findFrom(text: string[], from: number, segment: Segment, limit: number): number {
  for (let at = from; at + segment.chars.length <= limit; at++) if (matchesAt(text, at, segment)) return at;
  return -1;
}

const cache = new Map<string, Compiled>();

export function likeMatches(pattern: string, value: string): boolean {
  let compiled = cache.get(pattern);
  if (!compiled) {
    compiled = compile(pattern);
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, compiled);
  }
  const text = Array.from(value);
  const { segments, starred } = compiled;
  const first = segments[0]!;
  if (!starred) return text.length === first.chars.length && matchesAt(text, 0, first);
  const last = segments[segments.length - 1]!;
  const end = text.length - last.chars.length;
  if (end < first.chars.length) return false;
  if (!matchesAt(text, 0, first) || !matchesAt(text, end, last)) return false;
  let pos = first.chars.length;
  for (let s = 1; s < segments.length - 1; s++) {
    const seg = segments[s]!;
    const at = findFrom(text, pos, seg, end);
    if (at < 0) return false;
    pos = at + seg.chars.length;
  }
  return true;
}
