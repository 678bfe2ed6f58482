// Deploy: parse and validate every resource first (async, outside the transaction), then write them
// all in one transaction — a refused resource leaves nothing half-deployed. Identical content keeps
// its version; changed content gets version n+1.
import { createHash } from 'node:crypto';
import { parseBpmn, parseDmn } from '../../modeling/moddle.ts';
import { type DecisionModel, loadDecisions } from '../dmn/index.ts';
import { EngineError } from '../errors.ts';
import { checkSyntax, evaluate } from '../feel/index.ts';
import { transformDefinitions } from '../model/transform.ts';
import type { ProcessModel } from '../model/types.ts';
import type { Interpreter } from '../runtime/interpreter.ts';
import { TENANT } from '../runtime/interpreter.ts';
import type { Tx } from '../runtime/tx.ts';
import { checkTimer, firstDueDate } from '../timer/index.ts';
import { openSignalStarts, replaceSignalStarts } from './signals.ts';

export interface DeployResource {
  name: string;
  content: string | Buffer;
}

export type PreparedResource =
  | { kind: 'bpmn'; name: string; content: string; checksum: string; processes: ProcessModel[] }
  | {
      kind: 'dmn';
      name: string;
      content: string;
      checksum: string;
      drgId: string;
      drgName: string | null;
      decisions: DecisionModel[];
      /** Decision id → its zeebe:versionTag. */
      versionTags: Record<string, string>;
    }
  | { kind: 'form'; name: string; content: string; checksum: string; formId: string };

export interface DeploymentResult {
  deploymentKey: string;
  tenantId: string;
  deployments: Array<
    | {
        processDefinition: {
          processDefinitionId: string;
          processDefinitionVersion: number;
          resourceName: string;
          tenantId: string;
          processDefinitionKey: string;
        };
      }
    | {
        decisionDefinition: {
          decisionDefinitionId: string;
          version: number;
          name: string | null;
          tenantId: string;
          decisionRequirementsId: string;
          decisionDefinitionKey: string;
          decisionRequirementsKey: string;
        };
      }
    | {
        decisionRequirements: {
          decisionRequirementsId: string;
          decisionRequirementsName: string | null;
          version: number;
          resourceName: string;
          tenantId: string;
          decisionRequirementsKey: string;
        };
      }
    | { form: { formId: string; version: number; resourceName: string; tenantId: string; formKey: string } }
  >;
}

function checksum(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

function reject(name: string, message: string): EngineError {
  return new EngineError(
    'DEPLOYMENT_REJECTED',
    `Expected to deploy resource '${name}', but it is invalid: ${message}`,
  );
}

/** Parses and validates resources; throws EngineError naming the resource and the problem. */
export async function prepareResources(resources: DeployResource[]): Promise<PreparedResource[]> {
  if (resources.length === 0)
    throw new EngineError('INVALID_ARGUMENT', 'Expected at least one resource to deploy');
  const prepared: PreparedResource[] = [];
  const processIds = new Set<string>();
  for (const r of resources) {
    const content = typeof r.content === 'string' ? r.content : r.content.toString('utf8');
    const sum = checksum(content);
    const lower = r.name.toLowerCase();
    if (lower.endsWith('.bpmn') || lower.endsWith('.bpmn20.xml')) {
      let root: unknown;
      try {
        const parsed = await parseBpmn(content);
        // Zeebe ignores the diagram (DI): a shape or edge that references a missing element is no error
        const serious = parsed.warnings.filter(
          (w) => !/unknown attribute/i.test(w.message) && !isDiagramWarning(w) && !keepActivityRef(w),
        );
        if (serious.length > 0) throw new Error(serious.map((w) => w.message).join('; '));
        root = parsed.rootElement;
      } catch (e) {
        throw reject(r.name, `not a valid BPMN XML document: ${(e as Error).message}`);
      }
      let processes: ProcessModel[];
      try {
        processes = transformDefinitions(root, {
          checkExpression: (expr) => checkSyntax(expr),
          checkTimer: (def) => checkTimer(def),
        });
      } catch (e) {
        throw reject(r.name, (e as Error).message);
      }
      for (const p of processes) {
        if (processIds.has(p.id))
          throw reject(r.name, `process id '${p.id}' is deployed twice in this deployment`);
        processIds.add(p.id);
      }
      prepared.push({ kind: 'bpmn', name: r.name, content, checksum: sum, processes });
    } else if (lower.endsWith('.dmn') || lower.endsWith('.dmn11.xml')) {
      try {
        const parsed = await parseDmn(content);
        // a duplicate id (or other unparsable content) makes dmn-moddle drop the element with a warning
        const serious = parsed.warnings.filter((w) => !/unknown attribute/i.test(w.message));
        if (serious.length > 0) throw new Error(serious.map((w) => w.message).join('; '));
        const decisions = loadDecisions(parsed.rootElement);
        if (decisions.length === 0) throw new Error('the DMN has no decision');
        prepared.push({
          kind: 'dmn',
          name: r.name,
          content,
          checksum: sum,
          drgId: parsed.rootElement.id,
          drgName: parsed.rootElement.name ?? null,
          decisions,
          versionTags: decisionVersionTags(parsed.rootElement),
        });
      } catch (e) {
        throw reject(r.name, (e as Error).message);
      }
    } else if (lower.endsWith('.form')) {
      let form: { id?: unknown };
      try {
        form = JSON.parse(content) as { id?: unknown };
      } catch (e) {
        throw reject(r.name, `not valid JSON: ${(e as Error).message}`);
      }
      if (typeof form?.id !== 'string' || form.id === '') throw reject(r.name, 'the form has no id');
      prepared.push({ kind: 'form', name: r.name, content, checksum: sum, formId: form.id });
    } else {
      throw reject(r.name, 'unknown resource type (expected .bpmn, .dmn or .form)');
    }
  }
  return prepared;
}

/** Writes prepared resources (inside the command's transaction). */
export function writeDeployment(tx: Tx, it: Interpreter, prepared: PreparedResource[]): DeploymentResult {
  const deploymentKey = it.key();
  it.state.deployments.insertDeployment(deploymentKey, tx.now, TENANT);
  const result: DeploymentResult = {
    deploymentKey: String(deploymentKey),
    tenantId: TENANT,
    deployments: [],
  };
  for (const r of prepared) {
    const resourceKey = it.key();
    it.state.deployments.insertResource(resourceKey, deploymentKey, r.name, r.kind, r.checksum, r.content);
    const at: Written = { tx, it, deploymentKey, resourceKey, result };
    if (r.kind === 'bpmn') for (const p of r.processes) writeProcess(at, r, p);
    else if (r.kind === 'dmn') writeDecisions(at, r);
    else writeForm(at, r);
  }
  tx.record('DEPLOYMENT', 'CREATED', deploymentKey, null, null, { resources: prepared.map((r) => r.name) });
  return result;
}

/** Where a resource is being written: the command, its deployment and resource, the result so far. */
interface Written {
  tx: Tx;
  it: Interpreter;
  deploymentKey: number;
  resourceKey: number;
  result: DeploymentResult;
}

type Prepared<K extends PreparedResource['kind']> = Extract<PreparedResource, { kind: K }>;

/** A process becomes a new version unless the latest version has the same content. */
function writeProcess(
  { tx, it, deploymentKey, resourceKey, result }: Written,
  r: Prepared<'bpmn'>,
  p: ProcessModel,
) {
  const processChecksum = checksum(`${r.checksum}:${p.id}`);
  const latest = it.state.deployments.latestProcess(p.id);
  let key: number;
  let version: number;
  if (latest && latest.checksum === processChecksum) {
    key = latest.key;
    version = latest.version;
  } else {
    key = it.key();
    version = it.state.deployments.nextVersion('process', p.id);
    it.state.deployments.insertProcess({
      key,
      processId: p.id,
      version,
      name: p.name ?? null,
      versionTag: p.versionTag ?? null,
      resourceKey,
      resourceName: r.name,
      deploymentKey,
      checksum: processChecksum,
      model: JSON.stringify(p),
      tenantId: TENANT,
    });
    tx.record('PROCESS', 'CREATED', key, null, p.id, { version, resourceName: r.name });
    replaceStartSubscriptions(tx, it, key, p, latest?.key);
    tx.afterCommit.push(() => it.setLatest(p.id, key));
  }
  it.state.bindings.contained(deploymentKey, 'process', p.id, key);
  result.deployments.push({
    processDefinition: {
      processDefinitionId: p.id,
      processDefinitionVersion: version,
      resourceName: r.name,
      tenantId: TENANT,
      processDefinitionKey: String(key),
    },
  });
}

/** A decision requirements graph and its decisions become new versions unless unchanged. */
function writeDecisions({ tx, it, deploymentKey, resourceKey, result }: Written, r: Prepared<'dmn'>): void {
  const deployments = it.state.deployments;
  const latest = deployments.latestDecisionRequirements(r.drgId);
  if (latest && latest.checksum === r.checksum) {
    for (const d of deployments.decisionsOf(latest.key)) {
      it.state.bindings.contained(deploymentKey, 'decision', d.decision_id, d.key);
      result.deployments.push(decisionEntry(d.decision_id, d.version, d.name, r.drgId, d.key, latest.key));
    }
    result.deployments.push(drgEntry(r.drgId, r.drgName, latest.version, r.name, latest.key));
    return;
  }
  const drgKey = it.key();
  const drgVersion = deployments.nextVersion('drg', r.drgId);
  deployments.insertDecisionRequirements(
    drgKey,
    r.drgId,
    drgVersion,
    r.drgName,
    resourceKey,
    r.name,
    deploymentKey,
    r.checksum,
    TENANT,
  );
  for (const d of r.decisions) {
    const key = it.key();
    const version = (deployments.latestDecisionVersion(d.id) ?? 0) + 1;
    deployments.insertDecision({
      key,
      decisionId: d.id,
      version,
      name: d.name ?? null,
      drgKey,
      drgId: r.drgId,
      deploymentKey,
      tenantId: TENANT,
      model: JSON.stringify(d),
    });
    tx.record('DECISION', 'CREATED', key, null, d.id, { version });
    it.state.bindings.contained(deploymentKey, 'decision', d.id, key);
    const tag = r.versionTags[d.id];
    if (tag) it.state.bindings.tagDecision(key, d.id, tag);
    result.deployments.push(decisionEntry(d.id, version, d.name ?? null, r.drgId, key, drgKey));
  }
  result.deployments.push(drgEntry(r.drgId, r.drgName, drgVersion, r.name, drgKey));
}

/** A form becomes a new version unless the latest version has the same content. */
function writeForm({ tx, it, deploymentKey, result }: Written, r: Prepared<'form'>): void {
  const latest = it.state.deployments.latestForm(r.formId);
  let key: number;
  let version: number;
  if (latest && latest.checksum === r.checksum) {
    key = latest.key;
    version = latest.version;
  } else {
    key = it.key();
    version = it.state.deployments.nextVersion('form', r.formId);
    it.state.deployments.insertForm(
      key,
      r.formId,
      version,
      r.name,
      deploymentKey,
      r.checksum,
      r.content,
      TENANT,
    );
    tx.record('FORM', 'CREATED', key, null, r.formId, { version });
  }
  it.state.bindings.contained(deploymentKey, 'form', r.formId, key);
  result.deployments.push({
    form: { formId: r.formId, version, resourceName: r.name, tenantId: TENANT, formKey: String(key) },
  });
}

function decisionEntry(
  id: string,
  version: number,
  name: string | null,
  drgId: string,
  key: number,
  drgKey: number,
) {
  return {
    decisionDefinition: {
      decisionDefinitionId: id,
      version,
      name,
      tenantId: TENANT,
      decisionRequirementsId: drgId,
      decisionDefinitionKey: String(key),
      decisionRequirementsKey: String(drgKey),
    },
  };
}

function drgEntry(id: string, name: string | null, version: number, resourceName: string, key: number) {
  return {
    decisionRequirements: {
      decisionRequirementsId: id,
      decisionRequirementsName: name,
      version,
      resourceName,
      tenantId: TENANT,
      decisionRequirementsKey: String(key),
    },
  };
}

/** A new version takes over the timer, message and signal start events of the previous one (as in Zeebe). */
/** A version's start events (timer, message, signal) stop listening. */
export function closeStartSubscriptions(tx: Tx, it: Interpreter, key: number): void {
  it.state.deployments.deleteStartTimers(key);
  it.state.deployments.deleteMessageStartSubscriptions(key);
  replaceSignalStarts(tx, it, key);
}

/** The start events of `key` listen instead of the previous latest version's. */
export function replaceStartSubscriptions(
  tx: Tx,
  it: Interpreter,
  key: number,
  p: ProcessModel,
  previousKey: number | undefined,
): void {
  const deployments = it.state.deployments;
  if (previousKey !== undefined) closeStartSubscriptions(tx, it, previousKey);
  openSignalStarts(tx, it, key, p);
  for (const id of p.timerStartEvents) {
    const el = p.elements[id]!;
    const timer = el.event!.timer!;
    if (timer.value.startsWith('=')) {
      // Zeebe evaluates timer start expressions without variables at deploy time
      const value = evaluate(timer.value, {});
      if (typeof value !== 'string')
        throw reject(id, `timer start event '${id}' expression did not give a string`);
      scheduleStart(tx, it, key, id, { kind: timer.kind, value });
    } else {
      scheduleStart(tx, it, key, id, timer);
    }
  }
  for (const id of p.messageStartEvents) {
    const el = p.elements[id]!;
    deployments.insertMessageStartSubscription(key, p.id, id, el.event!.messageName!);
  }
}

function scheduleStart(
  tx: Tx,
  it: Interpreter,
  key: number,
  elementId: string,
  def: { kind: 'date' | 'duration' | 'cycle'; value: string },
): void {
  const due = firstDueDate(def, tx.now);
  it.insertTimer(tx, null, null, key, elementId, due.dueAt, due.repetitions, def, true);
}

/** The zeebe:versionTag of each decision (a generic extension element to dmn-moddle). */
function decisionVersionTags(root: { drgElement?: unknown[] }): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const el of (root.drgElement ?? []) as Array<{
    id: string;
    extensionElements?: { values?: unknown[] };
  }>) {
    const values = (el.extensionElements?.values ?? []) as Array<{ $type?: string; value?: unknown }>;
    const tag = values.find((v) => v.$type === 'zeebe:versionTag')?.value;
    if (typeof tag === 'string' && tag.trim() !== '') tags[el.id] = tag.trim();
  }
  return tags;
}

/** A parse warning about the diagram interchange part (bpmndi:BPMNShape, BPMNEdge, BPMNPlane …). */
/**
 * A compensate event definition's activityRef naming no element: kept as its id, so that the model transformation
 * refuses it in Zeebe's words ("The referenced compensation activity '…' doesn't exist").
 */
function keepActivityRef(w: { message: string }): boolean {
  const { property, value, element } = w as {
    property?: string;
    value?: string;
    element?: Record<string, unknown>;
  };
  if (property !== 'bpmn:activityRef' || !element || typeof value !== 'string') return false;
  element.activityRef = { id: value };
  return true;
}

function isDiagramWarning(w: { message: string }): boolean {
  const type = (w as { element?: { $type?: string } }).element?.$type ?? '';
  return type.startsWith('bpmndi:');
}
