// Script tasks: a FEEL expression whose result becomes a variable — or, with a task definition, a job.
import { evalAny } from '../../behavior/expressions.ts';
import { waitForJob } from '../common.ts';
import type { Behaviors, BpmnElementProcessor } from '../types.ts';

export const scriptTask = (b: Behaviors): BpmnElementProcessor => ({
  onActivate(tx, ei, el) {
    if (el.job) {
      waitForJob(b, tx, ei, el);
      return;
    }
    const value = evalAny(el.script!.expression, b.variables.context(ei.key));
    b.variables.applyCompletionVariables(tx, ei, { [el.script!.resultVariable]: value });
    b.transitions.activatedAndComplete(tx, ei);
  },
});
