// Decision instances: each decision of a decision evaluation (Camunda 8.8's DecisionInstanceResult), with the
// inputs it evaluated and the rules that matched, kept for Operate's decision instance view and audit.
import type { Db } from './db.ts';

export interface NewDecisionInstance {
  evaluationKey: number;
  /** 1-based position in the evaluation: required decisions first, the evaluated decision last. */
  n: number;
  state: 'EVALUATED' | 'FAILED';
  evaluationDate: number;
  evaluationFailure: string | null;
  processDefinitionKey: number | null;
  processInstanceKey: number | null;
  elementInstanceKey: number | null;
  decisionKey: number;
  decisionId: string;
  decisionName: string | null;
  decisionVersion: number;
  decisionType: string;
  /** The decision's output as JSON text; null when it failed. */
  result: string | null;
  tenantId: string;
  evaluatedInputs: unknown[];
  matchedRules: unknown[];
}

export interface DecisionInstanceRow {
  key: string;
  evaluation_key: number;
  n: number;
  state: string;
  evaluation_date: number;
  evaluation_failure: string | null;
  process_definition_key: number | null;
  process_instance_key: number | null;
  element_instance_key: number | null;
  decision_key: number;
  decision_id: string;
  decision_name: string | null;
  decision_version: number;
  decision_type: string;
  result: string | null;
  tenant_id: string;
  evaluated_inputs: string;
  matched_rules: string;
}

export class DecisionInstanceState {
  constructor(private readonly db: Db) {}

  insert(d: NewDecisionInstance): void {
    this.db
      .q(
        `INSERT INTO decision_instances (key, evaluation_key, n, state, evaluation_date, evaluation_failure,
          process_definition_key, process_instance_key, element_instance_key, decision_key, decision_id,
          decision_name, decision_version, decision_type, result, tenant_id, evaluated_inputs, matched_rules)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        `${d.evaluationKey}-${d.n}`,
        d.evaluationKey,
        d.n,
        d.state,
        d.evaluationDate,
        d.evaluationFailure,
        d.processDefinitionKey,
        d.processInstanceKey,
        d.elementInstanceKey,
        d.decisionKey,
        d.decisionId,
        d.decisionName,
        d.decisionVersion,
        d.decisionType,
        d.result,
        d.tenantId,
        JSON.stringify(d.evaluatedInputs),
        JSON.stringify(d.matchedRules),
      );
  }

  get(key: string): DecisionInstanceRow | undefined {
    return this.db.q('SELECT * FROM decision_instances WHERE key = ?').get(key) as
      | DecisionInstanceRow
      | undefined;
  }
}
