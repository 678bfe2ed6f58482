// Zeebe's BpmnVariableMappingBehavior: variable scopes, input/output mappings and propagation.
import { evaluate, FeelError, isExpression, staticValue } from '../../feel/index.ts';
import type { ElementModel, Mapping } from '../../model/types.ts';
import type { ElementInstanceRow } from '../../state/rows.ts';
import { type Runtime, TENANT } from '../runtime.ts';
import { IncidentError, type Tx } from '../tx.ts';

export class VariableBehavior {
  constructor(private readonly rt: Runtime) {}

  /** Scope keys from the element instance up to its process instance (root last). */
  scopeChain(key: number): number[] {
    const chain: number[] = [];
    let cur: number | null = key;
    while (cur !== null) {
      chain.push(cur);
      const row = this.rt.state.elementInstances.flowScopeOf(cur);
      cur = row ? row.flow_scope_key : null;
    }
    return chain;
  }

  localVariables(scopeKey: number): Record<string, unknown> {
    const vars: Record<string, unknown> = {};
    for (const r of this.rt.state.variables.local(scopeKey)) vars[r.name] = JSON.parse(r.value);
    return vars;
  }

  /** All variables visible from an element instance; inner scopes shadow outer ones. */
  context(key: number): Record<string, unknown> {
    const chain = this.scopeChain(key);
    const ctx: Record<string, unknown> = {};
    for (let i = chain.length - 1; i >= 0; i--) Object.assign(ctx, this.localVariables(chain[i]!));
    return ctx;
  }

  setLocal(tx: Tx, scopeKey: number, processInstanceKey: number, name: string, value: unknown): void {
    const json = JSON.stringify(value === undefined ? null : value);
    const variables = this.rt.state.variables;
    const existing = variables.find(scopeKey, name);
    if (existing) {
      if (existing.value === json) return;
      variables.update(existing.key, json);
      tx.record('VARIABLE', 'UPDATED', existing.key, processInstanceKey, null, { name, scopeKey });
    } else {
      const key = this.rt.key();
      variables.insert(key, scopeKey, name, json, processInstanceKey, TENANT);
      tx.record('VARIABLE', 'CREATED', key, processInstanceKey, null, { name, scopeKey });
    }
  }

  setLocals(tx: Tx, ei: ElementInstanceRow, vars: Record<string, unknown>): void {
    for (const [name, value] of Object.entries(vars))
      this.setLocal(tx, ei.key, ei.process_instance_key, name, value);
  }

  /**
   * Zeebe's merge with propagation: each variable goes to the nearest scope (from `startKey` up)
   * that already holds it, else to the process instance (root) scope.
   */
  mergeDocument(tx: Tx, startKey: number, processInstanceKey: number, vars: Record<string, unknown>): void {
    const names = Object.keys(vars);
    if (names.length === 0) return;
    const chain = this.scopeChain(startKey);
    for (const name of names) {
      let target = chain[chain.length - 1]!;
      for (const scope of chain) {
        if (this.rt.state.variables.has(scope, name)) {
          target = scope;
          break;
        }
      }
      this.setLocal(tx, target, processInstanceKey, name, vars[name]);
    }
  }

  /**
   * Variables a job, user task, message or called process hands back to an element: with output
   * mappings they become local variables of the element (the mappings then pick what propagates);
   * without, they propagate from the element upwards.
   */
  applyCompletionVariables(
    tx: Tx,
    ei: ElementInstanceRow,
    vars: Record<string, unknown> | null | undefined,
  ): void {
    if (!vars || Object.keys(vars).length === 0) return;
    const el = this.rt.element(ei);
    if (el.outputs?.length) this.setLocals(tx, ei, vars);
    else this.mergeDocument(tx, ei.key, ei.process_instance_key, vars);
  }

  applyInputMappings(tx: Tx, ei: ElementInstanceRow, el: ElementModel): void {
    if (!el.inputs?.length) return;
    this.setLocals(tx, ei, evaluateMappings(el.inputs, this.context(ei.key)));
  }

  applyOutputMappings(tx: Tx, ei: ElementInstanceRow, el: ElementModel): void {
    if (!el.outputs?.length) return;
    const results = evaluateMappings(el.outputs, this.context(ei.key));
    this.mergeDocument(tx, ei.flow_scope_key!, ei.process_instance_key, results);
  }
}

function evaluateMappings(mappings: Mapping[], ctx: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const scope = { ...ctx };
  for (const m of mappings) {
    let value: unknown;
    try {
      value = isExpression(m.source) ? evaluate(m.source, scope) : staticValue(m.source);
    } catch (e) {
      if (e instanceof FeelError) throw new IncidentError('IO_MAPPING_ERROR', e.message);
      throw e;
    }
    const path = m.target.split('.');
    if (path.length === 1) {
      result[m.target] = value;
      scope[m.target] = value;
    } else {
      const head = path[0]!;
      const root = nestedTarget(result[head] ?? scope[head], path, value);
      result[head] = root;
      scope[head] = root;
    }
  }
  return result;
}

/** A copy of `base` (an object, else a new one) with `value` set at the path below its head. */
function nestedTarget(base: unknown, path: string[], value: unknown): Record<string, unknown> {
  const root: Record<string, unknown> =
    base && typeof base === 'object' && !Array.isArray(base)
      ? structuredClone(base as Record<string, unknown>)
      : {};
  let node = root;
  for (const part of path.slice(1, -1)) {
    const child = node[part];
    node[part] = child && typeof child === 'object' && !Array.isArray(child) ? child : {};
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
  return root;
}
