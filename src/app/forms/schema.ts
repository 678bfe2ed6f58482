// What a Camunda form (form-js 1.x schema) lets a task submit, read the way form-js reads it: a component with a
// `key` is a field whose value lives at that key (dots nest: `a.b`); a group or dynamic list with a `path` moves its
// children under that path (a dynamic list with `isRepeating` holds an array, one object per repetition); a group
// without a path, an iframe, a table, a text… add no data of their own. form-js's FormFields config marks the keyed
// types (`keyed: true`) and the pathed ones (`pathed: true`, `repeatable: true` for the dynamic list); see
// node_modules/@bpmn-io/form-js-viewer/dist/index.es.js (PathRegistry.getValuePath, Form._getSubmitData).

export type Component = Record<string, unknown>;

/** form-js 1.x's keyed field types: the ones whose values Form.submit() returns. */
export const KEYED_TYPES = new Set([
  'textfield',
  'textarea',
  'number',
  'datetime',
  'checkbox',
  'checklist',
  'radio',
  'select',
  'taglist',
  'expression',
  'filepicker',
]);

/** Containers whose children are rendered (and submitted); `path` applies to group and dynamiclist only. */
const CONTAINER_TYPES = new Set(['group', 'dynamiclist']);

export interface FormField {
  /** The field's value path from the form's root; `[]` marks a repetition of a dynamic list. */
  path: string;
  key: string;
  label: string;
  type: string;
  required: boolean;
  component: Component;
}

const segments = (s: unknown): string[] => (typeof s === 'string' && s !== '' ? s.split('.') : []);

export const isKeyed = (c: Component): boolean =>
  KEYED_TYPES.has(String(c.type)) && typeof c.key === 'string';
export const isContainer = (c: Component): boolean =>
  CONTAINER_TYPES.has(String(c.type)) && Array.isArray(c.components);
export const isRepeating = (c: Component): boolean => c.type === 'dynamiclist' && c.isRepeating === true;
/** The value path a pathed container adds (a group without a path adds none). */
export const containerPath = (c: Component): string[] => segments(c.path);
export const keyPath = (c: Component): string[] => segments(c.key);
export const childrenOf = (c: Component): Component[] =>
  Array.isArray(c.components) ? (c.components as Component[]) : [];

/** Every keyed field of the form, nested ones included, with its path (`serviceLines[].subType`). */
export function formFields(schema: Record<string, unknown>): FormField[] {
  const fields: FormField[] = [];
  const walk = (components: Component[], prefix: string) => {
    for (const c of components) {
      if (isKeyed(c)) {
        fields.push({
          path: prefix + String(c.key),
          key: String(c.key),
          label: typeof c.label === 'string' ? c.label : String(c.key),
          type: String(c.type),
          required: (c.validate as { required?: unknown } | undefined)?.required === true,
          component: c,
        });
      } else if (isContainer(c)) {
        const path = containerPath(c).join('.');
        walk(childrenOf(c), path ? `${prefix}${path}${isRepeating(c) ? '[]' : ''}.` : prefix);
      }
    }
  };
  walk(Array.isArray(schema.components) ? (schema.components as Component[]) : [], '');
  return fields;
}

/**
 * The shape of the data a form submits: for each name at one level, a leaf (a field's value), a nested object
 * (a dotted key or a group's path) or a list of objects (a repeating dynamic list).
 */
export type Shape = Map<string, ShapeNode>;
export type ShapeNode = { kind: 'leaf' } | { kind: 'object'; shape: Shape } | { kind: 'list'; shape: Shape };

function at(shape: Shape, path: string[], last: ShapeNode): ShapeNode {
  let here = shape;
  for (const [i, name] of path.entries()) {
    if (i === path.length - 1) {
      const existing = here.get(name);
      if (!existing || existing.kind === 'leaf') here.set(name, last);
      return here.get(name)!;
    }
    let node = here.get(name);
    if (!node || node.kind === 'leaf') {
      node = { kind: 'object', shape: new Map() };
      here.set(name, node);
    }
    here = node.shape;
  }
  return { kind: 'object', shape: here };
}

export function submissionShape(components: Component[], shape: Shape = new Map()): Shape {
  for (const c of components) {
    if (isKeyed(c)) {
      if (keyPath(c).length > 0) at(shape, keyPath(c), { kind: 'leaf' });
    } else if (isContainer(c)) {
      const path = containerPath(c);
      if (path.length === 0) {
        submissionShape(childrenOf(c), shape);
        continue;
      }
      const node = at(shape, path, { kind: isRepeating(c) ? 'list' : 'object', shape: new Map() });
      if (node.kind !== 'leaf') submissionShape(childrenOf(c), node.shape);
    }
  }
  return shape;
}

/**
 * The variable names a form reads or writes: the first segment of every key and path, `valuesKey`s, and the
 * names in its templates (`{{x}}`) and FEEL expressions (`=…`). The task page gives form-js these variables, so a
 * dynamic list opens with the lines the process holds.
 */
export function formVariableNames(schema: Record<string, unknown>): Set<string> {
  const names = new Set<string>();
  const text = JSON.stringify(schema.components ?? []);
  for (const m of text.matchAll(/"(?:key|path|valuesKey)":"([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1]!);
  for (const m of text.matchAll(/\{\{([^}]*)\}\}/g)) {
    for (const id of m[1]!.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) names.add(id[0]);
  }
  for (const m of text.matchAll(/":"=([^"\\]*(?:\\.[^"\\]*)*)"/g)) {
    for (const id of m[1]!.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) names.add(id[0]);
  }
  return names;
}
