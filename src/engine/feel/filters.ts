// A filter whose condition is a call of a boolean built-in (`[1,2,3,4][even(item)]`, `xs[not(item = "c")]`).
// feelin types a function call between the brackets as "any" and evaluates it once, outside the items, as an
// index: `item` is null there, so the list comes back whole or empty. Camunda's FEEL evaluates the condition for
// each element with the element as `item` (docs.camunda.io/docs/components/modeler/feel/language-guide/
// feel-list-expressions/ "Filter": `[1,2,3,4][even(item)]` is `[2,4]`). Wrapping such a condition as
// `(condition or false)` makes it a disjunction, which feelin evaluates per element; the value is unchanged (true
// stays true, false and null are both dropped by a filter). Only built-ins that always answer a boolean are
// wrapped: any other call may answer a number, which is an index.
import type { SyntaxNode } from '@lezer/common';

/** Camunda 8.8's built-in functions that answer true, false or null, never a number. */
const BOOLEAN_FUNCTIONS = new Set([
  'not',
  'even',
  'odd',
  'contains',
  'starts with',
  'ends with',
  'matches',
  'list contains',
  'is empty',
  'is blank',
  'is defined',
  'all',
  'any',
  'before',
  'after',
  'meets',
  'met by',
  'overlaps',
  'overlaps before',
  'overlaps after',
  'finishes',
  'finished by',
  'includes',
  'during',
  'starts',
  'started by',
  'coincides',
  'is',
]);

function innermost(node: SyntaxNode): SyntaxNode {
  let at = node;
  while (at.name === 'ParenthesizedExpression') {
    const inner = at.firstChild?.nextSibling;
    if (!inner) break;
    at = inner;
  }
  return at;
}

/** True when `node`, the condition between a filter's brackets, is a call of a boolean built-in. */
export function isBooleanCallCondition(source: string, node: SyntaxNode): boolean {
  const call = innermost(node);
  if (call.name !== 'FunctionInvocation') return false;
  const name = call.firstChild;
  if (name?.name !== 'VariableName') return false;
  return BOOLEAN_FUNCTIONS.has(source.slice(name.from, name.to).replace(/\s+/g, ' '));
}
