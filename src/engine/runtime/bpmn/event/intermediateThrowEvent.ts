// Intermediate throw events: none (pass), message (a job, like a send task), link (continue at the link
// catch event), signal (broadcast, pass), escalation (escalate; pass unless an interrupting catcher ended it) and
// compensation (wait for the handlers it started).
import { passThrough, waitForJob } from '../common.ts';
import type { Behaviors, BpmnElementProcessor } from '../types.ts';
import { broadcastFrom, compensateFrom, escalateFrom, followLink } from './throwing.ts';

export const intermediateThrowEvent = (b: Behaviors): BpmnElementProcessor => ({
  onActivate(tx, ei, el, data) {
    const kind = el.event?.kind;
    if (el.job) return waitForJob(b, tx, ei, el);
    if (kind === 'compensation') return compensateFrom(b, tx, ei, el);
    if (kind === 'signal') broadcastFrom(b, tx, ei, el);
    if (kind === 'escalation' && !escalateFrom(b, tx, ei, el)) return;
    passThrough(b, tx, ei, data);
  },
  onCompleted(tx, ei, el, flows) {
    if (el.event?.kind === 'link') followLink(b, tx, ei, el);
    else b.transitions.takeOutgoingFlows(tx, ei, flows);
  },
});
