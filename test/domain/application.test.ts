import { describe, expect, it } from 'vitest';
import { CLASSIFIED_REFUSAL, checkApplication, checkOutOfPlan } from '../../src/domain/index.ts';

const complete = {
  classified: false,
  fundingSource: 'city-fiscal',
  hasDataCatalogue: true,
  supportsIpv6: true,
  projectName: '云浮市智慧公安综合平台',
  serviceLines: [{ serviceType: 'software-development', subType: 'professional-software', amount: 800_000 }],
};

describe('G-9 涉密 projects are refused before anything else', () => {
  it('refuses a classified application with the reason, even when it is otherwise incomplete', () => {
    const r = checkApplication({ classified: true });
    expect(r.refusalReason).toBe(CLASSIFIED_REFUSAL);
    expect(r.refusalReason).toContain('涉密');
    expect(r.applicationComplete).toBe(false);
    expect(r.missingItems).toEqual([]);
  });

  it('demands the declaration', () => {
    const r = checkApplication({ ...complete, classified: undefined });
    expect(r.refusalReason).toBeNull();
    expect(r.issues.map((i) => i.field)).toEqual(['classified']);
  });
});

describe('G-3 only city-level fiscal funds are in scope', () => {
  it('refuses a project funded otherwise', () => {
    const r = checkApplication({ ...complete, fundingSource: 'self-raised' });
    // The vocabulary's label since co-funding (G-3): 单位自筹.
    expect(r.refusalReason).toContain('资金来源为“单位自筹”，没有市级财政资金');
    expect(r.refusalReason).toContain('G-3');
  });
  it('refuses an unknown funding source as a correctable item', () => {
    const r = checkApplication({ ...complete, fundingSource: 'lottery' });
    expect(r.refusalReason).toBeNull();
    expect(r.issues[0]!.field).toBe('fundingSource');
  });
});

describe('PRO-1 the application needs the data-sharing resource catalogue and the IPv6 commitment', () => {
  it('passes a complete application', () => {
    expect(checkApplication(complete)).toEqual({
      refusalReason: null,
      missingItems: [],
      issues: [],
      applicationComplete: true,
    });
  });

  it('says exactly what is missing', () => {
    const r = checkApplication({ ...complete, hasDataCatalogue: false, supportsIpv6: undefined });
    expect(r.applicationComplete).toBe(false);
    expect(r.missingItems).toEqual(['缺少政务数据共享资源目录（PRO-1）', '未承诺支持 IPv6（PRO-1）']);
    expect(r.issues.map((i) => i.field)).toEqual(['hasDataCatalogue', 'supportsIpv6']);
  });

  it('reports bad service lines with their path', () => {
    const r = checkApplication({
      ...complete,
      serviceLines: [{ serviceType: 'software-development', subType: 'x', amount: 1 }],
    });
    expect(r.issues.map((i) => i.field)).toEqual(['serviceLines[0].subType']);
    expect(r.missingItems[0]).toContain('serviceLines[0].subType');
  });
});

describe('EMG-1 out-of-plan initiation conditions', () => {
  it.each(['national-requirement', 'livelihood', 'network-security'])('accepts the ground %s', (reason) => {
    expect(checkOutOfPlan({ outOfPlanReason: reason, inAnnualBudget: false })).toEqual({
      eligible: true,
      issues: [],
    });
  });
  it('refuses any other ground, naming the field and the three grounds', () => {
    const r = checkOutOfPlan({ outOfPlanReason: 'convenience' });
    expect(r.eligible).toBe(false);
    expect(r.issues[0]!.field).toBe('outOfPlanReason');
    expect(r.issues[0]!.reason).toContain('国家部委有明确要求');
  });
  it('refuses a project that was in the annual budget', () => {
    const r = checkOutOfPlan({ outOfPlanReason: 'livelihood', inAnnualBudget: true });
    expect(r.issues.map((i) => i.field)).toEqual(['inAnnualBudget']);
  });
});
