// Turns a parsed BPMN definitions element (bpmn-moddle with zeebe extensions) into executable
// process models, refusing what the engine does not support with a message that names the element.
import type { ModdleElement } from '../../modeling/moddle.ts';
import { checkAdHocScope } from './adhoc.ts';
import { type Collected, describe, ext, IGNORED, isActivity, isExpr, ModelError } from './common.ts';
import { type Association, associationsOf, linkCompensation } from './compensation.ts';
import { type ElementSite, transformElement } from './elements.ts';
import { pairLinks } from './links.ts';
import { listenersOf } from './listeners.ts';
import type { ElementModel, FlowModel, ProcessModel, TimerDef } from './types.ts';

export { isActivity, ModelError } from './common.ts';

export interface TransformCheckers {
  /** Returns an error message for a FEEL expression (without the leading '='), or null. */
  checkExpression(expression: string): string | null;
  /** Returns an error message for a static timer definition, or null. */
  checkTimer(def: TimerDef): string | null;
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
  return new ProcessTransformer(process, collected, errors).transform();
}

/** One process: its scopes, elements and flows, then the checks that need all of them. */
class ProcessTransformer implements ElementSite {
  private readonly pid: string;
  private readonly model: ProcessModel;
  private readonly associations: Association[] = [];
  private readonly moddle = new Map<string, ModdleElement>();

  constructor(
    private readonly process: ModdleElement,
    private readonly collected: Collected,
    private readonly errors: string[],
  ) {
    this.pid = process.id as string;
    this.model = {
      id: this.pid,
      name: process.name,
      elements: {},
      flows: {},
      timerStartEvents: [],
      messageStartEvents: [],
      signalStartEvents: [],
    };
  }

  where(el: ModdleElement): string {
    return `Element ${describe(el)} in process '${this.pid}'`;
  }

  expr(el: ModdleElement, what: string, value: string | undefined): void {
    if (isExpr(value))
      this.collected.expressions.push({ where: `${this.where(el)} (${what})`, expression: value });
  }

  timer(el: ModdleElement, def: TimerDef): void {
    this.collected.timers.push({ where: this.where(el), def });
  }

  transform(): ProcessModel {
    const { process, model, pid } = this;
    const versionTag = ext(process, 'zeebe:VersionTag');
    if (versionTag?.value) model.versionTag = versionTag.value;
    const root: ElementModel = {
      id: pid,
      name: process.name,
      type: 'PROCESS',
      scope: null,
      incoming: [],
      outgoing: [],
    };
    model.elements[pid] = root;
    try {
      const site = {
        where: `Process '${pid}'`,
        expr: (what: string, value: string | undefined) => this.expr(process, what, value),
      };
      const listeners = listenersOf(site, process, root);
      if (listeners) root.listeners = listeners;
    } catch (e) {
      this.errors.push((e as Error).message);
    }
    this.addScope(process, root);
    const start = root.startEvent ? model.elements[root.startEvent] : undefined;
    if (start?.form) model.startForm = start.form;
    // Second pass: relations that need every element.
    this.attachBoundaries();
    for (const el of Object.values(model.elements)) this.checkElementFlows(el);
    this.checkFlowEnds();
    this.errors.push(...pairLinks(pid, Object.values(model.elements)));
    const whereId = (id: string) => this.where(this.moddle.get(id)!);
    this.errors.push(...linkCompensation(model.elements, this.associations, whereId));
    return model;
  }

  private addScope(container: ModdleElement, scope: ElementModel): void {
    const flowElements: ModdleElement[] = container.flowElements ?? [];
    this.associations.push(...associationsOf(container));
    const starts: ElementModel[] = [];
    for (const fe of flowElements) {
      if (fe.$type === 'bpmn:SequenceFlow' || IGNORED.has(fe.$type)) continue;
      const el = transformElement(this, fe, scope.id);
      if (this.model.elements[el.id]) {
        this.errors.push(`${this.where(fe)}: duplicate element id`);
        continue;
      }
      this.model.elements[el.id] = el;
      this.moddle.set(el.id, fe);
      if (el.type === 'START_EVENT') starts.push(el);
      if (el.type === 'EVENT_SUB_PROCESS') {
        scope.eventSubProcesses ??= [];
        scope.eventSubProcesses.push(el.id);
      }
      if (el.type === 'SUB_PROCESS' || el.type === 'EVENT_SUB_PROCESS' || el.type === 'AD_HOC_SUB_PROCESS')
        this.addScope(fe, el);
    }
    for (const fe of flowElements) if (fe.$type === 'bpmn:SequenceFlow') this.addFlow(fe);
    if (scope.type === 'AD_HOC_SUB_PROCESS') {
      this.errors.push(...checkAdHocScope(this.where(container), scope, this.model));
      return;
    }
    if (scope.type === 'EVENT_SUB_PROCESS') this.eventSubProcessStart(scope, starts);
    else this.scopeStarts(scope, starts);
  }

  private addFlow(fe: ModdleElement): void {
    const { model, pid } = this;
    const flow: FlowModel = { id: fe.id, source: fe.sourceRef?.id, target: fe.targetRef?.id };
    const cond = fe.conditionExpression?.body;
    if (typeof cond === 'string' && cond.trim() !== '') {
      flow.condition = cond.trim();
      if (!isExpr(flow.condition)) {
        this.errors.push(
          `Sequence flow '${fe.id}' in process '${pid}': condition must be a FEEL expression starting with '='`,
        );
      }
      this.expr(fe, 'condition', flow.condition);
    }
    model.flows[flow.id] = flow;
    model.elements[flow.source]?.outgoing.push(flow.id);
    model.elements[flow.target]?.incoming.push(flow.id);
  }

  private eventSubProcessStart(scope: ElementModel, starts: ElementModel[]): void {
    if (starts.length !== 1 || starts[0]?.event?.kind === 'none') {
      this.errors.push(
        `Event sub-process '${scope.id}' in process '${this.pid}': must have exactly one timer, message, signal, error or escalation start event`,
      );
    } else {
      scope.startEvent = starts[0]!.id;
      scope.interrupting = starts[0]!.interrupting !== false;
    }
  }

  private scopeStarts(scope: ElementModel, starts: ElementModel[]): void {
    const { errors, pid, model } = this;
    const none = starts.filter((s) => s.event?.kind === 'none');
    if (none.length > 1) {
      errors.push(`Scope '${scope.id}' in process '${pid}': must not have more than one none start event`);
    }
    if (scope.type === 'SUB_PROCESS' && (none.length !== 1 || starts.length !== 1)) {
      errors.push(`Sub-process '${scope.id}' in process '${pid}': must have exactly one none start event`);
    }
    if (none[0]) scope.startEvent = none[0].id;
    if (scope.type !== 'PROCESS') return;
    for (const s of starts) {
      if (s.event?.kind === 'timer') model.timerStartEvents.push(s.id);
      if (s.event?.kind === 'message') model.messageStartEvents.push(s.id);
      if (s.event?.kind === 'signal') model.signalStartEvents!.push(s.id);
      if (s.event?.kind === 'error' || s.event?.kind === 'escalation')
        errors.push(
          `${this.where(s)}: an ${s.event.kind} start event is only allowed in an event sub-process`,
        );
    }
    if (starts.length === 0) errors.push(`Process '${pid}': must have at least one start event`);
  }

  private attachBoundaries(): void {
    for (const el of Object.values(this.model.elements)) {
      if (el.type !== 'BOUNDARY_EVENT') continue;
      const host = el.attachedTo ? this.model.elements[el.attachedTo] : undefined;
      if (!host || !isActivity(host.type)) {
        this.errors.push(
          `Boundary event '${el.id}' in process '${this.pid}': must be attached to an activity`,
        );
        continue;
      }
      host.boundaries ??= [];
      host.boundaries.push(el.id);
    }
  }

  private checkElementFlows(el: ElementModel): void {
    const { errors, pid } = this;
    const flows = el.outgoing.map((f) => this.model.flows[f]!);
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
    if (el.type === 'EVENT_BASED_GATEWAY') this.checkEventBasedGateway(el, flows);
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

  private checkEventBasedGateway(el: ElementModel, flows: FlowModel[]): void {
    const { errors, pid } = this;
    if (flows.length < 2)
      errors.push(
        `Event-based gateway '${el.id}' in process '${pid}': must have at least two outgoing flows`,
      );
    for (const f of flows) {
      const t = this.model.elements[f.target];
      if (t?.type !== 'INTERMEDIATE_CATCH_EVENT' || t.incoming.length !== 1 || t.event?.kind === 'link') {
        errors.push(
          `Event-based gateway '${el.id}' in process '${pid}': flow '${f.id}' must lead to an intermediate timer, message or signal catch event with one incoming flow`,
        );
      }
    }
  }

  private checkFlowEnds(): void {
    const { model, pid } = this;
    for (const f of Object.values(model.flows)) {
      if (!model.elements[f.source] || !model.elements[f.target]) {
        this.errors.push(
          `Sequence flow '${f.id}' in process '${pid}': source or target is missing or not supported`,
        );
      } else if (model.elements[f.source]!.scope !== model.elements[f.target]!.scope) {
        this.errors.push(
          `Sequence flow '${f.id}' in process '${pid}': must not cross a sub-process boundary`,
        );
      }
    }
  }
}
