// Turns a parsed BPMN definitions element (bpmn-moddle with zeebe extensions) into executable
// process models, refusing what the engine does not support with a message that names the element.
import type { ModdleElement } from '../../modeling/moddle.ts';
import type {
  ElementModel,
  ElementType,
  EventDef,
  FlowModel,
  LoopDef,
  Mapping,
  ProcessModel,
  TimerDef,
} from './types.ts';

export interface TransformCheckers {
  /** Returns an error message for a FEEL expression (without the leading '='), or null. */
  checkExpression(expression: string): string | null;
  /** Returns an error message for a static timer definition, or null. */
  checkTimer(def: TimerDef): string | null;
}

export class ModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelError';
  }
}

const TYPES: Record<string, ElementType> = {
  'bpmn:StartEvent': 'START_EVENT',
  'bpmn:EndEvent': 'END_EVENT',
  'bpmn:IntermediateCatchEvent': 'INTERMEDIATE_CATCH_EVENT',
  'bpmn:IntermediateThrowEvent': 'INTERMEDIATE_THROW_EVENT',
  'bpmn:BoundaryEvent': 'BOUNDARY_EVENT',
  'bpmn:ServiceTask': 'SERVICE_TASK',
  'bpmn:UserTask': 'USER_TASK',
  'bpmn:BusinessRuleTask': 'BUSINESS_RULE_TASK',
  'bpmn:ScriptTask': 'SCRIPT_TASK',
  'bpmn:SendTask': 'SEND_TASK',
  'bpmn:ReceiveTask': 'RECEIVE_TASK',
  'bpmn:ManualTask': 'MANUAL_TASK',
  'bpmn:Task': 'TASK',
  'bpmn:ExclusiveGateway': 'EXCLUSIVE_GATEWAY',
  'bpmn:ParallelGateway': 'PARALLEL_GATEWAY',
  'bpmn:InclusiveGateway': 'INCLUSIVE_GATEWAY',
  'bpmn:EventBasedGateway': 'EVENT_BASED_GATEWAY',
  'bpmn:SubProcess': 'SUB_PROCESS',
  'bpmn:CallActivity': 'CALL_ACTIVITY',
};

/** Flow elements that carry no behaviour and are skipped. */
const IGNORED = new Set(['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);

const ACTIVITIES = new Set<ElementType>([
  'SERVICE_TASK',
  'USER_TASK',
  'BUSINESS_RULE_TASK',
  'SCRIPT_TASK',
  'SEND_TASK',
  'RECEIVE_TASK',
  'MANUAL_TASK',
  'TASK',
  'SUB_PROCESS',
  'CALL_ACTIVITY',
]);

export function isActivity(type: ElementType): boolean {
  return ACTIVITIES.has(type);
}

function ext(el: ModdleElement, type: string): ModdleElement | undefined {
  return el.extensionElements?.values?.find((v: ModdleElement) => v.$type === type);
}

function describe(el: ModdleElement): string {
  return `'${el.id}' (${el.$type})`;
}

interface Collected {
  expressions: Array<{ where: string; expression: string }>;
  timers: Array<{ where: string; def: TimerDef }>;
}

function isExpr(value: unknown): value is string {
  return typeof value === 'string' && value.trimStart().startsWith('=');
}

export function transformDefinitions(
  definitions: ModdleElement,
  checkers: TransformCheckers,
): ProcessModel[] {
  const processes = (definitions.rootElements ?? []).filter(
    (r: ModdleElement) => r.$type === 'bpmn:Process' && r.isExecutable !== false,
  );
  if (processes.length === 0) {
    throw new ModelError('Expected at least one executable process, but found none');
  }
  const models: ProcessModel[] = [];
  const errors: string[] = [];
  for (const process of processes) {
    const collected: Collected = { expressions: [], timers: [] };
    try {
      models.push(transformProcess(process, collected, errors));
    } catch (e) {
      errors.push((e as Error).message);
    }
    for (const { where, expression } of collected.expressions) {
      const message = checkers.checkExpression(expression.trimStart().slice(1));
      if (message) errors.push(`${where}: invalid FEEL expression '${expression}': ${message}`);
    }
    for (const { where, def } of collected.timers) {
      if (isExpr(def.value)) continue;
      const message = checkers.checkTimer(def);
      if (message) errors.push(`${where}: invalid timer ${def.kind} '${def.value}': ${message}`);
    }
  }
  if (errors.length > 0) throw new ModelError(errors.join('\n'));
  return models;
}

function transformProcess(process: ModdleElement, collected: Collected, errors: string[]): ProcessModel {
  const pid = process.id as string;
  const model: ProcessModel = {
    id: pid,
    name: process.name,
    elements: {},
    flows: {},
    timerStartEvents: [],
    messageStartEvents: [],
  };
  const versionTag = ext(process, 'zeebe:VersionTag');
  if (versionTag?.value) model.versionTag = versionTag.value;
  const where = (el: ModdleElement) => `Element ${describe(el)} in process '${pid}'`;
  const expr = (el: ModdleElement, what: string, value: string | undefined) => {
    if (isExpr(value)) collected.expressions.push({ where: `${where(el)} (${what})`, expression: value });
  };

  const root: ElementModel = {
    id: pid,
    name: process.name,
    type: 'PROCESS',
    scope: null,
    incoming: [],
    outgoing: [],
  };
  model.elements[pid] = root;
  addScope(process, root);

  function addScope(container: ModdleElement, scope: ElementModel): void {
    const flowElements: ModdleElement[] = container.flowElements ?? [];
    const starts: ElementModel[] = [];
    for (const fe of flowElements) {
      if (fe.$type === 'bpmn:SequenceFlow' || IGNORED.has(fe.$type)) continue;
      const el = transformElement(fe, scope.id);
      if (!el) continue;
      if (model.elements[el.id]) {
        errors.push(`${where(fe)}: duplicate element id`);
        continue;
      }
      model.elements[el.id] = el;
      if (el.type === 'START_EVENT') starts.push(el);
      if (el.type === 'EVENT_SUB_PROCESS') {
        scope.eventSubProcesses ??= [];
        scope.eventSubProcesses.push(el.id);
      }
      if (el.type === 'SUB_PROCESS' || el.type === 'EVENT_SUB_PROCESS') addScope(fe, el);
    }
    for (const fe of flowElements) {
      if (fe.$type !== 'bpmn:SequenceFlow') continue;
      const flow: FlowModel = { id: fe.id, source: fe.sourceRef?.id, target: fe.targetRef?.id };
      const cond = fe.conditionExpression?.body;
      if (typeof cond === 'string' && cond.trim() !== '') {
        flow.condition = cond.trim();
        if (!isExpr(flow.condition)) {
          errors.push(
            `Sequence flow '${fe.id}' in process '${pid}': condition must be a FEEL expression starting with '='`,
          );
        }
        expr(fe, 'condition', flow.condition);
      }
      model.flows[flow.id] = flow;
      model.elements[flow.source]?.outgoing.push(flow.id);
      model.elements[flow.target]?.incoming.push(flow.id);
    }
    if (scope.type === 'EVENT_SUB_PROCESS') {
      if (starts.length !== 1 || starts[0]?.event?.kind === 'none') {
        errors.push(
          `Event sub-process '${scope.id}' in process '${pid}': must have exactly one timer, message or error start event`,
        );
      } else {
        scope.startEvent = starts[0]!.id;
        scope.interrupting = starts[0]!.interrupting !== false;
      }
    } else {
      const none = starts.filter((s) => s.event?.kind === 'none');
      if (none.length > 1) {
        errors.push(`Scope '${scope.id}' in process '${pid}': must not have more than one none start event`);
      }
      if (scope.type === 'SUB_PROCESS' && (none.length !== 1 || starts.length !== 1)) {
        errors.push(`Sub-process '${scope.id}' in process '${pid}': must have exactly one none start event`);
      }
      if (none[0]) scope.startEvent = none[0].id;
      if (scope.type === 'PROCESS') {
        for (const s of starts) {
          if (s.event?.kind === 'timer') model.timerStartEvents.push(s.id);
          if (s.event?.kind === 'message') model.messageStartEvents.push(s.id);
          if (s.event?.kind === 'error')
            errors.push(`${where(s)}: an error start event is only allowed in an event sub-process`);
        }
        if (starts.length === 0) errors.push(`Process '${pid}': must have at least one start event`);
      }
    }
  }

  function eventDef(fe: ModdleElement): EventDef {
    const defs: ModdleElement[] = fe.eventDefinitions ?? [];
    if (defs.length > 1) throw new ModelError(`${where(fe)}: multiple event definitions are not supported`);
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
        if (!timer) throw new ModelError(`${where(fe)}: timer event must define a duration, date or cycle`);
        collected.timers.push({ where: where(fe), def: timer });
        expr(fe, `timer ${timer.kind}`, timer.value);
        return { kind: 'timer', timer };
      }
      case 'bpmn:MessageEventDefinition': {
        const msg = d.messageRef;
        const result: EventDef = { kind: 'message' };
        if (msg?.name) {
          result.messageName = msg.name;
          expr(fe, 'message name', msg.name);
        }
        const sub = ext(msg ?? {}, 'zeebe:Subscription');
        if (sub?.correlationKey) {
          result.correlationKey = sub.correlationKey;
          expr(fe, 'correlation key', sub.correlationKey);
        }
        return result;
      }
      case 'bpmn:ErrorEventDefinition': {
        const code = d.errorRef?.errorCode;
        const result: EventDef = { kind: 'error', errorCode: code ? String(code) : null };
        if (d.errorCodeVariable) result.errorCodeVariable = d.errorCodeVariable;
        if (d.errorMessageVariable) result.errorMessageVariable = d.errorMessageVariable;
        if (result.errorCode) expr(fe, 'error code', result.errorCode);
        return result;
      }
      case 'bpmn:TerminateEventDefinition':
        return { kind: 'terminate' };
      default:
        throw new ModelError(`${where(fe)}: event definition ${d.$type} is not supported`);
    }
  }

  function mappings(fe: ModdleElement): { inputs?: Mapping[]; outputs?: Mapping[] } {
    const io = ext(fe, 'zeebe:IoMapping');
    if (!io) return {};
    const map = (p: ModdleElement, kind: string): Mapping => {
      if (!p.target) throw new ModelError(`${where(fe)}: ${kind} mapping without a target`);
      const source = p.source ?? '=null';
      expr(fe, `${kind} mapping '${p.target}'`, source);
      return { source, target: p.target };
    };
    const result: { inputs?: Mapping[]; outputs?: Mapping[] } = {};
    if (io.inputParameters?.length)
      result.inputs = io.inputParameters.map((p: ModdleElement) => map(p, 'input'));
    if (io.outputParameters?.length)
      result.outputs = io.outputParameters.map((p: ModdleElement) => map(p, 'output'));
    return result;
  }

  function transformElement(fe: ModdleElement, scopeId: string): ElementModel | null {
    let type = TYPES[fe.$type];
    if (!type) {
      throw new ModelError(`${where(fe)}: element type ${fe.$type} is not supported by the engine`);
    }
    if (type === 'SUB_PROCESS' && fe.triggeredByEvent) type = 'EVENT_SUB_PROCESS';
    const el: ElementModel = { id: fe.id, type, scope: scopeId, incoming: [], outgoing: [] };
    if (fe.name) el.name = fe.name;
    Object.assign(el, mappings(fe));
    const props = ext(fe, 'zeebe:Properties');
    if (props?.properties?.length) {
      el.properties = Object.fromEntries(props.properties.map((p: ModdleElement) => [p.name, p.value ?? '']));
    }
    if (fe.$type.endsWith('Event')) {
      el.event = eventDef(fe);
      const k = el.event.kind;
      const bad = (what: string) => {
        throw new ModelError(`${where(fe)}: ${what} is not supported`);
      };
      if (type === 'START_EVENT') {
        if (k === 'terminate') bad('a terminate start event');
        el.interrupting = fe.isInterrupting !== false;
        if (k === 'message' && !el.event.messageName) bad('a message start event without a message name');
      }
      if (type === 'END_EVENT' && (k === 'timer' || (k === 'message' && !ext(fe, 'zeebe:TaskDefinition')))) {
        if (k === 'timer') bad('a timer end event');
      }
      if (type === 'END_EVENT' && k === 'error' && !el.event.errorCode) {
        bad('an error end event without an error code');
      }
      if (type === 'INTERMEDIATE_CATCH_EVENT' && k !== 'timer' && k !== 'message') {
        bad(`an intermediate catch event of kind '${k}'`);
      }
      if (type === 'INTERMEDIATE_THROW_EVENT' && k !== 'none' && k !== 'message') {
        bad(`an intermediate throw event of kind '${k}'`);
      }
      if (type === 'BOUNDARY_EVENT') {
        if (k !== 'timer' && k !== 'message' && k !== 'error') bad(`a boundary event of kind '${k}'`);
        el.attachedTo = fe.attachedToRef?.id;
        el.interrupting = fe.cancelActivity !== false;
        if (k === 'error' && !el.interrupting) bad('a non-interrupting error boundary event');
      }
      if (
        k === 'message' &&
        type !== 'START_EVENT' &&
        type !== 'END_EVENT' &&
        type !== 'INTERMEDIATE_THROW_EVENT'
      ) {
        if (!el.event.messageName) bad('a message catch event without a message name');
        if (!el.event.correlationKey) bad('a message catch event without a correlation key');
      }
    }
    if (type === 'RECEIVE_TASK') {
      const msg = fe.messageRef;
      if (!msg?.name)
        throw new ModelError(`${where(fe)}: a receive task must reference a message with a name`);
      const sub = ext(msg, 'zeebe:Subscription');
      if (!sub?.correlationKey) throw new ModelError(`${where(fe)}: the message must have a correlation key`);
      el.event = { kind: 'message', messageName: msg.name, correlationKey: sub.correlationKey };
      expr(fe, 'message name', msg.name);
      expr(fe, 'correlation key', sub.correlationKey);
    }
    // Jobs: service and send tasks, message throw/end events, script and business rule tasks
    // implemented by a worker.
    const td = ext(fe, 'zeebe:TaskDefinition');
    if (td) {
      if (!td.type) throw new ModelError(`${where(fe)}: zeebe:taskDefinition without a type`);
      const headers: Record<string, string> = {};
      for (const h of ext(fe, 'zeebe:TaskHeaders')?.values ?? []) headers[h.key] = h.value ?? '';
      el.job = { type: td.type, retries: td.retries ?? '3', headers };
      expr(fe, 'job type', td.type);
      expr(fe, 'job retries', td.retries);
    }
    const needsJob =
      type === 'SERVICE_TASK' ||
      type === 'SEND_TASK' ||
      ((type === 'INTERMEDIATE_THROW_EVENT' || type === 'END_EVENT') && el.event?.kind === 'message');
    if (needsJob && !el.job) {
      throw new ModelError(`${where(fe)}: must have a zeebe:taskDefinition with a job type`);
    }
    if (type === 'SCRIPT_TASK' && !el.job) {
      const script = ext(fe, 'zeebe:Script');
      if (!script?.expression || !script.resultVariable) {
        throw new ModelError(
          `${where(fe)}: must have zeebe:script with an expression and a result variable, or a zeebe:taskDefinition`,
        );
      }
      el.script = { expression: script.expression, resultVariable: script.resultVariable };
      if (!isExpr(script.expression))
        throw new ModelError(`${where(fe)}: the script must be a FEEL expression starting with '='`);
      expr(fe, 'script', script.expression);
    }
    if (type === 'BUSINESS_RULE_TASK' && !el.job) {
      const cd = ext(fe, 'zeebe:CalledDecision');
      if (!cd?.decisionId || !cd.resultVariable) {
        throw new ModelError(
          `${where(fe)}: must have zeebe:calledDecision with a decision id and a result variable, or a zeebe:taskDefinition`,
        );
      }
      el.decision = { decisionId: cd.decisionId, resultVariable: cd.resultVariable };
      expr(fe, 'decision id', cd.decisionId);
    }
    if (type === 'USER_TASK') {
      const a = ext(fe, 'zeebe:AssignmentDefinition');
      const s = ext(fe, 'zeebe:TaskSchedule');
      const f = ext(fe, 'zeebe:FormDefinition');
      const p = ext(fe, 'zeebe:PriorityDefinition');
      const ut: ElementModel['userTask'] = {};
      const set = (key: keyof NonNullable<ElementModel['userTask']>, value: string | undefined) => {
        if (value === undefined || value === null || value === '') return;
        ut[key] = String(value);
        expr(fe, key, String(value));
      };
      set('assignee', a?.assignee);
      set('candidateGroups', a?.candidateGroups);
      set('candidateUsers', a?.candidateUsers);
      set('dueDate', s?.dueDate);
      set('followUpDate', s?.followUpDate);
      set('formId', f?.formId);
      set('formKey', f?.formKey);
      set('externalReference', f?.externalReference);
      set('priority', p?.priority);
      el.userTask = ut;
      const headers: Record<string, string> = {};
      for (const h of ext(fe, 'zeebe:TaskHeaders')?.values ?? []) headers[h.key] = h.value ?? '';
      if (Object.keys(headers).length) el.job = { type: 'io.camunda.zeebe:userTask', retries: '0', headers };
    }
    if (type === 'CALL_ACTIVITY') {
      const ce = ext(fe, 'zeebe:CalledElement');
      if (!ce?.processId)
        throw new ModelError(`${where(fe)}: must have zeebe:calledElement with a process id`);
      el.callActivity = {
        processId: ce.processId,
        propagateAllChildVariables: ce.propagateAllChildVariables !== false,
        propagateAllParentVariables: ce.propagateAllParentVariables !== false,
      };
      expr(fe, 'called process id', ce.processId);
    }
    if (type === 'EXCLUSIVE_GATEWAY' || type === 'INCLUSIVE_GATEWAY') {
      if (fe.default?.id) el.defaultFlow = fe.default.id;
    }
    const lc = fe.loopCharacteristics;
    if (lc) {
      if (lc.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
        throw new ModelError(`${where(fe)}: ${lc.$type} is not supported`);
      }
      const zl = ext(lc, 'zeebe:LoopCharacteristics');
      if (!zl?.inputCollection) {
        throw new ModelError(
          `${where(fe)}: multi-instance must define an input collection (zeebe:loopCharacteristics)`,
        );
      }
      const loop: LoopDef = { sequential: lc.isSequential === true, inputCollection: zl.inputCollection };
      if (zl.inputElement) loop.inputElement = zl.inputElement;
      if (zl.outputCollection) loop.outputCollection = zl.outputCollection;
      if (zl.outputElement) loop.outputElement = zl.outputElement;
      if (lc.completionCondition?.body) loop.completionCondition = lc.completionCondition.body.trim();
      expr(fe, 'input collection', loop.inputCollection);
      expr(fe, 'output element', loop.outputElement);
      expr(fe, 'completion condition', loop.completionCondition);
      el.loop = loop;
    }
    return el;
  }

  // Second pass: relations that need every element.
  for (const el of Object.values(model.elements)) {
    if (el.type === 'BOUNDARY_EVENT') {
      const host = el.attachedTo ? model.elements[el.attachedTo] : undefined;
      if (!host || !isActivity(host.type)) {
        errors.push(`Boundary event '${el.id}' in process '${pid}': must be attached to an activity`);
        continue;
      }
      host.boundaries ??= [];
      host.boundaries.push(el.id);
    }
  }
  for (const el of Object.values(model.elements)) {
    const flows = el.outgoing.map((f) => model.flows[f]!);
    if (el.type === 'EXCLUSIVE_GATEWAY' || el.type === 'INCLUSIVE_GATEWAY') {
      if (flows.length > 1) {
        for (const f of flows) {
          if (!f.condition && f.id !== el.defaultFlow) {
            errors.push(
              `Sequence flow '${f.id}' in process '${pid}': leaves gateway '${el.id}' with other flows, so it must have a condition or be the default flow`,
            );
          }
        }
      }
    } else {
      for (const f of flows) {
        if (f.condition) {
          errors.push(
            `Sequence flow '${f.id}' in process '${pid}': conditional flows are only supported after exclusive and inclusive gateways`,
          );
        }
      }
    }
    if (el.type === 'EVENT_BASED_GATEWAY') {
      if (flows.length < 2)
        errors.push(
          `Event-based gateway '${el.id}' in process '${pid}': must have at least two outgoing flows`,
        );
      for (const f of flows) {
        const t = model.elements[f.target];
        if (t?.type !== 'INTERMEDIATE_CATCH_EVENT' || t.incoming.length !== 1) {
          errors.push(
            `Event-based gateway '${el.id}' in process '${pid}': flow '${f.id}' must lead to an intermediate timer or message catch event with one incoming flow`,
          );
        }
      }
    }
    if (el.type === 'START_EVENT' && el.incoming.length > 0) {
      errors.push(`Start event '${el.id}' in process '${pid}': must not have incoming flows`);
    }
    if (el.type === 'BOUNDARY_EVENT' && el.incoming.length > 0) {
      errors.push(`Boundary event '${el.id}' in process '${pid}': must not have incoming flows`);
    }
    if (el.type === 'END_EVENT' && el.outgoing.length > 0) {
      errors.push(`End event '${el.id}' in process '${pid}': must not have outgoing flows`);
    }
  }
  for (const f of Object.values(model.flows)) {
    if (!model.elements[f.source] || !model.elements[f.target]) {
      errors.push(
        `Sequence flow '${f.id}' in process '${pid}': source or target is missing or not supported`,
      );
    } else if (model.elements[f.source]!.scope !== model.elements[f.target]!.scope) {
      errors.push(`Sequence flow '${f.id}' in process '${pid}': must not cross a sub-process boundary`);
    }
  }
  return model;
}
