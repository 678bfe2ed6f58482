// Decisions: the registry business rule tasks evaluate against (latest version by id) and the
// stand-alone evaluation command (POST /v2/decision-definitions/evaluation).
import {
  type DecisionModel,
  DmnError,
  type EvaluatedDecision,
  evaluateDecision as evaluateDmn,
} from '../dmn/index.ts';
import { notFound } from '../errors.ts';
import type { DecisionEvaluator, DecisionResult, Interpreter } from '../runtime/interpreter.ts';
import { TENANT } from '../runtime/interpreter.ts';
import type { DecisionEvaluationContext } from '../runtime/runtime.ts';
import { IncidentError, type Tx } from '../runtime/tx.ts';
import type { DecisionRef } from '../state/definitions.ts';
import { keepEvaluation } from './decision-instances.ts';

export interface EvaluateDecisionRequest {
  decisionDefinitionId?: string;
  decisionDefinitionKey?: number;
  variables?: Record<string, unknown>;
}

/** Deployed decisions, their parsed models cached by key. */
export class DecisionRegistry {
  private readonly cache = new Map<number, DecisionModel>();

  constructor(private readonly it: Interpreter) {}

  model(key: number): DecisionModel {
    let model = this.cache.get(key);
    if (!model) {
      const json = this.it.state.definitions.decisionModel(key);
      if (json === undefined) throw new Error(`Decision ${key} not found`);
      model = JSON.parse(json) as DecisionModel;
      this.cache.set(key, model);
    }
    return model;
  }

  latest(decisionId: string): DecisionRef | undefined {
    return this.it.state.definitions.latestDecision(decisionId);
  }

  /** Evaluates a decision, its required decisions resolved to their latest versions. */
  evaluate(key: number, variables: Record<string, unknown>) {
    return evaluateDmn(this.model(key), variables, (id) => {
      const r = this.latest(id);
      return r ? this.model(r.key) : undefined;
    });
  }

  /** What business rule tasks use: a failure becomes the task's incident. */
  evaluator(): DecisionEvaluator {
    return {
      evaluateLatest: (decisionId, variables, key, evaluation): DecisionResult => {
        const ref = key !== undefined ? this.it.state.definitions.decision(key) : this.latest(decisionId);
        if (!ref) {
          throw new IncidentError(
            'DECISION_EVALUATION_ERROR',
            `Expected to evaluate decision '${decisionId}', but no decision found for id '${decisionId}'`,
          );
        }
        const row = { ...ref, decisionId };
        try {
          const result = this.evaluate(row.key, variables);
          this.keep(evaluation, row, result.evaluatedDecisions, null);
          return { output: result.output, decisionKey: row.key, decisionId, version: row.version };
        } catch (e) {
          if (e instanceof DmnError || (e as Error).name === 'FeelError') {
            const message = `Expected to evaluate decision '${decisionId}', but ${(e as Error).message}`;
            const failed = e instanceof DmnError && e.decisionId ? e.decisionId : decisionId;
            const evaluated = e instanceof DmnError ? e.evaluatedDecisions : [];
            throw new IncidentError('DECISION_EVALUATION_ERROR', message, () =>
              this.keep(evaluation, row, evaluated, { decisionId: failed, message }),
            );
          }
          throw e;
        }
      },
    };
  }

  private keep(
    evaluation: DecisionEvaluationContext,
    root: DecisionRef & { decisionId: string },
    evaluated: EvaluatedDecision[],
    failure: { decisionId: string; message: string } | null,
  ): void {
    const { key, now, ...origin } = evaluation;
    keepEvaluation(this, this.it.state, { evaluationKey: key, now, root, evaluated, failure, origin });
  }

  /** The deployed decision a stand-alone evaluation asks for (by key, else latest by id). */
  find(req: EvaluateDecisionRequest): (DecisionRef & { decisionId: string }) | undefined {
    if (req.decisionDefinitionKey !== undefined)
      return this.it.state.definitions.liveDecision(req.decisionDefinitionKey);
    if (!req.decisionDefinitionId) return undefined;
    const r = this.latest(req.decisionDefinitionId);
    return r ? { ...r, decisionId: req.decisionDefinitionId } : undefined;
  }
}

/**
 * Evaluates a deployed decision outside any process. A decision that fails to evaluate is no error of the
 * request: Camunda answers 200 with failedDecisionDefinitionId and failureMessage (Zeebe writes a
 * DECISION_EVALUATION FAILED event), https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/evaluate-decision/
 */
export function evaluateDecision(
  registry: DecisionRegistry,
  req: EvaluateDecisionRequest,
  run: <T>(fn: (tx: Tx) => T) => T,
  it: Interpreter,
) {
  const row = registry.find(req);
  if (!row)
    throw notFound('Expected to evaluate a deployed decision, but none was found for the given id or key');
  let result: ReturnType<DecisionRegistry['evaluate']> | null = null;
  let failure: { decisionId: string; message: string } | null = null;
  let evaluated: EvaluatedDecision[] = [];
  try {
    result = registry.evaluate(row.key, req.variables ?? {});
    evaluated = result.evaluatedDecisions;
  } catch (e) {
    if (!(e instanceof DmnError) && (e as Error).name !== 'FeelError') throw e;
    if (e instanceof DmnError) evaluated = e.evaluatedDecisions;
    const failed = e instanceof DmnError && e.decisionId ? e.decisionId : row.decisionId;
    failure = {
      decisionId: failed,
      message: `Expected to evaluate decision '${row.decisionId}', but ${(e as Error).message}`,
    };
  }
  const decisionInstanceKey = run((tx) => {
    const key = it.key();
    tx.record('DECISION_EVALUATION', failure ? 'FAILED' : 'EVALUATED', key, null, row.decisionId, {
      decisionKey: row.key,
      ...(failure ? { failedDecisionId: failure.decisionId, evaluationFailureMessage: failure.message } : {}),
    });
    keepEvaluation(registry, it.state, { evaluationKey: key, now: tx.now, root: row, evaluated, failure });
    return key;
  });
  return {
    decisionDefinitionId: row.decisionId,
    decisionDefinitionKey: String(row.key),
    decisionDefinitionName: row.name,
    decisionDefinitionVersion: row.version,
    decisionRequirementsId: row.drgId,
    decisionRequirementsKey: String(row.drgKey),
    output: JSON.stringify(result ? result.output : null),
    failedDecisionDefinitionId: failure?.decisionId ?? '',
    failureMessage: failure?.message ?? '',
    tenantId: TENANT,
    decisionInstanceKey: String(decisionInstanceKey),
    matchedRules: result?.matchedRules ?? [],
    evaluatedDecisions: result?.evaluatedDecisions ?? [],
  };
}
