// One BPMN flow element → its element model: type, mappings, event definition, job, task
// attributes and multi-instance loop — refusing what the engine does not support.
import type { ModdleElement } from '../../modeling/moddle.ts';
import { adHocAttributes } from './adhoc.ts';
import { ext, isExpr, ModelError, TYPES } from './common.ts';
import { compensateEventDef, compensationStartRefusal } from './compensation.ts';
import { listenersOf } from './listeners.ts';
import { taskListenersOf } from './task-listeners.ts';
import type { Binding, ElementModel, EventDef, LoopDef, Mapping, TimerDef } from './types.ts';

/** What element transformation reports to its process: where an element is, and expressions to check. */
export interface ElementSite {
  where(fe: ModdleElement): string;
  expr(fe: ModdleElement, what: string, value: string | undefined): void;
  timer(fe: ModdleElement, def: TimerDef): void;
}

export function transformElement(site: ElementSite, fe: ModdleElement, scopeId: string): ElementModel {
  let type = TYPES[fe.$type];
  if (!type) {
    throw new ModelError(`${site.where(fe)}: element type ${fe.$type} is not supported by the engine`);
  }
  if (type === 'SUB_PROCESS' && fe.triggeredByEvent) type = 'EVENT_SUB_PROCESS';
  const el: ElementModel = { id: fe.id, type, scope: scopeId, incoming: [], outgoing: [] };
  if (fe.name) el.name = fe.name;
  if (fe.isForCompensation === true) el.forCompensation = true;
  Object.assign(el, mappings(site, fe));
  const props = ext(fe, 'zeebe:Properties');
  if (props?.properties?.length) {
    el.properties = Object.fromEntries(props.properties.map((p: ModdleElement) => [p.name, p.value ?? '']));
  }
  if (fe.$type.endsWith('Event')) eventAttributes(site, fe, el);
  if (type === 'RECEIVE_TASK') receiveTaskAttributes(site, fe, el);
  if (type === 'AD_HOC_SUB_PROCESS') adHocAttributes(site, fe, el);
  jobAttributes(site, fe, el);
  if (type === 'SCRIPT_TASK' && !el.job) scriptAttributes(site, fe, el);
  if (type === 'BUSINESS_RULE_TASK' && !el.job) decisionAttributes(site, fe, el);
  if (type === 'USER_TASK') userTaskAttributes(site, fe, el);
  if (type === 'CALL_ACTIVITY') callActivityAttributes(site, fe, el);
  if (type === 'START_EVENT') startFormAttributes(site, fe, el);
  if (type === 'EXCLUSIVE_GATEWAY' || type === 'INCLUSIVE_GATEWAY') {
    if (fe.default?.id) el.defaultFlow = fe.default.id;
  }
  if (fe.loopCharacteristics) el.loop = loopAttributes(site, fe);
  const where = site.where(fe);
  const listeners = listenersOf({ where, expr: (what, value) => site.expr(fe, what, value) }, fe, el);
  if (listeners) el.listeners = listeners;
  const taskListeners = taskListenersOf({ where, expr: (what, value) => site.expr(fe, what, value) }, fe, el);
  if (taskListeners) el.taskListeners = taskListeners;
  return el;
}

function mappings(site: ElementSite, fe: ModdleElement): { inputs?: Mapping[]; outputs?: Mapping[] } {
  const io = ext(fe, 'zeebe:IoMapping');
  if (!io) return {};
  const map = (p: ModdleElement, kind: string): Mapping => {
    if (!p.target) throw new ModelError(`${site.where(fe)}: ${kind} mapping without a target`);
    const source = p.source ?? '=null';
    site.expr(fe, `${kind} mapping '${p.target}'`, source);
    return { source, target: p.target };
  };
  const result: { inputs?: Mapping[]; outputs?: Mapping[] } = {};
  if (io.inputParameters?.length)
    result.inputs = io.inputParameters.map((p: ModdleElement) => map(p, 'input'));
  if (io.outputParameters?.length)
    result.outputs = io.outputParameters.map((p: ModdleElement) => map(p, 'output'));
  return result;
}

function eventDef(site: ElementSite, fe: ModdleElement): EventDef {
  const defs: ModdleElement[] = fe.eventDefinitions ?? [];
  if (defs.length > 1)
    throw new ModelError(`${site.where(fe)}: multiple event definitions are not supported`);
  const d = defs[0];
  if (!d) return { kind: 'none' };
  switch (d.$type) {
    case 'bpmn:TimerEventDefinition': {
      const timer: TimerDef | undefined = d.timeDuration?.body
        ? { kind: 'duration', value: d.timeDuration.body.trim() }
        : d.timeDate?.body
          ? { kind: 'date', value: d.timeDate.body.trim() }
          : d.timeCycle?.body
            ? { kind: 'cycle', value: d.timeCycle.body.trim() }
            : undefined;
      if (!timer)
        throw new ModelError(`${site.where(fe)}: timer event must define a duration, date or cycle`);
      site.timer(fe, timer);
      site.expr(fe, `timer ${timer.kind}`, timer.value);
      return { kind: 'timer', timer };
    }
    case 'bpmn:MessageEventDefinition': {
      const msg = d.messageRef;
      const result: EventDef = { kind: 'message' };
      if (msg?.name) {
        result.messageName = msg.name;
        site.expr(fe, 'message name', msg.name);
      }
      const sub = ext(msg ?? {}, 'zeebe:Subscription');
      if (sub?.correlationKey) {
        result.correlationKey = sub.correlationKey;
        site.expr(fe, 'correlation key', sub.correlationKey);
      }
      return result;
    }
    case 'bpmn:ErrorEventDefinition': {
      const code = d.errorRef?.errorCode;
      const result: EventDef = { kind: 'error', errorCode: code ? String(code) : null };
      if (d.errorCodeVariable) result.errorCodeVariable = d.errorCodeVariable;
      if (d.errorMessageVariable) result.errorMessageVariable = d.errorMessageVariable;
      if (result.errorCode) site.expr(fe, 'error code', result.errorCode);
      return result;
    }
    case 'bpmn:TerminateEventDefinition':
      return { kind: 'terminate' };
    case 'bpmn:LinkEventDefinition':
      if (!d.name?.trim())
        throw new ModelError(`${site.where(fe)}: Link name must be present and not empty.`);
      return { kind: 'link', linkName: String(d.name).trim() };
    case 'bpmn:SignalEventDefinition': {
      const name = d.signalRef?.name;
      if (!name)
        throw new ModelError(`${site.where(fe)}: a signal event must reference a signal with a name`);
      site.expr(fe, 'signal name', name);
      return { kind: 'signal', signalName: name };
    }
    case 'bpmn:EscalationEventDefinition': {
      const code = d.escalationRef?.escalationCode;
      const result: EventDef = { kind: 'escalation', escalationCode: code ? String(code) : null };
      return result;
    }
    case 'bpmn:CompensateEventDefinition':
      return compensateEventDef(site.where(fe), fe, d);
    default:
      throw new ModelError(`${site.where(fe)}: event definition ${d.$type} is not supported`);
  }
}

/** The event kinds each event element type supports (Zeebe 8.8; conditional events stay refused). */
const KINDS: Partial<Record<string, ReadonlyArray<EventDef['kind']>>> = {
  START_EVENT: ['none', 'timer', 'message', 'error', 'signal', 'escalation'],
  END_EVENT: ['none', 'message', 'error', 'terminate', 'signal', 'escalation', 'compensation'],
  INTERMEDIATE_CATCH_EVENT: ['timer', 'message', 'link', 'signal'],
  INTERMEDIATE_THROW_EVENT: ['none', 'message', 'link', 'signal', 'escalation', 'compensation'],
  BOUNDARY_EVENT: ['timer', 'message', 'error', 'signal', 'escalation', 'compensation'],
};

function eventAttributes(site: ElementSite, fe: ModdleElement, el: ElementModel): void {
  const type = el.type;
  const event = eventDef(site, fe);
  el.event = event;
  const k = event.kind;
  const bad = (what: string) => {
    throw new ModelError(`${site.where(fe)}: ${what} is not supported`);
  };
  if (type === 'START_EVENT' && k === 'compensation')
    throw new ModelError(`${site.where(fe)}: ${compensationStartRefusal(fe)}`);
  if (!KINDS[type]?.includes(k)) bad(`${article(k)} ${k} ${type.toLowerCase().replaceAll('_', ' ')}`);
  if (type === 'START_EVENT') {
    el.interrupting = fe.isInterrupting !== false;
    if (k === 'message' && !event.messageName) bad('a message start event without a message name');
  }
  if (type === 'END_EVENT' && k === 'error' && !event.errorCode)
    bad('an error end event without an error code');
  if (k === 'escalation' && (type === 'END_EVENT' || type === 'INTERMEDIATE_THROW_EVENT')) {
    if (!event.escalationCode) bad('an escalation throw event without an escalation code');
    site.expr(fe, 'escalation code', event.escalationCode!);
  }
  if (type === 'BOUNDARY_EVENT') {
    el.attachedTo = fe.attachedToRef?.id;
    el.interrupting = fe.cancelActivity !== false;
    if (k === 'error' && !el.interrupting) bad('a non-interrupting error boundary event');
    if (k === 'compensation' && !el.interrupting)
      throw new ModelError(`${site.where(fe)}: Non-Interrupting event of this type is not allowed`);
  }
  if (
    k === 'message' &&
    type !== 'START_EVENT' &&
    type !== 'END_EVENT' &&
    type !== 'INTERMEDIATE_THROW_EVENT'
  ) {
    if (!event.messageName) bad('a message catch event without a message name');
    if (!event.correlationKey) bad('a message catch event without a correlation key');
  }
}

const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');

function receiveTaskAttributes(site: ElementSite, fe: ModdleElement, el: ElementModel): void {
  const msg = fe.messageRef;
  if (!msg?.name)
    throw new ModelError(`${site.where(fe)}: a receive task must reference a message with a name`);
  const sub = ext(msg, 'zeebe:Subscription');
  if (!sub?.correlationKey)
    throw new ModelError(`${site.where(fe)}: the message must have a correlation key`);
  el.event = { kind: 'message', messageName: msg.name, correlationKey: sub.correlationKey };
  site.expr(fe, 'message name', msg.name);
  site.expr(fe, 'correlation key', sub.correlationKey);
}

function taskHeaders(fe: ModdleElement): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of ext(fe, 'zeebe:TaskHeaders')?.values ?? []) headers[h.key] = h.value ?? '';
  return headers;
}

/** Jobs: service and send tasks, message throw/end events, script and business rule tasks implemented by a worker. */
function jobAttributes(site: ElementSite, fe: ModdleElement, el: ElementModel): void {
  const type = el.type;
  const td = ext(fe, 'zeebe:TaskDefinition');
  if (td) {
    if (!td.type) throw new ModelError(`${site.where(fe)}: zeebe:taskDefinition without a type`);
    el.job = { type: td.type, retries: td.retries ?? '3', headers: taskHeaders(fe) };
    site.expr(fe, 'job type', td.type);
    site.expr(fe, 'job retries', td.retries);
  }
  const needsJob =
    type === 'SERVICE_TASK' ||
    type === 'SEND_TASK' ||
    ((type === 'INTERMEDIATE_THROW_EVENT' || type === 'END_EVENT') && el.event?.kind === 'message');
  if (needsJob && !el.job) {
    throw new ModelError(`${site.where(fe)}: must have a zeebe:taskDefinition with a job type`);
  }
}

function scriptAttributes(site: ElementSite, fe: ModdleElement, el: ElementModel): void {
  const script = ext(fe, 'zeebe:Script');
  if (!script?.expression || !script.resultVariable) {
    throw new ModelError(
      `${site.where(fe)}: must have zeebe:script with an expression and a result variable, or a zeebe:taskDefinition`,
    );
  }
  el.script = { expression: script.expression, resultVariable: script.resultVariable };
  if (!isExpr(script.expression))
    throw new ModelError(`${site.where(fe)}: the script must be a FEEL expression starting with '='`);
  site.expr(fe, 'script', script.expression);
}

function decisionAttributes(site: ElementSite, fe: ModdleElement, el: ElementModel): void {
  const cd = ext(fe, 'zeebe:CalledDecision');
  if (!cd?.decisionId || !cd.resultVariable) {
    throw new ModelError(
      `${site.where(fe)}: must have zeebe:calledDecision with a decision id and a result variable, or a zeebe:taskDefinition`,
    );
  }
  el.decision = { decisionId: cd.decisionId, resultVariable: cd.resultVariable };
  const binding = bindingOf(site, fe, cd);
  if (binding) el.decision.binding = binding;
  site.expr(fe, 'decision id', cd.decisionId);
}

function userTaskAttributes(site: ElementSite, fe: ModdleElement, el: ElementModel): void {
  const a = ext(fe, 'zeebe:AssignmentDefinition');
  const s = ext(fe, 'zeebe:TaskSchedule');
  const f = ext(fe, 'zeebe:FormDefinition');
  const p = ext(fe, 'zeebe:PriorityDefinition');
  const ut: NonNullable<ElementModel['userTask']> = {};
  const set = (key: Exclude<keyof typeof ut, 'jobWorker' | 'formBinding'>, value: string | undefined) => {
    if (value === undefined || value === null || value === '') return;
    ut[key] = String(value);
    site.expr(fe, key, String(value));
  };
  set('assignee', a?.assignee);
  set('candidateGroups', a?.candidateGroups);
  set('candidateUsers', a?.candidateUsers);
  set('dueDate', s?.dueDate);
  set('followUpDate', s?.followUpDate);
  set('formId', f?.formId);
  const formBinding = f ? bindingOf(site, fe, f) : undefined;
  if (formBinding) ut.formBinding = formBinding;
  set('formKey', f?.formKey);
  set('externalReference', f?.externalReference);
  set('priority', p?.priority);
  const headers = taskHeaders(fe);
  if (!ext(fe, 'zeebe:UserTask')) {
    // a job-worker user task, as Zeebe transforms one (UserTaskTransformer: the job type, retries 1)
    ut.jobWorker = true;
    el.job = { type: 'io.camunda.zeebe:userTask', retries: '1', headers };
  } else if (Object.keys(headers).length) {
    el.job = { type: 'io.camunda.zeebe:userTask', retries: '0', headers };
  }
  el.userTask = ut;
}

/** A start event's linked form: zeebe:formDefinition formId (Camunda 8.8 links start forms by id). */
function startFormAttributes(site: ElementSite, fe: ModdleElement, el: ElementModel): void {
  const f = ext(fe, 'zeebe:FormDefinition');
  if (!f?.formId) return;
  el.form = { formId: String(f.formId) };
  const binding = bindingOf(site, fe, f);
  if (binding) el.form.binding = binding;
}

function callActivityAttributes(site: ElementSite, fe: ModdleElement, el: ElementModel): void {
  const ce = ext(fe, 'zeebe:CalledElement');
  if (!ce?.processId)
    throw new ModelError(`${site.where(fe)}: must have zeebe:calledElement with a process id`);
  el.callActivity = {
    processId: ce.processId,
    propagateAllChildVariables: ce.propagateAllChildVariables !== false,
    propagateAllParentVariables: ce.propagateAllParentVariables !== false,
  };
  const binding = bindingOf(site, fe, ce);
  if (binding) el.callActivity.binding = binding;
  site.expr(fe, 'called process id', ce.processId);
}

/** zeebe bindingType and versionTag of a linked resource: undefined for 'latest' (the default). */
function bindingOf(site: ElementSite, fe: ModdleElement, link: ModdleElement): Binding | undefined {
  const type = link.bindingType ?? 'latest';
  if (type === 'latest') return undefined;
  if (type === 'deployment') return { type };
  if (type === 'versionTag') {
    const tag = typeof link.versionTag === 'string' ? link.versionTag.trim() : '';
    if (!tag) {
      throw new ModelError(
        `${site.where(fe)}: Attribute 'versionTag' must be present and not empty if binding type is 'versionTag'`,
      );
    }
    return { type, versionTag: tag };
  }
  throw new ModelError(
    `${site.where(fe)}: bindingType '${type}' is not one of 'latest', 'deployment', 'versionTag'`,
  );
}

function loopAttributes(site: ElementSite, fe: ModdleElement): LoopDef {
  const lc = fe.loopCharacteristics;
  if (lc.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
    throw new ModelError(`${site.where(fe)}: ${lc.$type} is not supported`);
  }
  const zl = ext(lc, 'zeebe:LoopCharacteristics');
  if (!zl?.inputCollection) {
    throw new ModelError(
      `${site.where(fe)}: multi-instance must define an input collection (zeebe:loopCharacteristics)`,
    );
  }
  const loop: LoopDef = { sequential: lc.isSequential === true, inputCollection: zl.inputCollection };
  if (zl.inputElement) loop.inputElement = zl.inputElement;
  if (zl.outputCollection) loop.outputCollection = zl.outputCollection;
  if (zl.outputElement) loop.outputElement = zl.outputElement;
  if (lc.completionCondition?.body) loop.completionCondition = lc.completionCondition.body.trim();
  site.expr(fe, 'input collection', loop.inputCollection);
  site.expr(fe, 'output element', loop.outputElement);
  site.expr(fe, 'completion condition', loop.completionCondition);
  return loop;
}
