// Read side of Camunda 8.8's process statistics: element-instance counts per element (of one process instance, or
// of a process definition's instances), the sequence flows an instance took, its call hierarchy and the process
// instance tree of its incidents.
import { notFound } from '../errors.ts';
import type { Interpreter } from '../runtime/interpreter.ts';

/** Camunda 8.8's ProcessElementStatisticsResult: active and incidents are disjoint (an active element instance
 * with an open incident counts under incidents only); canceled are terminated element instances. */
export interface ElementStatistics {
  elementId: string;
  active: number;
  canceled: number;
  incidents: number;
  completed: number;
}

export interface SequenceFlowItem {
  sequenceFlowId: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  processDefinitionId: string;
  elementId: string;
  tenantId: string;
}

export interface CallHierarchyEntry {
  processInstanceKey: string;
  processDefinitionKey: string;
  processDefinitionName: string;
}

const ACTIVE = "state IN ('ACTIVATING','ACTIVATED','COMPLETING','TERMINATING')";
// The process itself and a multi-instance body are no element of the diagram's counts: the inner instances are.
const COUNTED = "element_type NOT IN ('PROCESS','MULTI_INSTANCE_BODY')";
const COUNTS = `element_id AS elementId,
  sum(${ACTIVE} AND incident_key IS NULL) AS active,
  sum(state = 'TERMINATED') AS canceled,
  sum(${ACTIVE} AND incident_key IS NOT NULL) AS incidents,
  sum(state = 'COMPLETED') AS completed`;
/** A definition's counts over all its instances (schema v6's element_instances_definition index). */
export const DEFINITION_COUNTS_SQL = `SELECT ${COUNTS} FROM element_instances
  WHERE process_definition_key = ? AND ${COUNTED} GROUP BY element_id ORDER BY element_id`;
/** Process instances per aggregate query (SQLite's bound-parameter limit is far above). */
const CHUNK = 500;

function requireInstance(it: Interpreter, key: number) {
  const pi = it.pi(key);
  if (!pi) throw notFound(`Process instance with key '${key}' not found`);
  return pi;
}

export function instanceElementStatistics(it: Interpreter, processInstanceKey: number): ElementStatistics[] {
  requireInstance(it, processInstanceKey);
  return it.db
    .q(
      `SELECT ${COUNTS} FROM element_instances WHERE process_instance_key = ? AND ${COUNTED}
       GROUP BY element_id ORDER BY element_id`,
    )
    .all(processInstanceKey) as ElementStatistics[];
}

/**
 * Counts over a process definition's instances: all of them, or those of `instanceKeys` (the instances a filter
 * selected), added up per element.
 */
export function definitionElementStatistics(
  it: Interpreter,
  processDefinitionKey: number,
  instanceKeys?: number[],
): ElementStatistics[] {
  if (!it.state.definitions.process(processDefinitionKey)) {
    throw notFound(`Process definition with key '${processDefinitionKey}' not found`);
  }
  if (instanceKeys === undefined) {
    return it.db.q(DEFINITION_COUNTS_SQL).all(processDefinitionKey) as ElementStatistics[];
  }
  // `+process_definition_key`: found by instance key (element_instances_process), not by scanning the definition's
  // rows once per chunk
  const sums = new Map<string, ElementStatistics>();
  for (let i = 0; i < instanceKeys.length; i += CHUNK) {
    const chunk = instanceKeys.slice(i, i + CHUNK);
    const rows = it.db
      .q(
        `SELECT ${COUNTS} FROM element_instances WHERE process_instance_key IN (${chunk.map(() => '?').join(',')})
         AND +process_definition_key = ? AND ${COUNTED} GROUP BY element_id`,
      )
      .all(...chunk, processDefinitionKey) as ElementStatistics[];
    for (const r of rows) {
      const s = sums.get(r.elementId);
      if (!s) sums.set(r.elementId, { ...r });
      else for (const k of ['active', 'canceled', 'incidents', 'completed'] as const) s[k] += r[k];
    }
  }
  return [...sums.values()].sort((a, b) => (a.elementId < b.elementId ? -1 : 1));
}

/**
 * The sequence flows a process instance took, once each (as Camunda lists them: one entry per flow, however
 * often it was taken), from the SEQUENCE_FLOW_TAKEN records of the event log.
 */
export function sequenceFlows(it: Interpreter, processInstanceKey: number): SequenceFlowItem[] {
  const pi = requireInstance(it, processInstanceKey);
  const rows = it.db
    .q(
      `SELECT element_id FROM records WHERE process_instance_key = ? AND value_type = 'PROCESS_INSTANCE'
       AND intent = 'SEQUENCE_FLOW_TAKEN' GROUP BY element_id ORDER BY min(position)`,
    )
    .all(processInstanceKey) as Array<{ element_id: string }>;
  return rows.map((r) => ({
    sequenceFlowId: `${processInstanceKey}_${r.element_id}`,
    processInstanceKey: String(processInstanceKey),
    processDefinitionKey: String(pi.process_definition_key),
    processDefinitionId: pi.process_id,
    elementId: r.element_id,
    tenantId: pi.tenant_id,
  }));
}

/** The instance's ancestry through call activities: the root instance first, the instance itself last. */
export function callHierarchy(it: Interpreter, processInstanceKey: number): CallHierarchyEntry[] {
  const chain: CallHierarchyEntry[] = [];
  let pi = requireInstance(it, processInstanceKey);
  for (;;) {
    const def = it.definition(pi.process_definition_key);
    chain.unshift({
      processInstanceKey: String(pi.key),
      processDefinitionKey: String(pi.process_definition_key),
      processDefinitionName: def.name ?? pi.process_id,
    });
    const parent =
      pi.parent_process_instance_key === null ? undefined : it.pi(pi.parent_process_instance_key);
    if (!parent) return chain;
    pi = parent;
  }
}

/** The process instance and every instance it called, directly or further down. */
export function instanceTree(it: Interpreter, processInstanceKey: number): number[] {
  requireInstance(it, processInstanceKey);
  const keys = [processInstanceKey];
  const children = it.db.q('SELECT key FROM process_instances WHERE parent_process_instance_key = ?');
  for (let i = 0; i < keys.length; i++) {
    for (const r of children.all(keys[i]) as Array<{ key: number }>) keys.push(r.key);
  }
  return keys;
}
