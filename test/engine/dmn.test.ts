import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type DecisionModel, DmnError, evaluateDecision, loadDecisions } from '../../src/engine/dmn/index.ts';
import { parseDmn } from '../../src/modeling/moddle.ts';

async function load(name: string): Promise<DecisionModel[]> {
  const xml = readFileSync(new URL(`../fixtures/dmn/${name}`, import.meta.url), 'utf8');
  const { rootElement } = await parseDmn(xml);
  return loadDecisions(rootElement);
}

async function loadError(name: string): Promise<DmnError> {
  try {
    await load(name);
  } catch (error) {
    expect(error).toBeInstanceOf(DmnError);
    return error as DmnError;
  }
  throw new Error(`expected ${name} to be refused`);
}

function decide(decisions: DecisionModel[], id: string, variables: Record<string, unknown>) {
  const byId = new Map(decisions.map((d) => [d.id, d]));
  return evaluateDecision(byId.get(id)!, variables, (other) => byId.get(other));
}

describe('hit policy UNIQUE', () => {
  it('returns the single matching rule output as a value, with the audit trail', async () => {
    const decisions = await load('hit-policy-unique.dmn');
    const result = decide(decisions, 'projectCategory', {
      totalInvestment: 2_000_000,
      projectType: 'software',
      limit: 5_000_000,
    });
    expect(result.output).toBe('medium');
    expect(result.matchedRules).toEqual([
      {
        ruleId: 'Rule_Medium',
        ruleIndex: 2,
        outputs: [{ outputId: 'Output_Category', outputName: 'category', value: 'medium' }],
      },
    ]);
    expect(result.evaluatedInputs).toEqual([
      { inputId: 'Input_Investment', inputName: 'Total investment', value: 2_000_000 },
      { inputId: 'Input_Type', inputName: 'Project type', value: 'software' },
    ]);
  });

  it('reads -, comparisons, ranges with variables, lists, not() and ? tests', async () => {
    const decisions = await load('hit-policy-unique.dmn');
    const run = (totalInvestment: number, projectType: string) =>
      decide(decisions, 'projectCategory', { totalInvestment, projectType, limit: 5_000_000 }).output;
    expect(run(10, 'maintenance')).toBe('small');
    expect(run(1_000_000, 'hardware')).toBe('medium');
    expect(run(4_999_999, 'software')).toBe('medium');
    expect(run(5_000_000, 'software')).toBe('large');
    expect(run(5_000_000, 'maintenance')).toBeNull();
    expect(run(2_000_000, 'consulting')).toBeNull();
  });

  it('refuses more than one match', async () => {
    const decisions = await load('hit-policy-unique.dmn');
    expect(() =>
      decide(decisions, 'projectCategory', {
        totalInvestment: 60_000_000,
        projectType: 'software',
        limit: 5_000_000,
      }),
    ).toThrow(
      "decision 'projectCategory': hit policy UNIQUE, but 2 rules match: 'Rule_Large', 'Rule_Overlap'",
    );
  });
});

describe('hit policy FIRST', () => {
  it('returns the first matching rule; several outputs form a context', async () => {
    const decisions = await load('hit-policy-first.dmn');
    expect(decide(decisions, 'reviewRoute', { amount: 9_000_000 }).output).toEqual({
      reviewer: 'expert panel',
      days: 20,
    });
    const bureau = decide(decisions, 'reviewRoute', { amount: 2_000_000 });
    expect(bureau.output).toEqual({ reviewer: 'bureau', days: 20 });
    expect(bureau.matchedRules.map((r) => r.ruleId)).toEqual(['Rule_Bureau']);
    expect(decide(decisions, 'reviewRoute', { amount: 10 }).output).toEqual({
      reviewer: 'clerk',
      days: null,
    });
  });
});

describe('hit policy ANY', () => {
  it('returns the common output of all matching rules', async () => {
    const decisions = await load('hit-policy-any.dmn');
    const result = decide(decisions, 'needsExpertReview', { amount: 2_000_000, usesCloud: true });
    expect(result.output).toBe(true);
    expect(result.matchedRules.map((r) => r.ruleId)).toEqual(['Rule_Amount', 'Rule_Cloud']);
    expect(decide(decisions, 'needsExpertReview', { amount: 10, usesCloud: false }).output).toBeNull();
  });

  it('refuses matching rules with different outputs', async () => {
    const decisions = await load('hit-policy-any.dmn');
    expect(() => decide(decisions, 'needsExpertReview', { amount: 99_000_000, usesCloud: false })).toThrow(
      /hit policy ANY, but the matching rules 'Rule_Amount', 'Rule_Contradiction' have different outputs/,
    );
  });
});

describe('hit policy COLLECT', () => {
  it('collects the outputs of all matching rules into a list', async () => {
    const decisions = await load('hit-policy-collect.dmn');
    expect(decide(decisions, 'requiredDocuments', { amount: 6_000_000 }).output).toEqual([
      'application',
      'feasibility study',
      'security assessment',
    ]);
    expect(decide(decisions, 'requiredDocuments', { amount: 1 }).output).toEqual(['application']);
  });

  it('aggregates with SUM, COUNT and MAX', async () => {
    const decisions = await load('hit-policy-collect.dmn');
    expect(decide(decisions, 'reviewFee', { amount: 2_000_000 }).output).toBe(3000);
    expect(decide(decisions, 'reviewFee', { amount: 10 }).output).toBe(1000);
    expect(decide(decisions, 'documentCount', { amount: 2_000_000 }).output).toBe(1);
    expect(decide(decisions, 'documentCount', { amount: 10 }).output).toBe(0);
    expect(decide(decisions, 'feeRange', { amount: 10 }).output).toBe(30);
  });
});

describe('hit policy RULE ORDER', () => {
  it('lists the outputs of all matching rules in rule order', async () => {
    const decisions = await load('hit-policy-rule-order.dmn');
    expect(decide(decisions, 'reviewSteps', { amount: 2_000_000 }).output).toEqual([
      { step: 'initial check', role: 'clerk' },
      { step: 'expert review', role: 'expert' },
    ]);
  });
});

describe('required decisions', () => {
  it('evaluates required decisions first and binds their results by decision id', async () => {
    const decisions = await load('required-decisions.dmn');
    expect(decisions.map((d) => d.id)).toEqual(['approvalLevel', 'investmentCategory', 'deadlineDays']);
    const result = decide(decisions, 'approvalLevel', { totalInvestment: 20_000_000 });
    expect(result.output).toBe('city government, 30 days');
    expect(result.evaluatedDecisions.map((d) => [d.decisionId, d.decisionType, d.output])).toEqual([
      ['investmentCategory', 'DECISION_TABLE', 'major'],
      ['deadlineDays', 'LITERAL_EXPRESSION', 30],
      ['approvalLevel', 'DECISION_TABLE', 'city government, 30 days'],
    ]);
    expect(decide(decisions, 'approvalLevel', { totalInvestment: 1 }).output).toBe('bureau, 15 days');
  });

  it('evaluates a literal expression decision on its own', async () => {
    const decisions = await load('required-decisions.dmn');
    expect(decide(decisions, 'deadlineDays', { totalInvestment: 1 }).output).toBe(15);
  });

  it('fails when a required decision cannot be found at evaluation', async () => {
    const [approval] = await load('required-decisions.dmn');
    expect(() => evaluateDecision(approval!, {}, () => undefined)).toThrow(
      "decision 'approvalLevel' requires decision 'investmentCategory', which was not found",
    );
  });
});

describe('validation at load time', () => {
  it('refuses bad FEEL in an input entry, naming decision, rule and column', async () => {
    const error = await loadError('invalid-input-entry.dmn');
    expect(error.decisionId).toBe('brokenCategory');
    expect(error.message).toMatch(
      /^decision 'brokenCategory', rule 'Rule_Broken' \(#2\), input 'Total investment' \(Input_Investment\): failed to parse expression '>='/,
    );
  });

  it('loads PRIORITY (Camunda runs it, issue #14 §1.7) and refuses a hit policy DMN does not define', async () => {
    expect((await load('invalid-hit-policy.dmn'))[0]?.table?.hitPolicy).toBe('PRIORITY');
    const xml = readFileSync(new URL('../fixtures/dmn/invalid-hit-policy.dmn', import.meta.url), 'utf8');
    const { rootElement } = await parseDmn(xml.replace('hitPolicy="PRIORITY"', 'hitPolicy="RANDOM"'));
    expect(() => loadDecisions(rootElement)).toThrow(
      "decision 'prioritised': hit policy 'RANDOM' is not supported (supported: UNIQUE, FIRST, ANY, COLLECT, RULE ORDER, PRIORITY, OUTPUT ORDER)",
    );
  });

  it('refuses missing required decisions, cycles and bad output entries', async () => {
    const xml = (body: string) =>
      `<?xml version="1.0" encoding="UTF-8"?><definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="d" namespace="n">${body}</definitions>`;
    const literal = (id: string, requires: string[], expression = '1') =>
      `<decision id="${id}">${requires
        .map(
          (r) =>
            `<informationRequirement id="req_${id}_${r}"><requiredDecision href="#${r}"/></informationRequirement>`,
        )
        .join('')}<literalExpression id="le_${id}"><text>${expression}</text></literalExpression></decision>`;
    const refuse = async (body: string) => {
      const { rootElement } = await parseDmn(xml(body));
      return () => loadDecisions(rootElement);
    };
    expect(await refuse(literal('a', ['ghost']))).toThrow(
      "decision 'a' requires decision 'ghost', which does not exist",
    );
    expect(await refuse(literal('a', ['b']) + literal('b', ['a']))).toThrow(
      'decisions require each other in a cycle: a → b → a',
    );
    expect(await refuse(literal('a', [], '1 +'))).toThrow(
      /^decision 'a', literal expression: failed to parse/,
    );
    const badOutput = `<decision id="t"><decisionTable id="dt"><input id="i"><inputExpression id="ie"><text>x</text></inputExpression></input><output id="o" name="out"/><rule id="r"><inputEntry id="e"><text>-</text></inputEntry><outputEntry id="oe"><text>"a" +</text></outputEntry></rule></decisionTable></decision>`;
    expect(await refuse(badOutput)).toThrow(
      /^decision 't', rule 'r' \(#1\), output 'out' \(o\): failed to parse/,
    );
  });
});
