// Zeebe's escalation (https://docs.camunda.io/docs/components/modeler/bpmn/escalation-events/): an escalation
// throw or end event escalates to the nearest enclosing catcher — an escalation event sub-process of an enclosing
// scope, or an escalation boundary event of the enclosing sub-process or call activity (across call activities
// to the calling process) — an exact code before a catch-all. Escalation is not critical: an uncaught escalation
// is no incident, and the throwing event goes on unless an interrupting catcher ended its scope.
import type { ElementModel } from '../../model/types.ts';
import type { ElementInstanceRow } from '../../state/rows.ts';
import { parseData } from '../elementData.ts';
import type { Runtime } from '../runtime.ts';
import type { Tx } from '../tx.ts';
import type { StateTransitionBehavior } from './transitions.ts';

interface Catcher {
  holder: ElementInstanceRow;
  event: ElementModel;
}

/** Throws the escalation from `from`; returns whether the throwing event goes on (not interrupted). */
export function escalate(
  rt: Runtime,
  transitions: StateTransitionBehavior,
  tx: Tx,
  from: ElementInstanceRow,
  code: string,
): boolean {
  const catcher = findCatcher(rt, from, code);
  if (!catcher) {
    tx.record('ESCALATION', 'NOT_ESCALATED', rt.key(), from.process_instance_key, from.element_id, {
      escalationCode: code,
      throwElementId: from.element_id,
    });
    return true;
  }
  const { holder, event } = catcher;
  tx.record('ESCALATION', 'ESCALATED', rt.key(), from.process_instance_key, from.element_id, {
    escalationCode: code,
    throwElementId: from.element_id,
    catchElementId: event.id,
  });
  const trigger = { variables: null };
  if (event.type === 'BOUNDARY_EVENT') {
    if (event.interrupting !== false) transitions.interruptActivity(tx, holder, event.id, trigger);
    else transitions.createElement(tx, rt.ei(holder.flow_scope_key!)!, event.id, { trigger });
    return event.interrupting === false;
  }
  const esp = rt.model(holder).elements[event.scope!]!;
  if (esp.interrupting !== false) transitions.interruptScope(tx, holder, esp.id, trigger);
  else transitions.createElement(tx, holder, esp.id, { trigger });
  return esp.interrupting === false;
}

function findCatcher(rt: Runtime, from: ElementInstanceRow, code: string): Catcher | null {
  let cur: ElementInstanceRow | undefined =
    from.flow_scope_key !== null ? rt.ei(from.flow_scope_key) : undefined;
  while (cur) {
    for (const group of catchersAt(cur, rt.model(cur).elements)) {
      const hit =
        group.find((c) => c.event!.escalationCode === code) ?? group.find((c) => !c.event!.escalationCode);
      if (hit) return { holder: cur, event: hit };
    }
    if (cur.flow_scope_key !== null) {
      cur = rt.ei(cur.flow_scope_key);
    } else {
      const pi = rt.pi(cur.key);
      cur = pi?.parent_element_instance_key ? rt.ei(pi.parent_element_instance_key) : undefined;
    }
  }
  return null;
}

/** The escalation catch events at an element instance: its event sub-processes' starts, then its boundaries. */
function catchersAt(cur: ElementInstanceRow, elements: Record<string, ElementModel>): ElementModel[][] {
  const el = elements[cur.element_id];
  if (!el) return [[], []]; // an ad-hoc sub-process's inner instance: no catch events of its own
  const isEscalation = (e: ElementModel) => e.event?.kind === 'escalation';
  const starts: ElementModel[] = [];
  const isScope = ['PROCESS', 'SUB_PROCESS', 'AD_HOC_SUB_PROCESS', 'EVENT_SUB_PROCESS'].includes(
    cur.element_type,
  );
  if (isScope && cur.state === 'ACTIVATED' && !parseData(cur).interrupted) {
    for (const id of el.eventSubProcesses ?? []) {
      const start = elements[elements[id]!.startEvent!]!;
      if (isEscalation(start)) starts.push(start);
    }
  }
  const boundariesHere = !el.loop || cur.element_type === 'MULTI_INSTANCE_BODY';
  const boundaries =
    boundariesHere && cur.element_type !== 'PROCESS'
      ? (el.boundaries ?? []).map((id) => elements[id]!).filter(isEscalation)
      : [];
  return [starts, boundaries];
}
