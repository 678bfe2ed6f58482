// What an element processor is given (Zeebe's BpmnBehaviors) and what it implements
// (Zeebe's BpmnElementProcessor).
import type { ElementModel, FlowModel, ProcessModel } from '../../model/types.ts';
import type { ElementInstanceRow } from '../../state/rows.ts';
import type { CompensationBehavior } from '../behavior/compensation.ts';
import type { EventTriggerBehavior } from '../behavior/events.ts';
import type { IncidentBehavior } from '../behavior/incidents.ts';
import type { JobBehavior } from '../behavior/jobs.ts';
import type { EventSubscriptionBehavior } from '../behavior/subscriptions.ts';
import type { TaskListenerBehavior } from '../behavior/task-listeners.ts';
import type { StateTransitionBehavior } from '../behavior/transitions.ts';
import type { VariableBehavior } from '../behavior/variables.ts';
import type { ElementData } from '../elementData.ts';
import type { Runtime } from '../runtime.ts';
import type { Tx } from '../tx.ts';

export interface Behaviors {
  readonly rt: Runtime;
  readonly variables: VariableBehavior;
  readonly incidents: IncidentBehavior;
  readonly subscriptions: EventSubscriptionBehavior;
  readonly jobs: JobBehavior;
  readonly transitions: StateTransitionBehavior;
  readonly events: EventTriggerBehavior;
  readonly taskListeners: TaskListenerBehavior;
  readonly compensation: CompensationBehavior;
}

/**
 * The steps of one element type. Each runs inside the incident savepoint of its step: throwing an
 * IncidentError (or a FEEL error) rolls the step back and raises an incident.
 */
export interface BpmnElementProcessor {
  /** ACTIVATING → ACTIVATED: open what the element waits for, or queue its completion. */
  onActivate(tx: Tx, ei: ElementInstanceRow, el: ElementModel, data: ElementData): void;
  /** While COMPLETING: write the element's results (default: its output mappings). */
  onCompleting?(tx: Tx, ei: ElementInstanceRow, el: ElementModel): void;
  /** While COMPLETING: the sequence flows to take (default: every outgoing flow). */
  outgoingFlows?(ei: ElementInstanceRow, el: ElementModel, model: ProcessModel): FlowModel[];
  /** After COMPLETED: where the token goes (default: along the flows, then the scope may complete). */
  onCompleted?(tx: Tx, ei: ElementInstanceRow, el: ElementModel, flows: FlowModel[]): void;
}

export type ProcessorFactory = (b: Behaviors) => BpmnElementProcessor;
