// The ProcessGateway on the official Camunda 8 client (@camunda8/sdk's orchestration-cluster REST client): the
// business API reaches the engine through this and nothing else — no HTTP of its own, no engine imports — so the
// same code runs against the embedded engine's /v2 and against real Camunda 8 (CAMUNDA_REST_ADDRESS).
//
// Business tenants (SU-3) are process variables (`tenantId`), not Camunda tenants: multi-tenancy stays off in
// Camunda, and the API filters by the variable. Variable values travel as JSON text, as Camunda returns them.
import { createLooseCamundaClient, type LooseCamundaClient } from '../camunda/client.ts';
import type { CamundaClientConfig } from '../camunda/config.ts';
import { call, NOW, orNull } from './camunda-calls.ts';
import { CamundaProcessChanges, type ProcessChanges } from './camunda-changes.ts';
import {
  type ElementInstance,
  type Incident,
  type IncidentFilter,
  ProcessEngineError,
  type ProcessEvent,
  type ProcessGateway,
  type ProcessInstance,
  type ProcessInstanceFilter,
  type StartedProcess,
  type TaskForm,
  type UserTask,
  type UserTaskFilter,
  type Variables,
} from './process-gateway.ts';

type Raw = Record<string, unknown>;

export interface GatewayOptions {
  /**
   * How long a read of something this system itself wrote waits for Camunda's search side to catch up (it is
   * exported asynchronously on real Camunda; the embedded engine answers at once). Default 0. Only `processHistory`
   * uses it, for the root instance whose key the store holds (the submit command wrote it from the engine's answer,
   * so a 404 there means "not exported yet"). Every other read answers with what is there: an empty page or a 404 is
   * an answer, not a failure — the client's wait polls until the result is non-empty, so waiting on an empty inbox
   * would turn every empty inbox into a timeout.
   */
  consistencyMs?: number;
}

/** Element types that are noise on a timeline: routing, not work or events. */
const SILENT_TYPES = new Set([
  'SEQUENCE_FLOW',
  'EXCLUSIVE_GATEWAY',
  'PARALLEL_GATEWAY',
  'INCLUSIVE_GATEWAY',
  'EVENT_BASED_GATEWAY',
  'MULTI_INSTANCE_BODY',
  'PROCESS',
]);
const EVENT_TYPES = new Set(['BOUNDARY_EVENT', 'INTERMEDIATE_CATCH_EVENT', 'START_EVENT']);
const MAX_PAGE = 1000;

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** Camunda variable values are JSON text; a truncated or malformed one stays text. */
export function parseValue(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toUserTask(t: Raw): UserTask {
  return {
    userTaskKey: String(t.userTaskKey),
    name: String(t.name ?? t.elementId),
    elementId: String(t.elementId),
    processDefinitionId: String(t.processDefinitionId),
    processInstanceKey: String(t.processInstanceKey),
    candidateGroups: (t.candidateGroups as string[] | undefined) ?? [],
    assignee: str(t.assignee),
    state: String(t.state),
    creationDate: String(t.creationDate),
    completionDate: str(t.completionDate),
    dueDate: str(t.dueDate),
    followUpDate: str(t.followUpDate),
    priority: typeof t.priority === 'number' ? t.priority : 50,
    formKey: str(t.formKey),
    tenantId: String(t.tenantId ?? '<default>'),
    ...(t.processName ? { processName: String(t.processName) } : {}),
  } as UserTask;
}

function toInstance(p: Raw): ProcessInstance {
  return {
    processInstanceKey: String(p.processInstanceKey),
    processDefinitionId: String(p.processDefinitionId),
    processDefinitionKey: String(p.processDefinitionKey),
    processDefinitionName: str(p.processDefinitionName),
    processDefinitionVersion: Number(p.processDefinitionVersion ?? 0),
    state: String(p.state),
    startDate: String(p.startDate),
    endDate: str(p.endDate),
    hasIncident: p.hasIncident === true,
    parentProcessInstanceKey: str(p.parentProcessInstanceKey),
  };
}

function toElement(e: Raw): ElementInstance {
  return {
    elementInstanceKey: String(e.elementInstanceKey),
    processInstanceKey: String(e.processInstanceKey),
    processDefinitionKey: String(e.processDefinitionKey),
    elementId: String(e.elementId),
    elementName: str(e.elementName),
    type: String(e.type),
    state: String(e.state),
    startDate: String(e.startDate),
    endDate: str(e.endDate),
    hasIncident: e.hasIncident === true,
  };
}

function toIncident(i: Raw): Incident {
  return {
    incidentKey: String(i.incidentKey),
    processInstanceKey: String(i.processInstanceKey),
    processDefinitionId: String(i.processDefinitionId),
    elementId: String(i.elementId),
    elementInstanceKey: String(i.elementInstanceKey),
    errorType: String(i.errorType),
    errorMessage: String(i.errorMessage ?? ''),
    state: String(i.state),
    creationTime: String(i.creationTime),
    jobKey: str(i.jobKey),
  };
}

type ElementSearch = Parameters<LooseCamundaClient['searchElementInstances']>[0];
/**
 * The element-instance filter by instance key. The loose client's mapped type for this one nested key is satisfiable
 * by no string (SDK 8.8 maps the brand's String methods), so it is built here, once; Camunda takes the key as text.
 */
const elementFilter = (processInstanceKey: string) =>
  ({ processInstanceKey }) as unknown as ElementSearch['filter'];

/** `{ name, value }` filters on process variables: Camunda compares the JSON text of the value. */
function variableFilters(vars: Variables): Array<{ name: string; value: string | { $in: string[] } }> {
  return Object.entries(vars).map(([name, value]) => ({ name, value: JSON.stringify(value) }));
}

function dateRange(r: { from?: string; to?: string }): Raw {
  return { ...(r.from ? { $gte: r.from } : {}), ...(r.to ? { $lt: r.to } : {}) };
}

/** Which catch events of a BPMN are timers and which are messages, by element id (read from the XML). */
export function eventKinds(xml: string): Map<string, 'timer' | 'message'> {
  const kinds = new Map<string, 'timer' | 'message'>();
  const open = /<((?:[A-Za-z0-9]+:)?(?:boundaryEvent|intermediateCatchEvent|startEvent))\b([^>]*)>/g;
  for (const m of xml.matchAll(open)) {
    const attributes = m[2] ?? '';
    if (attributes.endsWith('/')) continue; // self-closing: no event definition
    const id = /\bid="([^"]+)"/.exec(attributes)?.[1];
    const start = (m.index ?? 0) + m[0].length;
    const end = xml.indexOf(`</${m[1]}>`, start);
    if (!id || end < 0) continue;
    const body = xml.slice(start, end);
    if (body.includes('timerEventDefinition')) kinds.set(id, 'timer');
    else if (body.includes('messageEventDefinition')) kinds.set(id, 'message');
  }
  return kinds;
}

export class CamundaProcessGateway implements ProcessGateway {
  /** Only for reads of what this system itself just wrote (see GatewayOptions). */
  private readonly ownWrite: { consistency: { waitUpToMs: number; pollIntervalMs: number } };
  private readonly xmlCache = new Map<string, string>();

  constructor(
    private readonly client: LooseCamundaClient,
    options: GatewayOptions = {},
  ) {
    this.ownWrite = { consistency: { waitUpToMs: options.consistencyMs ?? 0, pollIntervalMs: 200 } };
  }

  /** A gateway with its own client, from the same configuration the workers use (CAMUNDA_* variables). */
  static fromConfig(config: CamundaClientConfig, options: GatewayOptions = {}): CamundaProcessGateway {
    return new CamundaProcessGateway(createLooseCamundaClient(config), options);
  }

  async startProcess(
    processId: string,
    _businessKey: string,
    variables: Variables,
    tenantId: string,
  ): Promise<StartedProcess> {
    // Camunda 8 has no business key: the key (projectId, auditRequestId…) is a variable the caller sets, and the
    // business tenant travels as the `tenantId` variable.
    const r = await call(() =>
      this.client.createProcessInstance({
        processDefinitionId: processId,
        variables: { ...variables, tenantId },
      }),
    );
    return {
      processInstanceKey: String(r.processInstanceKey),
      processDefinitionKey: String(r.processDefinitionKey),
      processDefinitionId: String(r.processDefinitionId),
      version: Number(r.processDefinitionVersion ?? 0),
    };
  }

  async publishMessage(
    name: string,
    correlationKey: string,
    variables: Variables,
    _tenantId: string,
  ): Promise<void> {
    await call(() => this.client.publishMessage({ name, correlationKey, variables, timeToLive: 0 }));
  }

  async correlateMessage(
    name: string,
    correlationKey: string,
    variables: Variables,
    _tenantId: string,
  ): Promise<{ processInstanceKey: string } | null> {
    const r = await orNull(() => this.client.correlateMessage({ name, correlationKey, variables }));
    return r ? { processInstanceKey: String(r.processInstanceKey) } : null;
  }

  async searchUserTasks(filter: UserTaskFilter): Promise<{ items: UserTask[]; total: number }> {
    const f: Raw = {};
    // one SQL query on the embedded engine (an entry of the task's list among these), as on Camunda 8.8
    if (filter.candidateGroups) f.candidateGroup = { $in: filter.candidateGroups };
    if (filter.candidateGroupsNotIn) f.candidateGroup = { $notIn: filter.candidateGroupsNotIn };
    if (filter.assignee) f.assignee = filter.assignee;
    else if (filter.assigned === false) f.assignee = { $exists: false };
    if (filter.processInstanceKey) f.processInstanceKey = filter.processInstanceKey;
    if (filter.processDefinitionId) f.processDefinitionId = filter.processDefinitionId;
    if (filter.state) f.state = filter.state;
    if (filter.elementId) f.elementId = filter.elementId;
    if (filter.dueDate) f.dueDate = dateRange({ from: filter.dueDate.from, to: filter.dueDate.before });
    else if (filter.hasDueDate) f.dueDate = { $exists: true };
    if (filter.completionDate)
      f.completionDate = dateRange({ from: filter.completionDate.from, to: filter.completionDate.before });
    const vars: Variables = {};
    if (filter.projectId) vars.projectId = filter.projectId;
    if (filter.tenantId) vars.tenantId = filter.tenantId;
    if (filter.unitId) vars.unitId = filter.unitId;
    const variables = variableFilters(vars);
    // a variable's value is its JSON text, compared as a StringFilterProperty ($in: any of these projects)
    if (filter.projectIds)
      variables.push({
        name: 'projectId',
        value: { $in: filter.projectIds.map((id) => JSON.stringify(id)) },
      });
    if (variables.length > 0) f.processInstanceVariables = variables;
    const r = await call(() =>
      this.client.searchUserTasks(
        {
          filter: f,
          sort: filter.sort ?? [{ field: 'creationDate', order: 'ASC' }],
          page: filter.page ?? { from: 0, limit: MAX_PAGE },
        },
        NOW,
      ),
    );
    return { items: (r.items ?? []).map(toUserTask), total: Number(r.page.totalItems) };
  }

  async getUserTask(userTaskKey: string): Promise<UserTask | null> {
    const r = await orNull(() => this.client.getUserTask({ userTaskKey }, NOW));
    return r ? toUserTask(r) : null;
  }

  async getUserTaskForm(userTaskKey: string): Promise<TaskForm | null> {
    const r = await orNull(() => this.client.getUserTaskForm({ userTaskKey }, NOW));
    // 204 (no form linked) comes back without a body.
    const x = r || null;
    if (!x || typeof x !== 'object' || !('formKey' in x)) return null;
    const schema = typeof x.schema === 'string' ? parseValue(x.schema) : x.schema;
    return {
      formId: String(x.formId),
      formKey: String(x.formKey),
      version: Number(x.version ?? 0),
      schema: (schema ?? {}) as Record<string, unknown>,
    };
  }

  async userTaskVariables(userTaskKey: string): Promise<Variables> {
    const r = await call(() =>
      this.client.searchUserTaskVariables(
        { userTaskKey, truncateValues: false, page: { from: 0, limit: MAX_PAGE } },
        NOW,
      ),
    );
    const out: Variables = {};
    for (const v of r.items ?? []) {
      out[String(v.name)] = parseValue(v.value);
    }
    return out;
  }

  async instanceVariables(processInstanceKeys: string[], names: string[]): Promise<Map<string, Variables>> {
    const out = new Map<string, Variables>();
    const keys = [...new Set(processInstanceKeys)];
    for (const k of keys) out.set(k, {});
    for (let i = 0; i < keys.length; i += 100) {
      const chunk = keys.slice(i, i + 100);
      const r = await call(() =>
        this.client.searchVariables(
          {
            filter: { scopeKey: { $in: chunk }, ...(names.length > 0 ? { name: { $in: names } } : {}) },
            page: { from: 0, limit: 10_000 },
            truncateValues: false,
          },
          NOW,
        ),
      );
      for (const v of r.items ?? []) {
        const bag = out.get(String(v.scopeKey));
        const name = String(v.name);
        if (bag && !(name in bag)) bag[name] = parseValue(v.value);
      }
    }
    return out;
  }

  async completeUserTask(userTaskKey: string, variables: Variables, action?: string): Promise<void> {
    await call(() => this.client.completeUserTask({ userTaskKey, variables, ...(action ? { action } : {}) }));
  }

  async assignUserTask(
    userTaskKey: string,
    assignee: string,
    options: { override?: boolean; action?: string } = {},
  ): Promise<void> {
    const allowOverride = options.override === true;
    const action = options.action ?? 'claim';
    await call(() => this.client.assignUserTask({ userTaskKey, assignee, allowOverride, action }));
  }

  async updateUserTask(
    userTaskKey: string,
    changeset: { followUpDate?: string; priority?: number },
  ): Promise<void> {
    await call(() => this.client.updateUserTask({ userTaskKey, changeset, action: 'update' }));
  }

  async unassignUserTask(userTaskKey: string): Promise<void> {
    await call(() => this.client.unassignUserTask({ userTaskKey }));
  }

  async searchProcessInstances(
    filter: ProcessInstanceFilter,
  ): Promise<{ items: ProcessInstance[]; total: number }> {
    const f: Raw = {};
    if (filter.processDefinitionId) f.processDefinitionId = filter.processDefinitionId;
    if (filter.state) f.state = filter.state;
    if (filter.hasIncident !== undefined) f.hasIncident = filter.hasIncident;
    if (filter.parentProcessInstanceKey) f.parentProcessInstanceKey = filter.parentProcessInstanceKey;
    if (filter.processDefinitionVersion !== undefined)
      f.processDefinitionVersion = filter.processDefinitionVersion;
    if (filter.activeElementId) {
      // the instances with an active element instance of that id, by the element instance search: Camunda's
      // elementId + elementInstanceState on the instance search need not hold for the same element instance
      const keys = await this.instancesAtElement(filter.activeElementId);
      if (keys.length === 0) return { items: [], total: 0 };
      f.processInstanceKey = { $in: keys };
    }
    if (filter.startDate) f.startDate = dateRange(filter.startDate);
    if (filter.endDate) f.endDate = dateRange(filter.endDate);
    if (filter.variables && Object.keys(filter.variables).length > 0)
      f.variables = variableFilters(filter.variables);
    const r = await call(() =>
      this.client.searchProcessInstances(
        {
          filter: f,
          sort: [{ field: 'startDate', order: 'DESC' }],
          page: filter.page ?? { from: 0, limit: MAX_PAGE },
        },
        NOW,
      ),
    );
    return { items: (r.items ?? []).map(toInstance), total: Number(r.page.totalItems) };
  }

  private async instancesAtElement(elementId: string): Promise<string[]> {
    const keys = new Set<string>();
    for (let from = 0; from < 10 * MAX_PAGE; from += MAX_PAGE) {
      const r = await call(() =>
        this.client.searchElementInstances(
          {
            filter: { elementId, state: 'ACTIVE' } as unknown as ElementSearch['filter'],
            page: { from, limit: MAX_PAGE },
          },
          NOW,
        ),
      );
      for (const e of r.items ?? []) keys.add(String(e.processInstanceKey));
      if ((r.items ?? []).length < MAX_PAGE) break;
    }
    return [...keys];
  }

  async getProcessInstance(processInstanceKey: string): Promise<ProcessInstance | null> {
    const r = await orNull(() => this.client.getProcessInstance({ processInstanceKey }, NOW));
    return r ? toInstance(r) : null;
  }

  async cancelProcessInstance(processInstanceKey: string): Promise<void> {
    await call(() => this.client.cancelProcessInstance({ processInstanceKey }));
  }

  async elementInstances(processInstanceKey: string): Promise<ElementInstance[]> {
    const items: ElementInstance[] = [];
    for (let from = 0; ; from += MAX_PAGE) {
      const r = await call(() =>
        this.client.searchElementInstances(
          {
            filter: elementFilter(processInstanceKey),
            sort: [{ field: 'elementInstanceKey', order: 'ASC' }],
            page: { from, limit: MAX_PAGE },
          },
          NOW,
        ),
      );
      const page = (r.items ?? []).map(toElement);
      items.push(...page);
      if (page.length < MAX_PAGE) return items;
    }
  }

  async searchIncidents(filter: IncidentFilter): Promise<{ items: Incident[]; total: number }> {
    const f: Raw = {};
    if (filter.processInstanceKey) f.processInstanceKey = filter.processInstanceKey;
    if (filter.state) f.state = filter.state;
    const r = await call(() =>
      this.client.searchIncidents(
        {
          filter: f,
          sort: [{ field: 'creationTime', order: 'ASC' }],
          page: filter.page ?? { from: 0, limit: MAX_PAGE },
        },
        NOW,
      ),
    );
    return { items: (r.items ?? []).map(toIncident), total: Number(r.page.totalItems) };
  }

  async getIncident(incidentKey: string): Promise<Incident | null> {
    const r = await orNull(() => this.client.getIncident({ incidentKey }, NOW));
    return r ? toIncident(r) : null;
  }

  async retryIncident(incidentKey: string, retries = 1): Promise<void> {
    const incident = await this.getIncident(incidentKey);
    if (!incident)
      throw new ProcessEngineError(404, 'NOT_FOUND', `Incident with key '${incidentKey}' not found`);
    // A job incident (no retries left) resolves only once the job has retries again: raise them first, as
    // Operate's "retry" does. Other incidents (a failed expression, an unmatched condition) resolve directly.
    if (incident.jobKey) {
      const jobKey = incident.jobKey;
      await call(() => this.client.updateJob({ jobKey, changeset: { retries } }));
    }
    await call(() => this.client.resolveIncident({ incidentKey }));
  }

  async setVariables(elementInstanceKey: string, variables: Variables, local = false): Promise<void> {
    await call(() =>
      this.client.createElementInstanceVariables({
        elementInstanceKey,
        variables,
        ...(local ? { local } : {}),
      }),
    );
  }

  async processDefinitionXml(processDefinitionKey: string): Promise<string> {
    const cached = this.xmlCache.get(processDefinitionKey);
    if (cached !== undefined) return cached;
    const r = await call(() => this.client.getProcessDefinitionXml({ processDefinitionKey }, NOW));
    const xml = String(r);
    // A deployed definition never changes: cache it (a few dozen definitions at most).
    if (this.xmlCache.size < 200) this.xmlCache.set(processDefinitionKey, xml);
    return xml;
  }

  async processHistory(processInstanceKey: string): Promise<ProcessEvent[]> {
    // The instance and every instance it called, breadth first.
    const instances: ProcessInstance[] = [];
    // The root's key comes from the store, which has it from the engine: wait for it to be exported.
    const root = await orNull(() =>
      this.client.getProcessInstance({ processInstanceKey }, this.ownWrite),
    ).then((r) => (r ? toInstance(r) : null));
    if (!root) return [];
    const queue = [root];
    while (queue.length > 0 && instances.length < 500) {
      const next = queue.shift()!;
      instances.push(next);
      const children = await this.searchProcessInstances({
        parentProcessInstanceKey: next.processInstanceKey,
      });
      queue.push(...children.items);
    }
    const events: ProcessEvent[] = [];
    for (const instance of instances) {
      const kinds = eventKinds(await this.processDefinitionXml(instance.processDefinitionKey));
      for (const e of await this.elementInstances(instance.processInstanceKey)) {
        if (SILENT_TYPES.has(e.type)) continue;
        const base = {
          elementId: e.elementId,
          elementName: e.elementName,
          processInstanceKey: e.processInstanceKey,
          processDefinitionId: instance.processDefinitionId,
          elementType: e.type,
        };
        if (EVENT_TYPES.has(e.type)) {
          // A catch event happens once: when it is triggered (its completion). A start event of the instance
          // itself is its activation.
          const kind = kinds.get(e.elementId);
          if (e.endDate && e.state === 'COMPLETED') {
            events.push({
              ...base,
              at: e.endDate,
              kind:
                kind === 'timer'
                  ? 'timer-fired'
                  : kind === 'message'
                    ? 'message-correlated'
                    : 'element-completed',
            });
          }
          continue;
        }
        events.push({ ...base, at: e.startDate, kind: 'element-activated' });
        if (e.endDate && e.state === 'COMPLETED')
          events.push({ ...base, at: e.endDate, kind: 'element-completed' });
      }
      for (const i of (await this.searchIncidents({ processInstanceKey: instance.processInstanceKey }))
        .items) {
        events.push({
          at: i.creationTime,
          kind: 'incident',
          elementId: i.elementId,
          elementName: null,
          processInstanceKey: i.processInstanceKey,
          processDefinitionId: i.processDefinitionId,
          detail: i.errorMessage,
        });
      }
    }
    return events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  }

  /** Operate's statistics and instance changes (modification, migration) on the same client. */
  changes(): ProcessChanges {
    return new CamundaProcessChanges(this.client);
  }

  async ping(): Promise<void> {
    await call(() => this.client.getTopology());
  }
}
