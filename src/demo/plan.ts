// What every part of the demo data set shares: the schedule it plays (Plan), the thirty professional projects with
// their Units and service lines, and the date form the forms hold.
import { DateTime } from 'luxon';
import type { CamundaProcessGateway } from '../app/camunda-gateway.ts';
import type { AnyWorkerDefinition } from '../camunda/worker-runtime.ts';
import { projectAmounts, type Regulation, type ServiceLine, ZONE } from '../domain/index.ts';
import type { Engine } from '../engine/engine.ts';
import type { Store } from '../store/store.ts';
import type { DemoSubmitter } from './submitter.ts';
import type { DEMO_CITY_UNITS } from './units.ts';

/** Starts a process instance through the Camunda client (the workers' `startProcess`). */
export type StartProcess = (
  processId: string,
  variables: Record<string, unknown>,
  tenantId: string,
) => Promise<{ processInstanceKey: string }>;

export interface DemoDatasetOptions {
  engine: Engine;
  store: Store;
  regulation: Regulation;
  /**
   * The workers, given what the data set provides them: how a consolidated public project's lifecycle starts (on
   * the same gateway the projects are submitted through).
   */
  workers: (provided: { startProcess: StartProcess }) => AnyWorkerDefinition[];
  /** The end of the simulated year (the real now). */
  until: number;
  /**
   * How the projects are submitted through the commands: the gateway of the running system (src/system.ts).
   * Without it the data set serves the engine's /v2 on a loopback port of its own while it plays.
   */
  processes?: CamundaProcessGateway;
  onProgress?: (done: number, total: number, label: string) => void;
}

export const TENANT = 'yunfu';
export const DAY = 86_400_000;

/** The thirty professional projects, each with the Unit whose business it serves. */
export const PROJECTS: Array<[name: string, unitId: string]> = [
  ['智慧警务综合指挥平台', 'gongan'],
  ['不动产登记信息平台升级', 'ziranziyuan'],
  ['教育资源公共服务平台', 'jiaoyu'],
  ['医疗保障智能监管系统', 'yibao'],
  ['社会救助信息管理系统', 'minzheng'],
  ['生态环境监测数据平台', 'shengtai'],
  ['城市内涝预警系统', 'zhujian'],
  ['农产品质量安全追溯系统', 'nongye'],
  ['市场主体信用监管平台', 'shichang'],
  ['应急指挥调度系统', 'yingji'],
  ['交通运输综合执法系统', 'jiaotong'],
  ['人社业务经办系统改造', 'renshe'],
  ['林业资源一张图', 'linye'],
  ['智慧城管综合平台二期', 'chengguan'],
  ['公共资源交易电子化平台', 'gonggongziyuan'],
  ['档案数字化管理系统', 'dangan'],
  ['住房公积金综合服务平台', 'gongjijin'],
  ['水资源管理信息系统', 'shuiwu'],
  ['文旅公共服务平台', 'wenguang'],
  ['退役军人服务管理系统', 'tuiyi'],
  ['统计数据采集处理系统', 'tongji'],
  ['消防物联网远程监控系统', 'xiaofang'],
  ['信访事项办理系统升级', 'xinfang'],
  ['卫生健康大数据平台', 'weijian'],
  ['国有资产监管信息系统', 'guozi'],
  ['气象灾害预警发布系统', 'qixiang'],
  ['审计数据分析平台', 'shenji'],
  ['金融风险监测预警系统', 'jinrong'],
  ['残疾人服务信息系统', 'canlian'],
  ['科技项目管理系统', 'keji'],
];
export const PROJECT_NAMES = PROJECTS.map(([name]) => name);

const AMOUNTS = [
  1_280_000, 460_000, 980_000, 2_350_000, 620_000, 1_000_000, 499_000, 760_000, 1_650_000, 520_000,
];

/** What the Unit pays its testing and assessment organisations (AC-3, IM-4): its 测评 line. */
export const assessmentFee = (i: number): number => Math.round(AMOUNTS[i % AMOUNTS.length]! * 0.03);

/** What the 监理 contract costs (IM-3): its 监理 line, where the project has one. */
export const supervisionFee = (i: number): number => Math.round(AMOUNTS[i % AMOUNTS.length]! * 0.04);

export function lines(i: number): ServiceLine[] {
  const software = AMOUNTS[i % AMOUNTS.length]!;
  const result: ServiceLine[] = [
    {
      serviceType: 'software-development',
      subType: 'professional-software',
      amount: software,
      description: '应用系统开发',
    },
    {
      serviceType: 'operation-maintenance',
      subType: 'software-om',
      amount: Math.round(software * 0.08),
      relatedTo: 'professional-software',
      description: '一年运维',
    },
  ];
  // AC-3, IM-4: the acceptance test, the security assessment (and from 500,000 元 the software test) cost 3 %
  result.push({
    serviceType: 'third-party',
    subType: 'assessment',
    amount: assessmentFee(i),
    relatedTo: 'professional-software',
    description: '第三方测试、测评',
  });
  if (result.reduce((sum, l) => sum + l.amount, 0) >= 950_000) {
    result.push({
      serviceType: 'third-party',
      subType: 'supervision',
      amount: supervisionFee(i),
      relatedTo: 'professional-software',
      description: '工程监理',
    });
  }
  return result;
}

/** How the data set schedules its steps: what every part of the year shares. */
export interface Plan {
  o: DemoDatasetOptions;
  year: number;
  at: (iso: string) => number;
  /** Schedules a step at `when` (steps after `until` are not played). */
  act: (when: number, label: string, run: () => Promise<void>) => void;
  /** Completes the open task `elementId` that `match` picks; a task the path did not reach is a skipped step. */
  completeTask: (
    elementId: string,
    match: TaskMatch,
    variables: Record<string, unknown>,
    what: string,
  ) => Promise<void>;
  skipped: string[];
  submitter: DemoSubmitter;
}

export type TaskMatch = (
  vars: Record<string, unknown>,
  task: { candidateGroups: string[]; processDefinitionId: string },
) => boolean;

/** 18:00 of that day in Yunfu, as the forms' date-time fields hold it. */
export function eveningOf(ms: number): string {
  return DateTime.fromMillis(ms, { zone: ZONE })
    .set({ hour: 18, minute: 0 })
    .toISO({ suppressMilliseconds: true, suppressSeconds: true })!;
}

export type DemoUnit = (typeof DEMO_CITY_UNITS)[number];

/** What a Unit's annual plan names: its projects of the data set with their total, or the upkeep of what it runs. */
export function plannedOf(u: DemoUnit): { plannedProjects: string; estimatedTotalAmount: number } {
  const mine = PROJECTS.flatMap(([name, unitId], i) => (unitId === u.id ? [{ name, i }] : []));
  if (mine.length === 0)
    return { plannedProjects: `${u.name}现有业务系统运行维护`, estimatedTotalAmount: 300_000 };
  return {
    plannedProjects: mine.map((p) => p.name).join('、'),
    estimatedTotalAmount: mine.reduce((sum, p) => sum + projectAmounts(lines(p.i)).totalInvestment, 0),
  };
}
