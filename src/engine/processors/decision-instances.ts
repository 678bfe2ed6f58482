// Decision instances as Camunda 8.8 keeps them: one per decision of a decision evaluation, numbered
// `<decisionEvaluationKey>-<n>` in evaluation order (required decisions first), with the inputs each evaluated and
// the rules that matched. A failed evaluation keeps the decisions evaluated before the failure (EVALUATED) and the
// failing one (FAILED, with the failure message), as Zeebe's DECISION_EVALUATION FAILED record lists them.
import type { EvaluatedDecision } from '../dmn/index.ts';
import { TENANT } from '../runtime/runtime.ts';
import type { DecisionRef } from '../state/definitions.ts';
import type { EngineState } from '../state/index.ts';
import type { DecisionRegistry } from './decisions.ts';

export interface EvaluationOrigin {
  processDefinitionKey: number;
  processInstanceKey: number;
  elementInstanceKey: number;
}

export interface KeptEvaluation {
  evaluationKey: number;
  now: number;
  /** The decision asked for (by key or latest by id). */
  root: DecisionRef & { decisionId: string };
  evaluated: EvaluatedDecision[];
  failure: { decisionId: string; message: string } | null;
  origin?: EvaluationOrigin;
}

const inputsOf = (d: EvaluatedDecision) =>
  d.evaluatedInputs.map((i) => ({
    inputId: i.inputId,
    inputName: i.inputName ?? i.inputId,
    inputValue: JSON.stringify(i.value ?? null),
  }));

const rulesOf = (d: EvaluatedDecision) =>
  d.matchedRules.map((m) => ({
    ruleId: m.ruleId,
    ruleIndex: m.ruleIndex,
    evaluatedOutputs: m.outputs.map((o) => ({
      outputId: o.outputId,
      outputName: o.outputName ?? o.outputId,
      outputValue: JSON.stringify(o.value ?? null),
    })),
  }));

/** Writes the evaluation's decision instances (in the caller's transaction). */
export function keepEvaluation(registry: DecisionRegistry, state: EngineState, e: KeptEvaluation): void {
  const refOf = (decisionId: string): DecisionRef | undefined =>
    decisionId === e.root.decisionId ? e.root : registry.latest(decisionId);
  const base = {
    evaluationKey: e.evaluationKey,
    evaluationDate: e.now,
    processDefinitionKey: e.origin?.processDefinitionKey ?? null,
    processInstanceKey: e.origin?.processInstanceKey ?? null,
    elementInstanceKey: e.origin?.elementInstanceKey ?? null,
    tenantId: TENANT,
  };
  let n = 0;
  for (const d of e.evaluated) {
    const ref = refOf(d.decisionId);
    if (!ref) continue;
    state.decisionInstances.insert({
      ...base,
      n: ++n,
      state: 'EVALUATED',
      evaluationFailure: null,
      decisionKey: ref.key,
      decisionId: d.decisionId,
      decisionName: d.decisionName ?? ref.name ?? d.decisionId,
      decisionVersion: ref.version,
      decisionType: d.decisionType,
      result: JSON.stringify(d.output ?? null),
      evaluatedInputs: inputsOf(d),
      matchedRules: rulesOf(d),
    });
  }
  if (!e.failure) return;
  const ref = refOf(e.failure.decisionId) ?? e.root;
  const model = registry.model(ref.key);
  state.decisionInstances.insert({
    ...base,
    n: ++n,
    state: 'FAILED',
    evaluationFailure: e.failure.message,
    decisionKey: ref.key,
    decisionId: model.id,
    decisionName: model.name ?? ref.name ?? model.id,
    decisionVersion: ref.version,
    decisionType: model.table ? 'DECISION_TABLE' : 'LITERAL_EXPRESSION',
    result: null,
    evaluatedInputs: [],
    matchedRules: [],
  });
}
