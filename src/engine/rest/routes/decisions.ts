// Decisions: evaluation and decision definition search.
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../engine.ts';
import type { SearchRequest } from '../../queries.ts';
import { type RouteContext, sendProblem } from '../context.ts';
import { compact, type EntitySpec, type Item, parseSearch, runSearch } from '../search.ts';
import { bodyOf, Violations } from '../validate.ts';

type Evaluation = ReturnType<Engine['evaluateDecision']>;
type Evaluated = Evaluation['evaluatedDecisions'][number];

function evaluatedDecision(r: Evaluation, d: Evaluated): Item {
  return compact({
    decisionDefinitionId: d.decisionId,
    decisionDefinitionName: d.decisionName ?? d.decisionId,
    decisionDefinitionType: d.decisionType,
    output: JSON.stringify(d.output ?? null),
    tenantId: r.tenantId,
    matchedRules: d.matchedRules.map((m) => ({
      ruleId: m.ruleId,
      ruleIndex: m.ruleIndex,
      evaluatedOutputs: m.outputs.map((o) =>
        compact({
          outputId: o.outputId,
          outputName: o.outputName ?? o.outputId,
          outputValue: JSON.stringify(o.value ?? null),
        }),
      ),
    })),
    evaluatedInputs: d.evaluatedInputs.map((input) =>
      compact({
        inputId: input.inputId,
        inputName: input.inputName ?? input.inputId,
        inputValue: JSON.stringify(input.value ?? null),
      }),
    ),
    ...(d.decisionId === r.decisionDefinitionId ? { decisionDefinitionKey: r.decisionDefinitionKey } : {}),
  });
}

function evaluationResult(r: Evaluation): Item {
  return {
    decisionDefinitionId: r.decisionDefinitionId,
    decisionDefinitionName: r.decisionDefinitionName ?? r.decisionDefinitionId,
    decisionDefinitionVersion: r.decisionDefinitionVersion,
    decisionRequirementsId: r.decisionRequirementsId,
    output: r.output,
    // Camunda 8.8 answers "" when nothing failed (its ResponseMapper copies the record's empty string);
    // @camunda8/orchestration-cluster-api 8.8.4's strict schema wants a non-empty id there.
    failedDecisionDefinitionId: r.failedDecisionDefinitionId,
    failureMessage: r.failureMessage,
    tenantId: r.tenantId,
    decisionDefinitionKey: r.decisionDefinitionKey,
    decisionRequirementsKey: r.decisionRequirementsKey,
    decisionInstanceKey: r.decisionInstanceKey,
    decisionEvaluationKey: r.decisionInstanceKey,
    evaluatedDecisions: r.evaluatedDecisions.map((d) => evaluatedDecision(r, d)),
  };
}

const PUSHABLE = [
  'decisionDefinitionKey',
  'decisionDefinitionId',
  'version',
  'name',
  'decisionRequirementsId',
  'decisionRequirementsKey',
];

function definitionSpec(engine: Engine): EntitySpec<Item> {
  return {
    name: 'decision definition',
    search: (req: SearchRequest<Record<string, unknown>>) => engine.searchDecisionDefinitions(req),
    filters: [...PUSHABLE, 'tenantId'],
    pushable: new Set(PUSHABLE),
    sortFields: [...PUSHABLE, 'tenantId'],
    pushableSort: new Set(PUSHABLE),
    keyField: 'decisionDefinitionKey',
  };
}

export function registerDecisionRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { engine } = ctx;
  const spec = definitionSpec(engine);

  app.post('/decision-definitions/evaluation', async (request, reply) => {
    const body = bodyOf(request.body, false);
    const v = new Violations();
    const id = v.optionalString(body, 'decisionDefinitionId');
    const key = v.optionalString(body, 'decisionDefinitionKey');
    if (id === undefined && key === undefined) {
      v.add('At least one of [decisionDefinitionId, decisionDefinitionKey] is required');
    }
    if (id !== undefined && key !== undefined) {
      v.add('Only one of [decisionDefinitionId, decisionDefinitionKey] is allowed');
    }
    const vars = v.variables(body);
    v.tenant(body);
    v.check();
    try {
      const r = await engine.submit(() =>
        engine.evaluateDecision({
          ...(id !== undefined ? { decisionDefinitionId: id } : {}),
          ...(key !== undefined ? { decisionDefinitionKey: key } : {}),
          variables: vars ?? {},
        }),
      );
      return evaluationResult(r);
    } catch (e) {
      return sendProblem(reply, e, 'EVALUATE');
    }
  });

  app.post('/decision-definitions/search', async (request) => {
    const r = runSearch(spec, parseSearch(spec, bodyOf(request.body)));
    return {
      items: r.items.map((d) => compact({ ...d, name: d.name ?? d.decisionDefinitionId })),
      page: r.page,
    };
  });
}
