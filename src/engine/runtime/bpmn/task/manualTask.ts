// Manual tasks and undefined tasks: nothing to do, the token passes.
import { passThrough } from '../common.ts';
import type { Behaviors, BpmnElementProcessor } from '../types.ts';

export const manualTask = (b: Behaviors): BpmnElementProcessor => ({
  onActivate: (tx, ei, _el, data) => passThrough(b, tx, ei, data),
});
