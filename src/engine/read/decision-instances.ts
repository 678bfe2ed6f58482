// Read side of Camunda 8.8's decision instance search and get: one item per decision of a decision evaluation,
// by a business rule task or a stand-alone evaluation (src/engine/processors/decision-instances.ts).
import { notFound } from '../errors.ts';
import type { Interpreter } from '../runtime/interpreter.ts';
import { runSearch, type SearchRequest, type SearchResult } from '../search-sql.ts';
import type { DecisionInstanceRow } from '../state/decisionInstances.ts';

export interface DecisionInstanceItem {
  decisionEvaluationInstanceKey: string;
  state: string;
  evaluationDate: string;
  evaluationFailure: string | null;
  decisionDefinitionId: string;
  decisionDefinitionName: string | null;
  decisionDefinitionVersion: number;
  decisionDefinitionType: string;
  result: string | null;
  tenantId: string;
  decisionEvaluationKey: string;
  processDefinitionKey: string | null;
  processInstanceKey: string | null;
  decisionDefinitionKey: string;
  elementInstanceKey: string | null;
}

export interface DecisionInstanceDetail extends DecisionInstanceItem {
  evaluatedInputs: unknown[];
  matchedRules: unknown[];
}

const keyText = (k: number | null) => (k === null ? null : String(k));

function item(r: DecisionInstanceRow): DecisionInstanceItem {
  return {
    decisionEvaluationInstanceKey: r.key,
    state: r.state,
    evaluationDate: new Date(r.evaluation_date).toISOString(),
    evaluationFailure: r.evaluation_failure,
    decisionDefinitionId: r.decision_id,
    decisionDefinitionName: r.decision_name,
    decisionDefinitionVersion: r.decision_version,
    decisionDefinitionType: r.decision_type,
    result: r.result,
    tenantId: r.tenant_id,
    decisionEvaluationKey: String(r.evaluation_key),
    processDefinitionKey: keyText(r.process_definition_key),
    processInstanceKey: keyText(r.process_instance_key),
    decisionDefinitionKey: String(r.decision_key),
    elementInstanceKey: keyText(r.element_instance_key),
  };
}

export function searchDecisionInstances(
  it: Interpreter,
  req?: SearchRequest<Record<string, unknown>>,
): SearchResult<DecisionInstanceItem> {
  return runSearch(
    it,
    'decision_instances',
    {
      decisionEvaluationInstanceKey: { column: 'key' },
      state: { column: 'state' },
      evaluationDate: { column: 'evaluation_date', kind: 'date' },
      evaluationFailure: { column: 'evaluation_failure', nullable: true },
      decisionDefinitionId: { column: 'decision_id' },
      decisionDefinitionName: { column: 'decision_name', nullable: true },
      decisionDefinitionVersion: { column: 'decision_version', kind: 'number' },
      decisionDefinitionType: { column: 'decision_type' },
      tenantId: { column: 'tenant_id' },
      decisionEvaluationKey: { column: 'evaluation_key', kind: 'key' },
      processDefinitionKey: { column: 'process_definition_key', kind: 'key', nullable: true },
      processInstanceKey: { column: 'process_instance_key', kind: 'key', nullable: true },
      decisionDefinitionKey: { column: 'decision_key', kind: 'key' },
      elementInstanceKey: { column: 'element_instance_key', kind: 'key', nullable: true },
    },
    req,
    item,
  );
}

/** One decision instance with its evaluated inputs and matched rules; 404 when there is none. */
export function decisionInstance(it: Interpreter, key: string): DecisionInstanceDetail {
  const r = it.state.decisionInstances.get(key);
  if (!r) throw notFound(`Decision instance with key '${key}' not found`);
  return {
    ...item(r),
    evaluatedInputs: JSON.parse(r.evaluated_inputs) as unknown[],
    matchedRules: JSON.parse(r.matched_rules) as unknown[],
  };
}
