// Multi-instance bodies (Zeebe's MultiInstanceBodyProcessor): one inner instance per item of the
// input collection, in parallel or one after another; the output collection gathers their results;
// the completion condition may end the body early.
import { evaluateBoolean, evaluateList } from '../../../feel/index.ts';
import type { ElementModel } from '../../../model/types.ts';
import type { ElementInstanceRow } from '../../../state/rows.ts';
import { evalAny } from '../../behavior/expressions.ts';
import { type MultiInstanceData, parseData } from '../../elementData.ts';
import type { Tx } from '../../tx.ts';
import type { Behaviors, BpmnElementProcessor } from '../types.ts';

export const multiInstanceBody = (b: Behaviors): BpmnElementProcessor => ({
  onActivate(tx, ei, el) {
    const loop = el.loop!;
    const ctx = b.variables.context(ei.key);
    const items = evaluateList(loop.inputCollection!, ctx);
    b.subscriptions.openBoundarySubscriptions(tx, ei, el, ctx);
    if (loop.outputCollection) {
      b.variables.setLocal(
        tx,
        ei.key,
        ei.process_instance_key,
        loop.outputCollection,
        items.map(() => null),
      );
    }
    const mi: MultiInstanceData = { n: items.length, next: 0, completed: 0, terminated: 0 };
    if (loop.sequential) mi.items = items;
    b.transitions.activated(tx, ei);
    if (items.length === 0) {
      b.transitions.setData(ei, { mi });
      tx.follow('COMPLETE', ei.key);
      return;
    }
    const count = loop.sequential ? 1 : items.length;
    for (let i = 0; i < count; i++) createInner(b, tx, ei, el, i, items[i]);
    mi.next = count;
    b.transitions.setData(ei, { mi });
  },
  onCompleting(tx, ei, el) {
    const out = el.loop!.outputCollection;
    if (!out) return;
    const value = b.variables.localVariables(ei.key)[out];
    b.variables.mergeDocument(tx, ei.flow_scope_key!, ei.process_instance_key, { [out]: value ?? [] });
  },
});

function createInner(
  b: Behaviors,
  tx: Tx,
  body: ElementInstanceRow,
  el: ElementModel,
  index: number,
  item: unknown,
): void {
  const key = b.transitions.createElement(tx, body, el.id);
  if (el.loop?.inputElement)
    b.variables.setLocal(tx, key, body.process_instance_key, el.loop.inputElement, item);
  b.variables.setLocal(tx, key, body.process_instance_key, 'loopCounter', index + 1);
  // Zeebe nil-initializes the output element's variable on the inner instance, so what the inner
  // activity sets stays local to it (no leak to the parent, no overwrite between parallel instances):
  // https://docs.camunda.io/docs/components/modeler/bpmn/multi-instance/#collecting-the-output
  // (camunda/zeebe#9947: unless it is the input element's own variable).
  const out = outputVariable(el.loop?.outputElement);
  if (out && out !== el.loop?.inputElement)
    b.variables.setLocal(tx, key, body.process_instance_key, out, null);
}

/** The variable an output element expression names (`=result` or `=result.path`), else null. */
export function outputVariable(expression: string | undefined): string | null {
  const m = /^=\s*([A-Za-z_][A-Za-z0-9_]*)(?:\.[A-Za-z_][A-Za-z0-9_]*)*\s*$/.exec(expression ?? '');
  return m ? m[1]! : null;
}

/** While an inner instance completes: its output element goes into the collection; is the body done? */
export function collectInnerOutput(
  b: Behaviors,
  tx: Tx,
  inner: ElementInstanceRow,
  el: ElementModel,
): boolean {
  const loop = el.loop!;
  const body = b.rt.ei(inner.flow_scope_key!)!;
  const ctx = b.variables.context(inner.key);
  if (loop.outputCollection && loop.outputElement) {
    const value = evalAny(loop.outputElement, ctx);
    const collection = (b.variables.localVariables(body.key)[loop.outputCollection] as unknown[]) ?? [];
    const index = Number(ctx.loopCounter) - 1;
    collection[index] = value;
    b.variables.setLocal(tx, body.key, body.process_instance_key, loop.outputCollection, collection);
  }
  if (!loop.completionCondition) return false;
  const mi = parseData(body).mi!;
  const active = b.transitions.activeChildren(body.key).length - 1;
  return evaluateBoolean(loop.completionCondition, {
    ...ctx,
    numberOfInstances: mi.n,
    numberOfActiveInstances: active,
    numberOfCompletedInstances: mi.completed + 1,
    numberOfTerminatedInstances: mi.terminated,
  });
}

/** After an inner instance completed: the next one (sequential), or the body completes. */
export function onInnerCompleted(
  b: Behaviors,
  tx: Tx,
  body: ElementInstanceRow,
  el: ElementModel,
  conditionMet: boolean,
): void {
  if (body.state !== 'ACTIVATED') return;
  const data = parseData(body);
  const mi = data.mi!;
  mi.completed++;
  if (conditionMet) {
    let waits = false; // an inner instance's canceling task listeners: the body completes once it is terminated
    for (const c of b.transitions.activeChildren(body.key)) {
      if (!b.transitions.terminate(tx, c)) waits = true;
      mi.terminated++;
    }
    b.transitions.setData(body, data);
    if (!waits) tx.follow('COMPLETE', body.key);
    return;
  }
  if (el.loop!.sequential && mi.next < mi.n) {
    createInner(b, tx, body, el, mi.next, mi.items?.[mi.next]);
    mi.next++;
    b.transitions.setData(body, data);
    return;
  }
  b.transitions.setData(body, data);
  if (b.transitions.activeChildren(body.key).length === 0) tx.follow('COMPLETE', body.key);
}
