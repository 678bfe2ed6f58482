// User tasks (Camunda user tasks): a task in the task list, with assignee, candidates, dates and form.
import type { Behaviors, BpmnElementProcessor } from '../types.ts';

export const userTask = (b: Behaviors): BpmnElementProcessor => ({
  onActivate(tx, ei, el) {
    const ctx = b.variables.context(ei.key);
    const spec = b.jobs.evaluateUserTask(el, ctx);
    b.subscriptions.openBoundarySubscriptions(tx, ei, el, ctx);
    b.jobs.createUserTask(tx, ei, el, b.rt.definition(ei.process_definition_key), spec);
    b.transitions.activated(tx, ei);
  },
});
