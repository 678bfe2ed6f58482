// Process instance migration (Camunda 8.8 POST /v2/process-instances/{key}/migration; Zeebe's
// ProcessInstanceMigrationMigrateProcessor): the instance and every active element instance move to the target
// process definition along the mapping instructions, keeping their jobs, user tasks (with assignee and
// candidates), incidents and variables; their catch events follow migration-catch-events.ts, the compensation
// subscriptions of what completed migration-compensation.ts. Every precondition (migration-checks.ts) is checked before anything changes, in the
// command's one transaction: all element instances migrate or none.
import { notFound } from '../errors.ts';
import type { Interpreter } from '../runtime/interpreter.ts';
import { MigrationState, type MigrationTarget } from '../runtime/migration-state.ts';
import type { Tx } from '../runtime/tx.ts';
import { migrateCatchEvents } from './migration-catch-events.ts';
import {
  checkElement,
  checkInstructions,
  concurrentCommand,
  type MappingInstruction,
} from './migration-checks.ts';
import { compensationMappings, migrateCompensation } from './migration-compensation.ts';

export type { MappingInstruction } from './migration-checks.ts';

export interface MigrationRequest {
  targetProcessDefinitionKey: number;
  mappingInstructions: MappingInstruction[];
  /** Camunda's operationReference: kept in the MIGRATED record. */
  operationReference?: number;
}

export function migrateProcessInstance(tx: Tx, it: Interpreter, key: number, req: MigrationRequest): void {
  const pi = it.pi(key);
  if (pi?.state !== 'ACTIVE') {
    throw notFound(`Expected to migrate process instance but no process instance found with key '${key}'`);
  }
  if (!it.state.definitions.processExists(req.targetProcessDefinitionKey)) {
    throw notFound(
      `Expected to migrate process instance to process definition but no process definition found with key '${req.targetProcessDefinitionKey}'`,
    );
  }
  const source = it.definition(pi.process_definition_key);
  const target = it.definition(req.targetProcessDefinitionKey);
  checkInstructions(key, source, target, req.mappingInstructions);
  const mapping = new Map(req.mappingInstructions.map((m) => [m.sourceElementId, m.targetElementId]));
  const state = new MigrationState(it.db);
  const elements = state.activeElements(key);
  const targetIds = new Map<number, string>();
  for (const ei of elements) {
    const targetId = checkElement(it, { key, source, target, mapping, targetIds }, ei);
    targetIds.set(ei.key, targetId);
  }
  // steps an earlier command left for a later transaction would run on the old definition's elements
  if (state.pendingSteps(key) > 0) throw concurrentCommand(key);
  const compensations = compensationMappings(it, key, source, target, mapping);

  const to: MigrationTarget = {
    definitionKey: target.key,
    processId: target.processId,
    version: target.version,
  };
  const catchEvents = { key, state, to, targetModel: target.model, mapping };
  for (const ei of elements) {
    const elementId = targetIds.get(ei.key)!;
    for (const job of state.openJobs(ei.key))
      tx.record('JOB', 'MIGRATED', job.key, key, elementId, {
        type: job.type,
        processDefinitionKey: String(target.key),
      });
    for (const task of state.openUserTasks(ei.key))
      tx.record('USER_TASK', 'MIGRATED', task.key, key, elementId, {
        processDefinitionKey: String(target.key),
      });
    state.migrateElement(ei, elementId, to);
    tx.record('PROCESS_INSTANCE', 'ELEMENT_MIGRATED', ei.key, key, elementId, {
      elementType: ei.element_type,
      flowScopeKey: ei.flow_scope_key,
      sourceElementId: ei.element_id,
      processDefinitionKey: String(target.key),
    });
    migrateCatchEvents(tx, it, catchEvents, it.ei(ei.key)!, target.model.elements[elementId]!);
  }
  migrateCompensation(tx, it, key, target, compensations);
  state.migrateInstance(key, to);
  tx.record('PROCESS_INSTANCE_MIGRATION', 'MIGRATED', key, key, target.processId, {
    processInstanceKey: String(key),
    ...(req.operationReference ? { operationReference: req.operationReference } : {}),
    sourceProcessDefinitionKey: String(source.key),
    targetProcessDefinitionKey: String(target.key),
    mappingInstructions: req.mappingInstructions,
  });
}
