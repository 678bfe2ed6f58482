// Shared by the BPMN transformation: element type names, zeebe extension lookup, errors.
import type { ModdleElement } from '../../modeling/moddle.ts';
import type { ElementType, TimerDef } from './types.ts';

export class ModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelError';
  }
}

export const TYPES: Record<string, ElementType> = {
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
  'bpmn:AdHocSubProcess': 'AD_HOC_SUB_PROCESS',
  'bpmn:CallActivity': 'CALL_ACTIVITY',
};

/** Flow elements that carry no behaviour and are skipped. */
export const IGNORED = new Set(['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);

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
  'AD_HOC_SUB_PROCESS',
  'CALL_ACTIVITY',
]);

export function isActivity(type: ElementType): boolean {
  return ACTIVITIES.has(type);
}

export function ext(el: ModdleElement, type: string): ModdleElement | undefined {
  return el.extensionElements?.values?.find((v: ModdleElement) => v.$type === type);
}

export function describe(el: ModdleElement): string {
  return `'${el.id}' (${el.$type})`;
}

export interface Collected {
  expressions: Array<{ where: string; expression: string }>;
  timers: Array<{ where: string; def: TimerDef }>;
}

export function isExpr(value: unknown): value is string {
  return typeof value === 'string' && value.trimStart().startsWith('=');
}
