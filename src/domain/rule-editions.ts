// SU-2 / SU-4: thresholds and durations are configuration with effective dates. A project is governed by the
// edition in force on the date it was initiated; a later edition changes new projects only.
import { readFileSync } from 'node:fs';
import { DateTime, Duration } from 'luxon';
import { ZONE } from './calendar.ts';
import { FUNDING_SOURCES, type FundingSource } from './service-types.ts';

export interface DeadlineDefinition {
  workingDays: number;
  name: string;
  source: string;
}

export interface RuleEdition {
  id: string;
  /** The measures' title, as people cite them (《…》 without the brackets). */
  name: string;
  /** The measures' document number (文号), e.g. 云府办〔2020〕2号: with the title, how the pages name an edition. */
  document?: string;
  /** yyyy-MM-dd, Asia/Shanghai. */
  effectiveFrom: string;
  /**
   * The Bureau's name after the place name under this edition: 政务服务数据管理局 (2020), 政务服务和数据管理局
   * (2024) — 云浮市 + it on documents the system issues.
   */
  bureauName: string;
  /**
   * The fields whose values were carried over from the previous edition because the new text has not been
   * confirmed to change them ("carried over, to be confirmed").
   */
  carriedOver?: string[];
  /** yyyy-MM-dd inclusive, or null while open-ended. */
  validUntil: string | null;
  /** IM-3: total investment at or above this (元) requires 监理. */
  supervisionThreshold: number;
  /** IM-4: application software development cost at or above this (元) requires third-party testing. */
  testingThreshold: number;
  /** P-1: MM-dd of the annual plan filing deadline (inclusive). */
  annualPlanDeadline: string;
  /** P-1: MM-dd (Asia/Shanghai) on which the campaign for the next plan year opens. */
  campaignOpens: string;
  /** IM-8: ISO 8601 duration after which an overdue project is asked again for its delay filing (P7D). */
  delayRedemandInterval: string;
  /** Working-day overrides of config/deadlines.json by deadline name. */
  deadlines: Record<string, number>;
  /** G-3: the funding sources that bring a project under the measures (a funding line of one of them). */
  fundingScope: FundingSource[];
  /** SU-3: a county's own edition names the city edition it builds on; what it does not set is that edition's. */
  basedOn?: string;
  /** SU-3: the county tenant whose edition this is (absent for the city's). */
  tenantId?: string;
}

/** The part of an edition that a process carries in its `rules` variable. */
export interface RulesVariable {
  edition: string;
  /** The Bureau's name (without the place name) under the project's edition: what its pages and notices say. */
  bureauName: string;
  delayRedemandInterval: string;
  supervisionThreshold: number;
  testingThreshold: number;
  annualPlanDeadline: string;
  deadlines: Record<string, number>;
  fundingScope: string[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Every field an edition may have: any other (a typo, a field of a later version) is refused at start-up. */
const FIELDS = new Set([
  'id',
  'name',
  'document',
  'effectiveFrom',
  'validUntil',
  'bureauName',
  'supervisionThreshold',
  'testingThreshold',
  'annualPlanDeadline',
  'campaignOpens',
  'delayRedemandInterval',
  'deadlines',
  'fundingScope',
  'carriedOver',
  'basedOn',
  '$comment',
]);
const CARRIED = new Set([
  'bureauName',
  'supervisionThreshold',
  'testingThreshold',
  'annualPlanDeadline',
  'campaignOpens',
  'delayRedemandInterval',
  'deadlines',
  'fundingScope',
]);

function checkFields(
  e: Record<string, unknown>,
  at: string,
  fail: (where: string, reason: string) => never,
): void {
  for (const key of Object.keys(e)) {
    if (!FIELDS.has(key))
      fail(`${at}.${key}`, `unknown field; known: ${[...FIELDS].filter((f) => f !== '$comment').join(', ')}`);
  }
  if (typeof e.bureauName !== 'string' || e.bureauName.trim() === '')
    fail(`${at}.bureauName`, 'must be a non-empty string');
  if (e.carriedOver === undefined) return;
  if (!Array.isArray(e.carriedOver)) fail(`${at}.carriedOver`, 'must be a list of field names');
  (e.carriedOver as unknown[]).forEach((f, j) => {
    if (typeof f !== 'string' || !CARRIED.has(f)) {
      fail(`${at}.carriedOver[${j}]`, `must name a field an edition carries: ${[...CARRIED].join(', ')}`);
    }
  });
}

function isAmount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

export function parseRuleEditions(
  content: unknown,
  deadlines: Record<string, DeadlineDefinition>,
  source: string,
) {
  const fail = (where: string, reason: string): never => {
    throw new Error(`${source}: ${where}: ${reason}`);
  };
  for (const key of Object.keys((content ?? {}) as object)) {
    if (!['editions', 'counties', '$comment'].includes(key))
      fail(key, 'unknown field; known: editions, counties');
  }
  const list = (content as { editions?: unknown })?.editions;
  if (!Array.isArray(list) || list.length === 0) fail('editions', 'must be a non-empty list');
  const seen = new Set<string>();
  const editions = (list as unknown[]).map((raw, i) => {
    const at = `editions[${i}]`;
    const e = raw as Partial<RuleEdition>;
    if (typeof e?.id !== 'string' || e.id === '') fail(`${at}.id`, 'must be a non-empty string');
    if (seen.has(e.id as string)) fail(`${at}.id`, `duplicate edition id '${e.id}'`);
    seen.add(e.id as string);
    if (e.basedOn !== undefined)
      fail(`${at}.basedOn`, 'only a county edition (counties.<tenant>[]) builds on another');
    return parseEdition(raw as Record<string, unknown>, at, deadlines, fail);
  });
  checkOverlaps(editions, 'editions', fail);
  const counties = parseCounties(
    (content as { counties?: unknown }).counties,
    editions,
    seen,
    (raw, at) => parseEdition(raw, at, deadlines, fail),
    fail,
  );
  return new RuleBook(editions, deadlines, counties);
}

/** Editions of one list may not be in force on the same day. */
function checkOverlaps(
  editions: RuleEdition[],
  list: string,
  fail: (where: string, reason: string) => never,
) {
  const ordered = [...editions].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  ordered.forEach((e, i) => {
    const next = ordered[i + 1];
    if (next && e.validUntil !== null && e.validUntil >= next.effectiveFrom) {
      fail(
        `${list}[${editions.indexOf(e)}].validUntil`,
        `overlaps edition '${next.id}', in force from ${next.effectiveFrom}`,
      );
    }
  });
}

/**
 * SU-3: `counties.<tenantId>` lists a county's own editions. Each names the city edition it builds on (`basedOn`)
 * and sets only what differs — its title and number, its Bureau's name, thresholds, the plan deadline, deadlines;
 * the rest is that city edition's. While none of a county's editions is in force, the city's edition applies.
 */
function parseCounties(
  raw: unknown,
  city: RuleEdition[],
  seen: Set<string>,
  parse: (raw: Record<string, unknown>, at: string) => RuleEdition,
  fail: (where: string, reason: string) => never,
): Map<string, RuleEdition[]> {
  const out = new Map<string, RuleEdition[]>();
  if (raw === undefined) return out;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    fail('counties', 'must map a county tenant id to its list of editions');
  for (const [tenantId, list] of Object.entries(raw as Record<string, unknown>)) {
    if (tenantId === '$comment') continue;
    if (!Array.isArray(list)) fail(`counties.${tenantId}`, 'must be a list of editions');
    const editions = (list as Record<string, unknown>[]).map((e, i) => {
      const at = `counties.${tenantId}[${i}]`;
      const base = city.find((c) => c.id === e?.basedOn);
      if (!base) fail(`${at}.basedOn`, `must name a city edition: ${city.map((c) => c.id).join(', ')}`);
      if (typeof e.id !== 'string' || e.id === '') fail(`${at}.id`, 'must be a non-empty string');
      if (seen.has(e.id as string)) fail(`${at}.id`, `duplicate edition id '${e.id}'`);
      seen.add(e.id as string);
      const merged = {
        ...base,
        carriedOver: undefined,
        ...e,
        deadlines: { ...base!.deadlines, ...((e.deadlines as Record<string, number> | undefined) ?? {}) },
      };
      return { ...parse({ ...merged, basedOn: undefined }, at), basedOn: base!.id, tenantId };
    });
    checkOverlaps(editions, `counties.${tenantId}`, fail);
    out.set(tenantId, editions);
  }
  return out;
}

/** One edition, checked field by field; an unknown or mistyped field is refused with its place. */
function parseEdition(
  raw: Record<string, unknown>,
  at: string,
  deadlines: Record<string, DeadlineDefinition>,
  fail: (where: string, reason: string) => never,
): RuleEdition {
  const e = raw as Partial<RuleEdition>;
  if (typeof e.name !== 'string') fail(`${at}.name`, 'must be a string');
  checkFields(raw as Record<string, unknown>, at, fail);
  if (e.document !== undefined && typeof e.document !== 'string') fail(`${at}.document`, 'must be a string');
  for (const key of ['effectiveFrom', 'validUntil'] as const) {
    const v = e[key];
    if (key === 'validUntil' && v === null) continue;
    if (typeof v !== 'string' || !ISO_DATE.test(v) || !DateTime.fromISO(v).isValid) {
      fail(`${at}.${key}`, 'must be a yyyy-MM-dd date');
    }
  }
  if (!isAmount(e.supervisionThreshold))
    fail(`${at}.supervisionThreshold`, 'must be a non-negative integer of 元');
  if (!isAmount(e.testingThreshold)) fail(`${at}.testingThreshold`, 'must be a non-negative integer of 元');
  if (
    typeof e.annualPlanDeadline !== 'string' ||
    !DateTime.fromFormat(`2024-${e.annualPlanDeadline}`, 'yyyy-MM-dd').isValid
  ) {
    fail(`${at}.annualPlanDeadline`, 'must be MM-dd');
  }
  checkCampaignAndInterval(e, at, fail);
  checkFundingScope(e.fundingScope, at, fail);
  const overrides = e.deadlines ?? {};
  for (const [name, days] of Object.entries(overrides)) {
    if (!(name in deadlines))
      fail(`${at}.deadlines.${name}`, `unknown deadline; known: ${Object.keys(deadlines).join(', ')}`);
    if (!Number.isInteger(days) || days < 0)
      fail(`${at}.deadlines.${name}`, 'must be a non-negative integer of working days');
  }
  return { ...(e as RuleEdition), deadlines: overrides };
}

/** G-3: a non-empty list of distinct funding sources of the closed vocabulary. */
function checkFundingScope(scope: unknown, at: string, fail: (where: string, reason: string) => never): void {
  const known = Object.keys(FUNDING_SOURCES);
  if (!Array.isArray(scope) || scope.length === 0)
    fail(
      `${at}.fundingScope`,
      `must list the funding sources that bring a project under the measures: ${known.join(', ')}`,
    );
  (scope as unknown[]).forEach((s, j) => {
    if (typeof s !== 'string' || !known.includes(s))
      fail(`${at}.fundingScope[${j}]`, `must be a funding source: ${known.join(', ')}`);
    if ((scope as unknown[]).indexOf(s) !== j) fail(`${at}.fundingScope[${j}]`, `'${s}' is listed twice`);
  });
}

/** P-1's opening day (MM-dd) and IM-8's re-demand interval (an ISO 8601 duration longer than zero). */
function checkCampaignAndInterval(
  e: Partial<RuleEdition>,
  at: string,
  fail: (where: string, reason: string) => never,
): void {
  if (
    typeof e.campaignOpens !== 'string' ||
    !/^\d{2}-\d{2}$/.test(e.campaignOpens) ||
    !DateTime.fromFormat(`2023-${e.campaignOpens}`, 'yyyy-MM-dd').isValid
  ) {
    fail(`${at}.campaignOpens`, 'must be MM-dd (not 02-29: the campaign opens every year)');
  }
  if (typeof e.annualPlanDeadline === 'string' && (e.campaignOpens as string) >= e.annualPlanDeadline) {
    fail(
      `${at}.campaignOpens`,
      `must be before the plan deadline annualPlanDeadline (${e.annualPlanDeadline})`,
    );
  }
  const interval = typeof e.delayRedemandInterval === 'string' ? e.delayRedemandInterval : '';
  const parsed = Duration.fromISO(interval);
  if (!/^P/.test(interval) || !parsed.isValid || parsed.toMillis() <= 0) {
    fail(`${at}.delayRedemandInterval`, 'must be an ISO 8601 duration longer than zero, e.g. P7D');
  }
}

export function parseDeadlines(content: unknown, source: string): Record<string, DeadlineDefinition> {
  const out: Record<string, DeadlineDefinition> = {};
  for (const [name, raw] of Object.entries(content as Record<string, unknown>)) {
    if (name.startsWith('$')) continue;
    const d = raw as Partial<DeadlineDefinition>;
    if (!Number.isInteger(d?.workingDays) || (d.workingDays as number) < 0) {
      throw new Error(`${source}: ${name}.workingDays: must be a non-negative integer`);
    }
    if (typeof d.name !== 'string' || typeof d.source !== 'string') {
      throw new Error(`${source}: ${name}: needs a name and the source of its number`);
    }
    out[name] = d as DeadlineDefinition;
  }
  return out;
}

export class RuleBook {
  private readonly editions: RuleEdition[];

  private readonly counties: Map<string, RuleEdition[]>;

  constructor(
    editions: RuleEdition[],
    readonly deadlines: Record<string, DeadlineDefinition>,
    counties: Map<string, RuleEdition[]> = new Map(),
  ) {
    const byDate = (a: RuleEdition, b: RuleEdition) => a.effectiveFrom.localeCompare(b.effectiveFrom);
    this.editions = [...editions].sort(byDate);
    this.counties = new Map([...counties].map(([t, list]) => [t, [...list].sort(byDate)]));
  }

  static load(editionsPath: string, deadlinesPath: string): RuleBook {
    const deadlines = parseDeadlines(JSON.parse(readFileSync(deadlinesPath, 'utf8')), deadlinesPath);
    return parseRuleEditions(JSON.parse(readFileSync(editionsPath, 'utf8')), deadlines, editionsPath);
  }

  list(): readonly RuleEdition[] {
    return this.editions;
  }

  /** Every edition, the city's and each county's (SU-3): what a project may name. */
  all(): readonly RuleEdition[] {
    return [...this.editions, ...[...this.counties.values()].flat()];
  }

  /** A county's own editions (SU-3), oldest first; none for the city or a county that follows the city's. */
  countyEditions(tenantId: string): readonly RuleEdition[] {
    return this.counties.get(tenantId) ?? [];
  }

  /**
   * The edition in force on `at` (Asia/Shanghai date) for `tenantId`: the county's own while one is in force
   * (SU-3), else the city's. Throws when none is (before the first, or expired).
   */
  editionAt(at: Date | number, tenantId?: string): RuleEdition {
    const date = DateTime.fromMillis(typeof at === 'number' ? at : at.getTime(), { zone: ZONE }).toISODate()!;
    const county = tenantId
      ? this.counties
          .get(tenantId)
          ?.find((e) => e.effectiveFrom <= date && (e.validUntil === null || date <= e.validUntil))
      : undefined;
    if (county) return county;
    let found: RuleEdition | undefined;
    for (const e of this.editions) if (e.effectiveFrom <= date) found = e;
    if (!found) throw new Error(`no rule edition is in force on ${date}`);
    if (found.validUntil !== null && date > found.validUntil) {
      throw new Error(
        `rule edition '${found.id}' expired on ${found.validUntil} and no later edition is in force on ${date}`,
      );
    }
    return found;
  }

  byId(id: string): RuleEdition {
    const e = this.find(id);
    if (!e) throw new Error(`unknown rule edition '${id}'`);
    return e;
  }

  /** The edition of this id, the city's or a county's; undefined when there is none (or no id). */
  find(id: unknown): RuleEdition | undefined {
    return this.all().find((x) => x.id === id);
  }

  /** A project's own edition, as it named it when it was submitted; the oldest edition for a project of none known. */
  ofProject(project: { ruleEdition: string | null }): RuleEdition {
    return this.find(project.ruleEdition) ?? this.editions[0]!;
  }

  /** Working days of a named deadline under an edition (the edition's override, else config/deadlines.json). */
  workingDays(edition: RuleEdition | RulesVariable, deadline: string): number {
    const override = edition.deadlines[deadline];
    if (override !== undefined) return override;
    const base = this.deadlines[deadline];
    if (!base)
      throw new Error(`unknown deadline '${deadline}'; known: ${Object.keys(this.deadlines).join(', ')}`);
    return base.workingDays;
  }

  rulesVariable(edition: RuleEdition): RulesVariable {
    const deadlines: Record<string, number> = {};
    for (const name of Object.keys(this.deadlines)) deadlines[name] = this.workingDays(edition, name);
    return {
      edition: edition.id,
      bureauName: edition.bureauName,
      delayRedemandInterval: edition.delayRedemandInterval,
      supervisionThreshold: edition.supervisionThreshold,
      testingThreshold: edition.testingThreshold,
      annualPlanDeadline: edition.annualPlanDeadline,
      deadlines,
      fundingScope: [...edition.fundingScope],
    };
  }
}
