// The operations list's filter (Operate's): process, version, state, element, variable name = value, start and end
// date, project. One translation into the engine's process instance search (Camunda 8.8 ProcessInstanceFilter),
// shared by the list and by the batch operations that act "on the current filter". Dates are days in Asia/Shanghai
// (UTC+8, no daylight saving): `from` includes its day, `to` includes its day too.
import { PROTECTED_VARIABLES } from '../../domain/index.ts';
import { problem } from '../problem.ts';
import type { ProcessInstanceFilter, Variables } from '../process-gateway.ts';

/** Operate's states: running (all), running with an incident, completed, canceled. */
export const OPS_STATES = ['ACTIVE', 'INCIDENT', 'COMPLETED', 'TERMINATED'] as const;
export type OpsState = (typeof OPS_STATES)[number];

export interface InstanceFilterInput {
  processId?: string;
  version?: number;
  state?: OpsState;
  hasIncident?: boolean;
  elementId?: string;
  variableName?: string;
  variableValue?: string;
  startFrom?: string;
  startTo?: string;
  endFrom?: string;
  endTo?: string;
  projectId?: string;
}

const DAY_MS = 86_400_000;
const dayStart = (d: string) => new Date(Date.parse(`${d}T00:00:00+08:00`)).toISOString();
const dayEnd = (d: string) => new Date(Date.parse(`${d}T00:00:00+08:00`) + DAY_MS).toISOString();

/** A typed value is JSON when it parses (`true`, `12`, `"x"`), else the text itself (as Operate reads it). */
function variableValueOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function range(from: string | undefined, to: string | undefined, field: string) {
  for (const [d, f] of [
    [from, field.replace('To', 'From')],
    [to, field],
  ] as const) {
    if (d && Number.isNaN(Date.parse(`${d}T00:00:00+08:00`))) {
      throw problem.validation(`日期无效：${d}`, [{ field: f, reason: '不是有效日期' }]);
    }
  }
  if (from && to && from > to) {
    throw problem.validation('结束日期不能早于开始日期', [{ field, reason: `${field} 早于起始日期` }]);
  }
  if (!from && !to) return undefined;
  return { ...(from ? { from: dayStart(from) } : {}), ...(to ? { to: dayEnd(to) } : {}) };
}

/** The engine filter of `q` for `tenantId`, or a 400 naming the field that makes no sense. */
export function instanceFilter(q: InstanceFilterInput, tenantId: string): ProcessInstanceFilter {
  if (q.version !== undefined && !q.processId) {
    throw problem.validation('按版本筛选须先选择流程', [
      { field: 'version', reason: '须同时指定 processId' },
    ]);
  }
  const variables: Variables = {};
  if (q.variableName !== undefined || q.variableValue !== undefined) {
    if (!q.variableName || q.variableValue === undefined) {
      const field = q.variableName ? 'variableValue' : 'variableName';
      throw problem.validation('按变量筛选须同时填写变量名和变量值', [{ field, reason: '须同时填写' }]);
    }
    if (Object.hasOwn(PROTECTED_VARIABLES, q.variableName)) {
      throw problem.validation(`受保护的变量不能用于筛选：${q.variableName}`, [
        {
          field: 'variableName',
          reason: `${q.variableName}（${PROTECTED_VARIABLES[q.variableName]}）受保护`,
        },
      ]);
    }
  }
  // the project first: the engine finds instances by the first variable, then checks the others (the tenant last,
  // SU-3: every instance carries it, so it only narrows)
  if (q.projectId) variables.projectId = q.projectId;
  if (q.variableName && q.variableValue !== undefined)
    variables[q.variableName] = variableValueOf(q.variableValue);
  variables.tenantId = tenantId;
  const startDate = range(q.startFrom, q.startTo, 'startTo');
  const endDate = range(q.endFrom, q.endTo, 'endTo');
  const state = q.state === 'INCIDENT' ? 'ACTIVE' : q.state;
  const hasIncident = q.state === 'INCIDENT' ? true : q.hasIncident;
  return {
    ...(q.processId ? { processDefinitionId: q.processId } : {}),
    ...(q.version !== undefined ? { processDefinitionVersion: q.version } : {}),
    ...(state ? { state } : {}),
    ...(hasIncident !== undefined ? { hasIncident } : {}),
    ...(q.elementId ? { activeElementId: q.elementId } : {}),
    ...(startDate ? { startDate } : {}),
    ...(endDate ? { endDate } : {}),
    variables,
  };
}
