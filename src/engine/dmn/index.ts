// DMN decisions as Camunda 8 evaluates them (dmn-scala): decision tables with the hit policies UNIQUE,
// FIRST, ANY, COLLECT (plain or with SUM/MIN/MAX/COUNT), RULE ORDER, PRIORITY and OUTPUT ORDER (ranked by
// the outputs' outputValues), literal expression decisions,
// and required decisions evaluated first with their results bound under the decision id.
// Everything that can be checked without variables is checked at load time.
import type { ModdleElement } from '../../modeling/moddle.ts';
import {
  checkSyntax,
  checkUnaryTestsSyntax,
  evaluate,
  evaluateRaw,
  evaluateUnaryTests,
  FeelError,
  type FeelOptions,
  toJson,
} from '../feel/index.ts';

export class DmnError extends Error {
  readonly decisionId: string | undefined;
  /** On an evaluation failure: the decisions evaluated before the failing one, in order (for the audit record). */
  evaluatedDecisions: EvaluatedDecision[] = [];
  constructor(message: string, decisionId?: string) {
    super(message);
    this.name = 'DmnError';
    this.decisionId = decisionId;
  }
}

export type HitPolicy = 'UNIQUE' | 'FIRST' | 'ANY' | 'COLLECT' | 'RULE ORDER' | 'PRIORITY' | 'OUTPUT ORDER';
export type Aggregation = 'SUM' | 'MIN' | 'MAX' | 'COUNT';

export interface DecisionInput {
  id: string;
  label?: string;
  expression: string;
}

export interface DecisionOutput {
  id: string;
  name?: string;
  label?: string;
  /** The output values (outputValues), highest priority first: what PRIORITY and OUTPUT ORDER rank by. */
  values?: unknown[];
}

export interface DecisionRule {
  id: string;
  index: number;
  inputEntries: string[];
  outputEntries: string[];
}

export interface DecisionTable {
  hitPolicy: HitPolicy;
  aggregation?: Aggregation;
  inputs: DecisionInput[];
  outputs: DecisionOutput[];
  rules: DecisionRule[];
}

export interface DecisionModel {
  id: string;
  name?: string;
  /** The decision's variable name (DMN `variable`), when given. */
  variableName?: string;
  /** Ids of the decisions this one requires, evaluated before it. */
  requiredDecisions: string[];
  table?: DecisionTable;
  literalExpression?: string;
}

export interface MatchedRule {
  ruleId: string;
  /** 1-based, as Camunda reports it. */
  ruleIndex: number;
  outputs: Array<{ outputId: string; outputName?: string; value: unknown }>;
}

export interface EvaluatedInput {
  inputId: string;
  inputName?: string;
  value: unknown;
}

export interface EvaluatedDecision {
  decisionId: string;
  decisionName?: string;
  decisionType: 'DECISION_TABLE' | 'LITERAL_EXPRESSION';
  output: unknown;
  matchedRules: MatchedRule[];
  evaluatedInputs: EvaluatedInput[];
}

export interface DecisionResult {
  /** The decision's result: a value, a context (several outputs), a list (COLLECT/RULE ORDER), or null. */
  output: unknown;
  matchedRules: MatchedRule[];
  evaluatedInputs: EvaluatedInput[];
  /** Required decisions first, the evaluated decision last — enough for an audit record. */
  evaluatedDecisions: EvaluatedDecision[];
}

const HIT_POLICIES = new Set<string>([
  'UNIQUE',
  'FIRST',
  'ANY',
  'COLLECT',
  'RULE ORDER',
  'PRIORITY',
  'OUTPUT ORDER',
]);
const AGGREGATIONS = new Set<string>(['SUM', 'MIN', 'MAX', 'COUNT']);

function describeColumn(column: { id: string; label?: string; name?: string }): string {
  const title = column.label ?? column.name;
  return title ? `'${title}' (${column.id})` : `'${column.id}'`;
}

function text(element: ModdleElement | undefined): string {
  const value = element?.text;
  return typeof value === 'string' ? value.trim() : '';
}

function loadTable(decisionId: string, table: ModdleElement): DecisionTable {
  const where = `decision '${decisionId}'`;
  const { hitPolicy, aggregation } = loadHitPolicy(decisionId, where, table);
  const inputs = loadInputs(decisionId, where, table);
  const outputs = loadOutputs(decisionId, where, table);
  if (aggregation !== undefined && outputs.length > 1) {
    throw new DmnError(`${where}: aggregation '${aggregation}' needs exactly one output`, decisionId);
  }
  const rules: DecisionRule[] = (table.rule ?? []).map((rule: ModdleElement, i: number) =>
    loadRule(decisionId, where, rule, i, inputs, outputs),
  );
  return { hitPolicy, aggregation, inputs, outputs, rules };
}

function loadHitPolicy(
  decisionId: string,
  where: string,
  table: ModdleElement,
): { hitPolicy: HitPolicy; aggregation: Aggregation | undefined } {
  const hitPolicy = String(table.hitPolicy ?? 'UNIQUE');
  if (!HIT_POLICIES.has(hitPolicy)) {
    throw new DmnError(
      `${where}: hit policy '${hitPolicy}' is not supported (supported: UNIQUE, FIRST, ANY, COLLECT, RULE ORDER, PRIORITY, OUTPUT ORDER)`,
      decisionId,
    );
  }
  const aggregation = table.aggregation ? String(table.aggregation) : undefined;
  if (aggregation !== undefined) {
    if (hitPolicy !== 'COLLECT') {
      throw new DmnError(
        `${where}: aggregation '${aggregation}' is only allowed with hit policy COLLECT`,
        decisionId,
      );
    }
    if (!AGGREGATIONS.has(aggregation)) {
      throw new DmnError(`${where}: aggregation '${aggregation}' is not supported`, decisionId);
    }
  }
  return { hitPolicy: hitPolicy as HitPolicy, aggregation: aggregation as Aggregation | undefined };
}

function loadInputs(decisionId: string, where: string, table: ModdleElement): DecisionInput[] {
  return (table.input ?? []).map((input: ModdleElement, i: number) => {
    const column: DecisionInput = {
      id: input.id ?? `input${i + 1}`,
      label: input.label ?? undefined,
      expression: text(input.inputExpression),
    };
    if (column.expression !== '') {
      const error = checkSyntax(column.expression);
      if (error) throw new DmnError(`${where}, input ${describeColumn(column)}: ${error}`, decisionId);
    }
    return column;
  });
}

function loadOutputs(decisionId: string, where: string, table: ModdleElement): DecisionOutput[] {
  const outputs: DecisionOutput[] = (table.output ?? []).map((output: ModdleElement, i: number) => {
    const column: DecisionOutput = {
      id: output.id ?? `output${i + 1}`,
      name: output.name ?? undefined,
      label: output.label ?? undefined,
    };
    const values = text(output.outputValues);
    if (values !== '')
      column.values = outputValues(decisionId, `${where}, output ${describeColumn(column)}`, values);
    return column;
  });
  if (outputs.length === 0) throw new DmnError(`${where}: the decision table has no output`, decisionId);
  if (outputs.length > 1) {
    const unnamed = outputs.find((o) => !o.name);
    if (unnamed) {
      throw new DmnError(
        `${where}: output ${describeColumn(unnamed)} needs a name (the table has several outputs)`,
        decisionId,
      );
    }
  }
  return outputs;
}

/** An output column's outputValues ("high","medium","low"): a list of FEEL values, in priority order. */
function outputValues(decisionId: string, where: string, values: string): unknown[] {
  try {
    const list = evaluateRaw(`[${values}]`, {}).value;
    if (Array.isArray(list)) return list.map(toJson);
  } catch {
    // reported below
  }
  throw new DmnError(`${where}: output values '${values}' are not a list of values`, decisionId);
}

function loadRule(
  decisionId: string,
  where: string,
  rule: ModdleElement,
  i: number,
  inputs: DecisionInput[],
  outputs: DecisionOutput[],
): DecisionRule {
  const id = rule.id ?? `rule${i + 1}`;
  const ruleWhere = `${where}, rule '${id}' (#${i + 1})`;
  const inputEntries: string[] = (rule.inputEntry ?? []).map(text);
  const outputEntries: string[] = (rule.outputEntry ?? []).map(text);
  if (inputEntries.length !== inputs.length) {
    throw new DmnError(
      `${ruleWhere}: has ${inputEntries.length} input entries for ${inputs.length} inputs`,
      decisionId,
    );
  }
  if (outputEntries.length !== outputs.length) {
    throw new DmnError(
      `${ruleWhere}: has ${outputEntries.length} output entries for ${outputs.length} outputs`,
      decisionId,
    );
  }
  inputEntries.forEach((entry, column) => {
    const error = entry === '' || entry === '-' ? null : checkUnaryTestsSyntax(entry);
    if (error)
      throw new DmnError(`${ruleWhere}, input ${describeColumn(inputs[column]!)}: ${error}`, decisionId);
  });
  outputEntries.forEach((entry, column) => {
    const error = entry === '' ? null : checkSyntax(entry);
    if (error)
      throw new DmnError(`${ruleWhere}, output ${describeColumn(outputs[column]!)}: ${error}`, decisionId);
  });
  return { id, index: i + 1, inputEntries, outputEntries };
}

/**
 * Reads the decisions of a DMN definitions element (the root from `parseDmn(xml)`) and validates them.
 * Throws DmnError naming the decision, rule and column of the first problem.
 */
export function loadDecisions(definitions: ModdleElement): DecisionModel[] {
  const decisions: DecisionModel[] = [];
  for (const element of definitions?.drgElement ?? []) {
    if (element.$type !== 'dmn:Decision') continue;
    const id: string = element.id;
    if (!id) throw new DmnError('a decision has no id');
    const logic = element.decisionLogic;
    const model: DecisionModel = {
      id,
      name: element.name ?? undefined,
      variableName: element.variable?.name ?? undefined,
      requiredDecisions: (element.informationRequirement ?? [])
        .map((requirement: ModdleElement) => requirement.requiredDecision?.href)
        .filter((href: unknown): href is string => typeof href === 'string')
        .map((href: string) => href.replace(/^#/, '')),
    };
    if (!logic)
      throw new DmnError(
        `decision '${id}' has no decision logic (a decision table or literal expression)`,
        id,
      );
    if (logic.$type === 'dmn:DecisionTable') {
      model.table = loadTable(id, logic);
    } else if (logic.$type === 'dmn:LiteralExpression') {
      const expression = text(logic);
      if (expression === '') throw new DmnError(`decision '${id}': the literal expression is empty`, id);
      const error = checkSyntax(expression);
      if (error) throw new DmnError(`decision '${id}', literal expression: ${error}`, id);
      model.literalExpression = expression;
    } else {
      throw new DmnError(
        `decision '${id}': decision logic '${String(logic.$type).replace(/^dmn:/, '')}' is not supported (use a decision table or a literal expression)`,
        id,
      );
    }
    decisions.push(model);
  }

  const byId = new Map(decisions.map((d) => [d.id, d]));
  for (const decision of decisions) {
    for (const required of decision.requiredDecisions) {
      if (!byId.has(required)) {
        throw new DmnError(
          `decision '${decision.id}' requires decision '${required}', which does not exist`,
          decision.id,
        );
      }
    }
  }
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (decision: DecisionModel, path: string[]): void => {
    if (done.has(decision.id)) return;
    if (visiting.has(decision.id)) {
      throw new DmnError(
        `decisions require each other in a cycle: ${[...path, decision.id].join(' → ')}`,
        decision.id,
      );
    }
    visiting.add(decision.id);
    for (const required of decision.requiredDecisions) visit(byId.get(required)!, [...path, decision.id]);
    visiting.delete(decision.id);
    done.add(decision.id);
  };
  for (const decision of decisions) visit(decision, []);
  return decisions;
}

// ---------------------------------------------------------------------------------------------------
// evaluation

function feelEquals(a: unknown, b: unknown): boolean {
  return JSON.stringify(toJson(a)) === JSON.stringify(toJson(b));
}

function evaluateTable(
  decision: DecisionModel,
  table: DecisionTable,
  context: Record<string, unknown>,
  options: FeelOptions | undefined,
): Omit<EvaluatedDecision, 'decisionId' | 'decisionName' | 'decisionType'> {
  const where = `decision '${decision.id}'`;
  const evaluatedInputs: EvaluatedInput[] = table.inputs.map((input) => {
    let value: unknown = null;
    if (input.expression !== '') {
      try {
        value = evaluateRaw(input.expression, context, options).value;
      } catch (error) {
        throw new DmnError(
          `${where}, input ${describeColumn(input)}: ${(error as Error).message}`,
          decision.id,
        );
      }
    }
    return { inputId: input.id, inputName: input.label, value };
  });
  const matched = matchRules(decision, table, evaluatedInputs, context, options);
  const matchedRules: MatchedRule[] = matched.map((rule) => ({
    ruleId: rule.id,
    ruleIndex: rule.index,
    outputs: rule.outputEntries.map((entry, column) => {
      const output = table.outputs[column]!;
      let value: unknown = null;
      if (entry !== '') {
        try {
          value = evaluateRaw(entry, context, options).value;
        } catch (error) {
          throw new DmnError(
            `${where}, rule '${rule.id}' (#${rule.index}), output ${describeColumn(output)}: ${(error as Error).message}`,
            decision.id,
          );
        }
      }
      return { outputId: output.id, outputName: output.name, value: toJson(value) };
    }),
  }));
  return {
    output: applyHitPolicy(decision, table, matchedRules),
    matchedRules,
    evaluatedInputs: evaluatedInputs.map((i) => ({ ...i, value: toJson(i.value) })),
  };
}

/** The rules whose input entries all match (only the first one with hit policy FIRST). */
function matchRules(
  decision: DecisionModel,
  table: DecisionTable,
  evaluatedInputs: EvaluatedInput[],
  context: Record<string, unknown>,
  options: FeelOptions | undefined,
): DecisionRule[] {
  const matched: DecisionRule[] = [];
  for (const rule of table.rules) {
    const matches = rule.inputEntries.every((entry, column) => {
      if (entry === '' || entry === '-') return true;
      try {
        return evaluateUnaryTests(entry, evaluatedInputs[column]!.value, context, options).value === true;
      } catch (error) {
        throw new DmnError(
          `decision '${decision.id}', rule '${rule.id}' (#${rule.index}), input ${describeColumn(table.inputs[column]!)}: ${(error as Error).message}`,
          decision.id,
        );
      }
    });
    if (matches) {
      matched.push(rule);
      if (table.hitPolicy === 'FIRST') break;
    }
  }
  return matched;
}

function applyHitPolicy(decision: DecisionModel, table: DecisionTable, matchedRules: MatchedRule[]): unknown {
  const where = `decision '${decision.id}'`;
  const ruleValue = (rule: MatchedRule): unknown => {
    if (rule.outputs.length === 1) return rule.outputs[0]!.value;
    return Object.fromEntries(rule.outputs.map((o) => [o.outputName!, o.value]));
  };
  const values = matchedRules.map(ruleValue);
  switch (table.hitPolicy) {
    case 'UNIQUE':
      if (values.length > 1) {
        throw new DmnError(
          `${where}: hit policy UNIQUE, but ${values.length} rules match: ${matchedRules.map((r) => `'${r.ruleId}'`).join(', ')}`,
          decision.id,
        );
      }
      return values[0] ?? null;
    case 'FIRST':
      return values[0] ?? null;
    case 'ANY':
      if (values.some((value) => !feelEquals(value, values[0]))) {
        throw new DmnError(
          `${where}: hit policy ANY, but the matching rules ${matchedRules.map((r) => `'${r.ruleId}'`).join(', ')} have different outputs`,
          decision.id,
        );
      }
      return values[0] ?? null;
    case 'RULE ORDER':
      return values;
    case 'PRIORITY':
      return byPriority(table, matchedRules).map(ruleValue)[0] ?? null;
    case 'OUTPUT ORDER':
      return byPriority(table, matchedRules).map(ruleValue);
    case 'COLLECT':
      return aggregate(decision, table.aggregation, values);
  }
}

/**
 * Matched rules ordered by their outputs' priority: the position of each output's value in that output's
 * outputValues, output by output (a value not listed comes after every listed one); rule order breaks ties.
 */
function byPriority(table: DecisionTable, matchedRules: MatchedRule[]): MatchedRule[] {
  const rank = (rule: MatchedRule): number[] =>
    table.outputs.map((output, column) => {
      if (!output.values) return 0;
      const at = output.values.findIndex((v) => feelEquals(v, rule.outputs[column]!.value));
      return at < 0 ? output.values.length : at;
    });
  const compare = (a: number[], b: number[]) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return 0;
  };
  return [...matchedRules].sort((x, y) => compare(rank(x), rank(y)));
}

function aggregate(
  decision: DecisionModel,
  aggregation: Aggregation | undefined,
  values: unknown[],
): unknown {
  if (aggregation === undefined) return values;
  if (aggregation === 'COUNT') return values.length;
  const present = values.filter((v) => v !== null);
  if (present.length === 0) return null;
  if (!present.every((v) => typeof v === 'number')) {
    throw new DmnError(
      `decision '${decision.id}': aggregation ${aggregation} needs numeric outputs, got ${JSON.stringify(present)}`,
      decision.id,
    );
  }
  const numbers = present as number[];
  if (aggregation === 'SUM') return evaluate('sum(values)', { values: numbers }); // exact decimal sum, as FEEL's
  if (aggregation === 'MIN') return Math.min(...numbers);
  return Math.max(...numbers);
}

/**
 * Evaluates a decision with the given variables. Required decisions are evaluated first (found through
 * `lookup`) and their results are available under their decision id (and variable name, if any).
 * Throws DmnError on evaluation failures and on hit policy violations.
 */
export function evaluateDecision(
  decision: DecisionModel,
  variables: Record<string, unknown>,
  lookup?: (decisionId: string) => DecisionModel | undefined,
  options?: FeelOptions,
): DecisionResult {
  const evaluatedDecisions: EvaluatedDecision[] = [];
  const results = new Map<string, unknown>();

  const run = (current: DecisionModel, chain: string[]): unknown => {
    if (results.has(current.id)) return results.get(current.id);
    if (chain.includes(current.id)) {
      throw new DmnError(
        `decisions require each other in a cycle: ${[...chain, current.id].join(' → ')}`,
        current.id,
      );
    }
    const context: Record<string, unknown> = { ...variables };
    for (const requiredId of current.requiredDecisions) {
      const required = lookup?.(requiredId);
      if (!required) {
        throw new DmnError(
          `decision '${current.id}' requires decision '${requiredId}', which was not found`,
          current.id,
        );
      }
      const value = run(required, [...chain, current.id]);
      context[required.id] = value;
      if (required.variableName) context[required.variableName] = value;
    }
    let evaluated: EvaluatedDecision;
    if (current.table) {
      evaluated = {
        decisionId: current.id,
        decisionName: current.name,
        decisionType: 'DECISION_TABLE',
        ...evaluateTable(current, current.table, context, options),
      };
    } else {
      let value: unknown;
      try {
        value = toJson(evaluateRaw(current.literalExpression ?? 'null', context, options).value);
      } catch (error) {
        const message = error instanceof FeelError ? error.message : String(error);
        throw new DmnError(`decision '${current.id}', literal expression: ${message}`, current.id);
      }
      evaluated = {
        decisionId: current.id,
        decisionName: current.name,
        decisionType: 'LITERAL_EXPRESSION',
        output: value,
        matchedRules: [],
        evaluatedInputs: [],
      };
    }
    evaluatedDecisions.push(evaluated);
    results.set(current.id, evaluated.output);
    return evaluated.output;
  };

  try {
    run(decision, []);
  } catch (error) {
    if (error instanceof DmnError) error.evaluatedDecisions = evaluatedDecisions;
    throw error;
  }
  const last = evaluatedDecisions[evaluatedDecisions.length - 1]!;
  return {
    output: last.output,
    matchedRules: last.matchedRules,
    evaluatedInputs: last.evaluatedInputs,
    evaluatedDecisions,
  };
}
