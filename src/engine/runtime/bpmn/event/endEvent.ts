// End events: none (the token ends), error (thrown to the nearest catcher), terminate (ends the
// whole scope), message (a job, like a send task), signal (broadcast), escalation (escalate, then end
// unless an interrupting catcher ended it), compensation (end once the handlers it started have completed).
import { evalString } from '../../behavior/expressions.ts';
import { passThrough, waitForJob } from '../common.ts';
import type { Behaviors, BpmnElementProcessor } from '../types.ts';
import { broadcastFrom, compensateFrom, escalateFrom } from './throwing.ts';

export const endEvent = (b: Behaviors): BpmnElementProcessor => ({
  onActivate(tx, ei, el, data) {
    if (el.event?.kind === 'error') {
      const code = evalString(el.event.errorCode!, b.variables.context(ei.key));
      b.events.throwError(tx, ei, code, '', null);
      return;
    }
    if (el.event?.kind === 'terminate') {
      b.transitions.activated(tx, ei);
      const siblings = b.transitions.activeChildren(ei.flow_scope_key!).filter((c) => c.key !== ei.key);
      for (const s of siblings) b.transitions.terminate(tx, s);
      tx.follow('COMPLETE', ei.key);
      return;
    }
    if (el.event?.kind === 'compensation') return compensateFrom(b, tx, ei, el);
    if (el.event?.kind === 'signal') broadcastFrom(b, tx, ei, el);
    if (el.event?.kind === 'escalation' && !escalateFrom(b, tx, ei, el)) return;
    if (el.job) waitForJob(b, tx, ei, el);
    else passThrough(b, tx, ei, data);
  },
});
