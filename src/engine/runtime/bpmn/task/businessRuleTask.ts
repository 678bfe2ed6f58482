// Business rule tasks: a deployed DMN decision evaluated in place — or, with a task definition, a job.
import { evalString } from '../../behavior/expressions.ts';
import { IncidentError } from '../../tx.ts';
import { waitForJob } from '../common.ts';
import { boundDecisionKey } from '../container/binding.ts';
import type { Behaviors, BpmnElementProcessor } from '../types.ts';

export const businessRuleTask = (b: Behaviors): BpmnElementProcessor => ({
  onActivate(tx, ei, el) {
    if (el.job) {
      waitForJob(b, tx, ei, el);
      return;
    }
    const ctx = b.variables.context(ei.key);
    const decision = el.decision!;
    const decisionId = evalString(decision.decisionId, ctx);
    if (!b.rt.decisions) throw new IncidentError('DECISION_EVALUATION_ERROR', 'No decision registry');
    const key = boundDecisionKey(b.rt, ei, decisionId, decision.binding);
    const evaluationKey = b.rt.key();
    const result = b.rt.decisions.evaluateLatest(decisionId, ctx, key, {
      key: evaluationKey,
      now: tx.now,
      processDefinitionKey: ei.process_definition_key,
      processInstanceKey: ei.process_instance_key,
      elementInstanceKey: ei.key,
    });
    tx.record('DECISION_EVALUATION', 'EVALUATED', evaluationKey, ei.process_instance_key, ei.element_id, {
      decisionId,
      decisionKey: result.decisionKey,
      decisionVersion: result.version,
      elementInstanceKey: ei.key,
    });
    b.variables.applyCompletionVariables(tx, ei, { [decision.resultVariable]: result.output });
    b.transitions.activatedAndComplete(tx, ei);
  },
});
