// Reads the deployable resources in processes/ into a catalogue: for each process its start events, user tasks
// (form, candidate groups, due date), job types, messages, timers, called processes and decisions, and the clause
// IDs in its documentation. The model checks, docs/processes.md and the traceability test read it.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { type ModdleElement, parseBpmn, parseDmn } from './moddle.ts';

export const PROCESSES_DIR = resolve(import.meta.dirname, '../../processes');

export const CLAUSE_ID = /\b(G|P|PUB|PRO|EMG|PC|IM|AC|SV|SU)-\d+\b/g;

export interface ElementInfo {
  id: string;
  type: string;
  name: string | undefined;
  documentation: string;
  clauses: string[];
}

export interface UserTaskInfo extends ElementInfo {
  formId: string | undefined;
  isCamundaUserTask: boolean;
  candidateGroups: string | undefined;
  candidateUsers: string | undefined;
  assignee: string | undefined;
  dueDate: string | undefined;
}

export interface ServiceTaskInfo extends ElementInfo {
  jobType: string | undefined;
  headers: Record<string, string>;
}

export interface TimerInfo extends ElementInfo {
  kind: 'timeDate' | 'timeDuration' | 'timeCycle' | undefined;
  value: string | undefined;
  attachedTo: string | undefined;
  interrupting: boolean;
}

export interface MessageInfo {
  id: string;
  name: string | undefined;
  correlationKey: string | undefined;
  usedBy: string[];
}

export interface ProcessInfo {
  file: string;
  id: string;
  name: string | undefined;
  executionPlatform: string | undefined;
  executionPlatformVersion: string | undefined;
  documentation: string;
  elements: ElementInfo[];
  startEvents: ElementInfo[];
  userTasks: UserTaskInfo[];
  jobTasks: ServiceTaskInfo[];
  timers: TimerInfo[];
  messages: MessageInfo[];
  calledProcesses: Array<{ elementId: string; processId: string | undefined }>;
  calledDecisions: Array<{
    elementId: string;
    decisionId: string | undefined;
    resultVariable: string | undefined;
  }>;
  /** Element ids with a shape or edge in the diagram interchange. */
  diagramElementIds: Set<string>;
  /** Element ids whose shape or edge lies on a plane other than the one Camunda Modeler shows them on: the
   * process plane, or the drill-down plane of the collapsed sub-process that contains them. */
  misplacedDiagramElementIds: string[];
  clauses: string[];
  parseWarnings: string[];
}

export interface DecisionInfo {
  file: string;
  ids: string[];
  names: string[];
  clauses: string[];
  parseWarnings: string[];
}

export interface FormInfo {
  file: string;
  id: string | undefined;
  keys: string[];
  requiredKeys: string[];
  unlabelledKeys: string[];
  parseError: string | undefined;
}

export interface Catalogue {
  processes: ProcessInfo[];
  decisions: DecisionInfo[];
  forms: FormInfo[];
}

function clausesIn(text: string): string[] {
  return [...new Set(text.match(CLAUSE_ID) ?? [])];
}

function docOf(el: ModdleElement): string {
  return (el.documentation ?? []).map((d: ModdleElement) => d.text ?? '').join('\n');
}

function ext(el: ModdleElement, type: string): ModdleElement | undefined {
  return (el.extensionElements?.values ?? []).find((v: ModdleElement) => v.$type === type);
}

function allFlowElements(container: ModdleElement): ModdleElement[] {
  const out: ModdleElement[] = [];
  for (const el of container.flowElements ?? []) {
    out.push(el);
    if (el.flowElements) out.push(...allFlowElements(el));
  }
  return out;
}

export async function readProcessFile(file: string): Promise<ProcessInfo[]> {
  const { rootElement: defs, warnings } = await parseBpmn(readFileSync(file, 'utf8'));
  const diagram = diagramIndex(defs);
  const messagesById = messagesOf(defs);
  const processes: ProcessInfo[] = [];
  for (const proc of (defs.rootElements ?? []).filter((r: ModdleElement) => r.$type === 'bpmn:Process')) {
    const info: ProcessInfo = {
      file: basename(file),
      id: proc.id,
      name: proc.name,
      executionPlatform: defs.$attrs?.['modeler:executionPlatform'],
      executionPlatformVersion: defs.$attrs?.['modeler:executionPlatformVersion'],
      documentation: docOf(proc),
      elements: [],
      startEvents: [],
      userTasks: [],
      jobTasks: [],
      timers: [],
      messages: [],
      calledProcesses: [],
      calledDecisions: [],
      diagramElementIds: diagram.elementIds,
      misplacedDiagramElementIds: [],
      clauses: [],
      parseWarnings: warnings.map((w) => w.message),
    };
    const clauses = new Set(clausesIn(info.documentation));
    for (const el of allFlowElements(proc)) {
      for (const c of recordElement(info, el, proc, messagesById)) clauses.add(c);
    }
    const checkPlanes = (container: ModdleElement, plane: string) => {
      for (const el of container.flowElements ?? []) {
        if (diagram.planeOf.has(el.id) && diagram.planeOf.get(el.id) !== plane) {
          info.misplacedDiagramElementIds.push(el.id);
        }
        if (el.flowElements) checkPlanes(el, diagram.expanded.has(el.id) ? plane : el.id);
      }
    };
    checkPlanes(proc, proc.id);
    info.clauses = [...clauses].sort();
    processes.push(info);
  }
  return processes;
}

/** The elements the file's diagrams draw, the plane each is drawn on, and the subprocesses drawn expanded. */
function diagramIndex(defs: ModdleElement) {
  const elementIds = new Set<string>();
  const planeOf = new Map<string, string>();
  const expanded = new Set<string>();
  for (const diagram of defs.diagrams ?? []) {
    for (const di of diagram.plane?.planeElement ?? []) {
      if (!di.bpmnElement?.id) continue;
      elementIds.add(di.bpmnElement.id);
      planeOf.set(di.bpmnElement.id, diagram.plane.bpmnElement?.id);
      if (di.isExpanded) expanded.add(di.bpmnElement.id);
    }
  }
  return { elementIds, planeOf, expanded };
}

/** The file's messages; shared by its processes, each collecting the elements that use it. */
function messagesOf(defs: ModdleElement): Map<string, MessageInfo> {
  const messagesById = new Map<string, MessageInfo>();
  for (const root of defs.rootElements ?? []) {
    if (root.$type === 'bpmn:Message') {
      messagesById.set(root.id, {
        id: root.id,
        name: root.name,
        correlationKey: ext(root, 'zeebe:Subscription')?.correlationKey,
        usedBy: [],
      });
    }
  }
  return messagesById;
}

/** Adds one flow element to what the process lists; returns the clauses its documentation cites. */
function recordElement(
  info: ProcessInfo,
  el: ModdleElement,
  proc: ModdleElement,
  messagesById: Map<string, MessageInfo>,
): string[] {
  const documentation = docOf(el);
  const base: ElementInfo = {
    id: el.id,
    type: el.$type,
    name: el.name,
    documentation,
    clauses: clausesIn(documentation),
  };
  info.elements.push(base);
  if (el.$type === 'bpmn:StartEvent' && el.$parent === proc) info.startEvents.push(base);
  if (el.$type === 'bpmn:UserTask') {
    const assignment = ext(el, 'zeebe:AssignmentDefinition');
    info.userTasks.push({
      ...base,
      formId: ext(el, 'zeebe:FormDefinition')?.formId,
      isCamundaUserTask: ext(el, 'zeebe:UserTask') !== undefined,
      candidateGroups: assignment?.candidateGroups,
      candidateUsers: assignment?.candidateUsers,
      assignee: assignment?.assignee,
      dueDate: ext(el, 'zeebe:TaskSchedule')?.dueDate,
    });
  }
  const taskDefinition = ext(el, 'zeebe:TaskDefinition');
  if (taskDefinition) {
    const headers: Record<string, string> = {};
    for (const h of ext(el, 'zeebe:TaskHeaders')?.values ?? []) headers[h.key] = h.value;
    info.jobTasks.push({ ...base, jobType: taskDefinition.type, headers });
  }
  if (el.$type === 'bpmn:CallActivity') {
    info.calledProcesses.push({ elementId: el.id, processId: ext(el, 'zeebe:CalledElement')?.processId });
  }
  if (el.$type === 'bpmn:BusinessRuleTask') {
    const called = ext(el, 'zeebe:CalledDecision');
    info.calledDecisions.push({
      elementId: el.id,
      decisionId: called?.decisionId,
      resultVariable: called?.resultVariable,
    });
  }
  recordEvents(info, el, base, messagesById);
  return base.clauses;
}

/** An element's timers and the messages it waits for or sends (event definitions and receive tasks). */
function recordEvents(
  info: ProcessInfo,
  el: ModdleElement,
  base: ElementInfo,
  messagesById: Map<string, MessageInfo>,
): void {
  for (const def of el.eventDefinitions ?? []) {
    if (def.$type === 'bpmn:TimerEventDefinition') {
      const kind = (['timeDate', 'timeDuration', 'timeCycle'] as const).find((k) => def[k]);
      info.timers.push({
        ...base,
        kind,
        value: kind ? def[kind].body : undefined,
        attachedTo: el.attachedToRef?.id,
        interrupting:
          el.$type === 'bpmn:BoundaryEvent' ? el.cancelActivity !== false : el.isInterrupting !== false,
      });
    }
    if (def.$type === 'bpmn:MessageEventDefinition') {
      const ref = def.messageRef?.id;
      const m = ref ? messagesById.get(ref) : undefined;
      if (m) {
        m.usedBy.push(el.id);
        if (!info.messages.includes(m)) info.messages.push(m);
      } else {
        info.messages.push({
          id: ref ?? '',
          name: undefined,
          correlationKey: undefined,
          usedBy: [el.id],
        });
      }
    }
  }
  if (el.$type === 'bpmn:ReceiveTask') {
    const m = el.messageRef?.id ? messagesById.get(el.messageRef.id) : undefined;
    if (m) {
      m.usedBy.push(el.id);
      if (!info.messages.includes(m)) info.messages.push(m);
    }
  }
}

export async function readDecisionFile(file: string): Promise<DecisionInfo> {
  const { rootElement: defs, warnings } = await parseDmn(readFileSync(file, 'utf8'));
  const decisions = (defs.drgElement ?? []).filter((d: ModdleElement) => d.$type === 'dmn:Decision');
  const text = [defs.description ?? '', ...decisions.map((d: ModdleElement) => d.description ?? '')].join(
    '\n',
  );
  return {
    file: basename(file),
    ids: decisions.map((d: ModdleElement) => d.id),
    names: decisions.map((d: ModdleElement) => d.name),
    clauses: clausesIn(text),
    parseWarnings: warnings.map((w) => w.message),
  };
}

export function readFormFile(file: string): FormInfo {
  const info: FormInfo = {
    file: basename(file),
    id: undefined,
    keys: [],
    requiredKeys: [],
    unlabelledKeys: [],
    parseError: undefined,
  };
  let form: ModdleElement;
  try {
    form = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    info.parseError = (e as Error).message;
    return info;
  }
  info.id = form.id;
  const walk = (components: ModdleElement[] = []) => {
    for (const c of components) {
      if (c.key) {
        info.keys.push(c.key);
        if (c.validate?.required) info.requiredKeys.push(c.key);
        if (!c.label && c.type !== 'hidden') info.unlabelledKeys.push(c.key);
      }
      if (c.components) walk(c.components);
    }
  };
  walk(form.components);
  return info;
}

export async function readCatalogue(dir = PROCESSES_DIR): Promise<Catalogue> {
  const files = readdirSync(dir).sort();
  const catalogue: Catalogue = { processes: [], decisions: [], forms: [] };
  for (const f of files) {
    const path = join(dir, f);
    if (f.endsWith('.bpmn')) catalogue.processes.push(...(await readProcessFile(path)));
    else if (f.endsWith('.dmn')) catalogue.decisions.push(await readDecisionFile(path));
    else if (f.endsWith('.form')) catalogue.forms.push(readFormFile(path));
  }
  return catalogue;
}

/** The deployable resources of a folder (.bpmn, .dmn, .form), sorted by name, as the engine's deploy takes them. */
export function readDeployableResources(dir = PROCESSES_DIR): Array<{ name: string; content: string }> {
  return readdirSync(dir)
    .filter((f) => /\.(bpmn|dmn|form)$/.test(f))
    .sort()
    .map((name) => ({ name, content: readFileSync(join(dir, name), 'utf8') }));
}
