// Steps several element types share.
import type { ElementModel } from '../../model/types.ts';
import type { ElementInstanceRow } from '../../state/rows.ts';
import type { ElementData } from '../elementData.ts';
import type { Tx } from '../tx.ts';
import type { Behaviors } from './types.ts';

/** Nothing to wait for: take the trigger's variables (if any) and complete. */
export function passThrough(b: Behaviors, tx: Tx, ei: ElementInstanceRow, data: ElementData): void {
  if (data.trigger) b.variables.applyCompletionVariables(tx, ei, data.trigger.variables);
  b.transitions.activatedAndComplete(tx, ei);
}

/** Wait for a job worker: create the job (and the boundary events' subscriptions). */
export function waitForJob(b: Behaviors, tx: Tx, ei: ElementInstanceRow, el: ElementModel): void {
  const ctx = b.variables.context(ei.key);
  const spec = b.jobs.evaluateJob(el, ctx);
  b.subscriptions.openBoundarySubscriptions(tx, ei, el, ctx);
  b.jobs.createJob(tx, ei, b.rt.definition(ei.process_definition_key), spec);
  b.transitions.activated(tx, ei);
}

/** Wait for the element's own message or timer event. */
export function waitForEvent(
  b: Behaviors,
  tx: Tx,
  ei: ElementInstanceRow,
  el: ElementModel,
  boundaries: boolean,
) {
  const ctx = b.variables.context(ei.key);
  b.subscriptions.openEventSubscription(tx, ei, el, ctx, true);
  if (boundaries) b.subscriptions.openBoundarySubscriptions(tx, ei, el, ctx);
  b.transitions.activated(tx, ei);
}
