// Parallel gateways: fork along every outgoing flow; joins wait in the state transition behaviour.
import { passThrough } from '../common.ts';
import type { Behaviors, BpmnElementProcessor } from '../types.ts';

export const parallelGateway = (b: Behaviors): BpmnElementProcessor => ({
  onActivate: (tx, ei, _el, data) => passThrough(b, tx, ei, data),
});
