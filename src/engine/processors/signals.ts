// Signals: POST /v2/signals/broadcast and the signal start events of the latest process versions.
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/broadcast-signal/
// https://docs.camunda.io/docs/components/modeler/bpmn/signal-events/#signal-start-events — "Signal
// subscriptions only exist for the latest version of a process definition": a new version's deployment
// deletes the previous version's start subscriptions and opens its own.
import { EngineError } from '../errors.ts';
import { evaluate } from '../feel/index.ts';
import type { ProcessModel } from '../model/types.ts';
import { triggerSignal } from '../runtime/behavior/signals.ts';
import type { Interpreter } from '../runtime/interpreter.ts';
import { TENANT } from '../runtime/interpreter.ts';
import type { Tx } from '../runtime/tx.ts';

export interface BroadcastSignalRequest {
  signalName: string;
  variables?: Record<string, unknown>;
}

export function broadcastSignal(
  tx: Tx,
  it: Interpreter,
  req: BroadcastSignalRequest,
): { signalKey: string; tenantId: string } {
  const key = it.key();
  const variables = req.variables ?? {};
  tx.record('SIGNAL', 'BROADCASTED', key, null, null, { signalName: req.signalName, variables });
  triggerSignal(it, tx, req.signalName, variables);
  return { signalKey: String(key), tenantId: TENANT };
}

/** The previous latest version's signal start events stop listening. */
export function replaceSignalStarts(tx: Tx, it: Interpreter, previousKey: number): void {
  const signals = it.state.signals;
  for (const s of signals.startsOf(previousKey))
    tx.record('SIGNAL_SUBSCRIPTION', 'DELETED', s.key, null, s.element_id, { signalName: s.signal_name });
  signals.deleteStartsOf(previousKey);
}

/** A start event's signal name: static, or an expression evaluated without variables (Zeebe does so at deploy). */
function startSignalName(p: ProcessModel, id: string): string {
  const raw = p.elements[id]!.event!.signalName!;
  if (!raw.startsWith('=')) return raw;
  let value: unknown;
  try {
    value = evaluate(raw, {});
  } catch (e) {
    value = e;
  }
  if (typeof value === 'string' && value !== '') return value;
  throw new EngineError(
    'DEPLOYMENT_REJECTED',
    `Expected the signal name of start event '${id}' in process '${p.id}' to be a string, but '${raw}' gave ${value instanceof Error ? `an error: ${value.message}` : JSON.stringify(value ?? null)}`,
  );
}

/** The new latest version's signal start events listen (a name expression is evaluated without variables). */
export function openSignalStarts(tx: Tx, it: Interpreter, key: number, p: ProcessModel): void {
  for (const id of p.signalStartEvents ?? []) {
    const signalName = startSignalName(p, id);
    const subKey = it.key();
    it.state.signals.insert({
      key: subKey,
      signalName,
      definitionKey: key,
      processId: p.id,
      elementId: id,
      holderKey: null,
      processInstanceKey: null,
      interrupting: true,
      tenantId: TENANT,
    });
    tx.record('SIGNAL_SUBSCRIPTION', 'CREATED', subKey, null, id, { signalName });
  }
}
