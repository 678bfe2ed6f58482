// Boundary events: created when their event fired (the subscription belonged to the attached
// activity); the token passes with the trigger's variables.
import { passThrough } from '../common.ts';
import type { Behaviors, BpmnElementProcessor } from '../types.ts';

export const boundaryEvent = (b: Behaviors): BpmnElementProcessor => ({
  onActivate: (tx, ei, _el, data) => passThrough(b, tx, ei, data),
});
