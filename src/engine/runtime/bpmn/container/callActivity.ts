// Call activities: start the called process's version (bindingType: latest, deployment, versionTag), wait until it completes
// (the child's variables come back in the state transition behaviour's finishProcess).
import { evalString } from '../../behavior/expressions.ts';
import { IncidentError } from '../../tx.ts';
import type { Behaviors, BpmnElementProcessor } from '../types.ts';
import { calledProcess } from './binding.ts';

export const callActivity = (b: Behaviors): BpmnElementProcessor => ({
  onActivate(tx, ei, el) {
    const ctx = b.variables.context(ei.key);
    const ca = el.callActivity!;
    const processId = evalString(ca.processId, ctx);
    const child = calledProcess(b.rt, ei, processId, ca.binding);
    if (!child.model.elements[child.processId]?.startEvent) {
      throw new IncidentError(
        'CALLED_ELEMENT_ERROR',
        `Expected process with BPMN process id '${processId}' to have a none start event, but not found.`,
      );
    }
    b.subscriptions.openBoundarySubscriptions(tx, ei, el, ctx);
    b.transitions.activated(tx, ei);
    const vars = ca.propagateAllParentVariables ? ctx : b.variables.localVariables(ei.key);
    b.transitions.createProcessInstance(tx, child, vars, {
      parentProcessInstanceKey: ei.process_instance_key,
      parentElementInstanceKey: ei.key,
    });
  },
});
