// The dispatch table: element type → its processor (Zeebe's BpmnElementProcessors).
import type { ElementType } from '../../model/types.ts';
import { adHocInnerInstance, adHocSubProcess } from './container/adHocSubProcess.ts';
import { callActivity } from './container/callActivity.ts';
import { eventSubProcess } from './container/eventSubProcess.ts';
import { processContainer } from './container/process.ts';
import { subProcess } from './container/subProcess.ts';
import { boundaryEvent } from './event/boundaryEvent.ts';
import { endEvent } from './event/endEvent.ts';
import { intermediateCatchEvent } from './event/intermediateCatchEvent.ts';
import { intermediateThrowEvent } from './event/intermediateThrowEvent.ts';
import { startEvent } from './event/startEvent.ts';
import { conditionalGateway } from './gateway/conditionalGateway.ts';
import { eventBasedGateway } from './gateway/eventBasedGateway.ts';
import { parallelGateway } from './gateway/parallelGateway.ts';
import { multiInstanceBody } from './multiinstance/multiInstanceBody.ts';
import { businessRuleTask } from './task/businessRuleTask.ts';
import { jobWorkerTask } from './task/jobWorkerTask.ts';
import { manualTask } from './task/manualTask.ts';
import { receiveTask } from './task/receiveTask.ts';
import { scriptTask } from './task/scriptTask.ts';
import { userTask } from './task/userTask.ts';
import type { Behaviors, BpmnElementProcessor, ProcessorFactory } from './types.ts';

const FACTORIES: Record<ElementType, ProcessorFactory> = {
  // tasks
  SERVICE_TASK: jobWorkerTask,
  SEND_TASK: jobWorkerTask,
  SCRIPT_TASK: scriptTask,
  BUSINESS_RULE_TASK: businessRuleTask,
  USER_TASK: userTask,
  RECEIVE_TASK: receiveTask,
  MANUAL_TASK: manualTask,
  TASK: manualTask,
  // gateways
  EXCLUSIVE_GATEWAY: conditionalGateway,
  INCLUSIVE_GATEWAY: conditionalGateway,
  PARALLEL_GATEWAY: parallelGateway,
  EVENT_BASED_GATEWAY: eventBasedGateway,
  // events
  START_EVENT: startEvent,
  INTERMEDIATE_CATCH_EVENT: intermediateCatchEvent,
  INTERMEDIATE_THROW_EVENT: intermediateThrowEvent,
  BOUNDARY_EVENT: boundaryEvent,
  END_EVENT: endEvent,
  // containers and call activities
  PROCESS: processContainer,
  SUB_PROCESS: subProcess,
  AD_HOC_SUB_PROCESS: adHocSubProcess,
  AD_HOC_SUB_PROCESS_INNER_INSTANCE: adHocInnerInstance,
  EVENT_SUB_PROCESS: eventSubProcess,
  CALL_ACTIVITY: callActivity,
  // multi-instance
  MULTI_INSTANCE_BODY: multiInstanceBody,
};

export type ProcessorTable = Readonly<Record<string, BpmnElementProcessor | undefined>>;

export function createProcessors(b: Behaviors): ProcessorTable {
  const table: Record<string, BpmnElementProcessor> = {};
  for (const [type, factory] of Object.entries(FACTORIES)) table[type] = factory(b);
  return table;
}
