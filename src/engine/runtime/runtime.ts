// What every part of the interpreter shares: the state modules, the key generator, the cache of
// deployed definitions, the log and the hooks the engine plugs in (decisions, forms).
import { type ElementModel, INNER_INSTANCE_POSTFIX, type ProcessModel } from '../model/types.ts';
import type { Db } from '../state/db.ts';
import { EngineState } from '../state/index.ts';
import type { ElementInstanceRow, ProcessInstanceRow } from '../state/rows.ts';
import type { Tx } from './tx.ts';

export const TENANT = '<default>';

export interface Logger {
  debug?(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface DecisionResult {
  output: unknown;
  decisionKey: number;
  decisionId: string;
  version: number;
}

/** Where a business rule task's evaluation happens: kept with its decision instances. */
export interface DecisionEvaluationContext {
  key: number;
  now: number;
  processDefinitionKey: number;
  processInstanceKey: number;
  elementInstanceKey: number;
}

/** Evaluates a deployed decision (latest version) — provided by the engine's DMN registry. */
export interface DecisionEvaluator {
  /**
   * The latest version, or the decision `key` when a binding resolved one. The evaluation is kept as decision
   * instances under `evaluation.key`, linked to the element instance (a failure's after the step's rollback).
   */
  evaluateLatest(
    decisionId: string,
    variables: Record<string, unknown>,
    key: number | undefined,
    evaluation: DecisionEvaluationContext,
  ): DecisionResult;
}

export interface Definition {
  key: number;
  processId: string;
  version: number;
  name: string | null;
  tenantId: string;
  model: ProcessModel;
}

export class Runtime {
  readonly db: Db;
  readonly state: EngineState;
  readonly log: Logger;
  nextKey: number;
  decisions: DecisionEvaluator | null = null;
  formKeyOf: (formId: string) => number | null = () => null;
  onProcessEnded: (tx: Tx, pi: ProcessInstanceRow, state: 'COMPLETED' | 'TERMINATED') => void = () => {};
  private readonly definitions = new Map<number, Definition>();
  private readonly latest = new Map<string, number>();

  constructor(db: Db, log: Logger) {
    this.db = db;
    this.log = log;
    this.state = new EngineState(db);
    this.nextKey = this.state.records.nextKey();
  }

  key(): number {
    return this.nextKey++;
  }

  definition(key: number): Definition {
    let def = this.definitions.get(key);
    if (!def) {
      const row = this.state.definitions.process(key);
      if (!row) throw new Error(`Process definition ${key} not found`);
      def = {
        key: row.key,
        processId: row.process_id,
        version: row.version,
        name: row.name,
        tenantId: row.tenant_id,
        model: JSON.parse(row.model) as ProcessModel,
      };
      this.definitions.set(key, def);
    }
    return def;
  }

  latestDefinition(processId: string): Definition | null {
    let key = this.latest.get(processId);
    if (key === undefined) {
      key = this.state.definitions.latestProcessKey(processId);
      if (key === undefined) return null;
      this.latest.set(processId, key);
    }
    return this.definition(key);
  }

  /** After a deployment (its new key) or a deletion (the previous version's, or none left). */
  setLatest(processId: string, key: number | undefined): void {
    if (key === undefined) this.latest.delete(processId);
    else this.latest.set(processId, key);
  }

  model(ei: ElementInstanceRow): ProcessModel {
    return this.definition(ei.process_definition_key).model;
  }

  element(ei: ElementInstanceRow): ElementModel {
    const el = this.model(ei).elements[ei.element_id] ?? innerInstanceElement(this.model(ei), ei.element_id);
    if (!el) throw new Error(`Element ${ei.element_id} not found in definition ${ei.process_definition_key}`);
    return el;
  }

  ei(key: number): ElementInstanceRow | undefined {
    return this.state.elementInstances.get(key);
  }

  pi(key: number): ProcessInstanceRow | undefined {
    return this.state.processInstances.get(key);
  }
}

/**
 * An ad-hoc sub-process's inner instance (Zeebe's AD_HOC_SUB_PROCESS_INNER_INSTANCE, id `<sub-process>#innerInstance`):
 * the scope of one activated inner flow; no element of the model, so it is made up here.
 */
function innerInstanceElement(model: ProcessModel, id: string): ElementModel | undefined {
  if (!id.endsWith(INNER_INSTANCE_POSTFIX)) return undefined;
  const adHocId = id.slice(0, -INNER_INSTANCE_POSTFIX.length);
  if (model.elements[adHocId]?.type !== 'AD_HOC_SUB_PROCESS') return undefined;
  return { id, type: 'AD_HOC_SUB_PROCESS_INNER_INSTANCE', scope: adHocId, incoming: [], outgoing: [] };
}
