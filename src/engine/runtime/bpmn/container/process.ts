// The process itself: opens its event sub-processes' subscriptions and starts at its start event
// (the none start event, or the message / timer start event that created the instance).
import { IncidentError } from '../../tx.ts';
import type { Behaviors, BpmnElementProcessor } from '../types.ts';

export const processContainer = (b: Behaviors): BpmnElementProcessor => ({
  onActivate(tx, ei, el, data) {
    b.subscriptions.openEventSubProcessSubscriptions(tx, ei, el, b.variables.context(ei.key));
    b.transitions.activated(tx, ei);
    const start = data.start ?? el.startEvent;
    if (!start) {
      const processId = b.rt.definition(ei.process_definition_key).processId;
      throw new IncidentError('UNKNOWN', `Process '${processId}' has no none start event`);
    }
    b.transitions.createElement(tx, ei, start, data.trigger ? { trigger: data.trigger } : null);
  },
  // a process has no output mappings of its own: a calling activity maps the variables
  onCompleting: () => {},
  onCompleted: (tx, ei) => b.transitions.finishProcess(tx, ei, 'COMPLETED'),
});
