// The engine's state, one module per kind (Zeebe's column families): every SQL statement the
// runtime and the command processors run lives behind these.
import { BatchOperationState } from './batchOperations.ts';
import { BindingState } from './bindings.ts';
import { CompensationState } from './compensations.ts';
import { CorrelatedMessageState } from './correlatedMessages.ts';
import type { Db } from './db.ts';
import { DecisionInstanceState } from './decisionInstances.ts';
import { DefinitionState } from './definitions.ts';
import { DeploymentState } from './deployments.ts';
import { ElementInstanceState } from './elementInstances.ts';
import { IncidentState } from './incidents.ts';
import { JobState } from './jobs.ts';
import { MessageState } from './messages.ts';
import { PendingStepState } from './pendingSteps.ts';
import { ProcessInstanceState } from './processInstances.ts';
import { RecordState } from './records.ts';
import { SignalState } from './signals.ts';
import { TimerState } from './timers.ts';
import { UserTaskCounts } from './userTaskCounts.ts';
import { UserTaskState } from './userTasks.ts';
import { VariableState } from './variables.ts';

export class EngineState {
  readonly definitions: DefinitionState;
  readonly deployments: DeploymentState;
  readonly processInstances: ProcessInstanceState;
  readonly elementInstances: ElementInstanceState;
  readonly variables: VariableState;
  readonly incidents: IncidentState;
  readonly jobs: JobState;
  readonly userTasks: UserTaskState;
  readonly userTaskCounts: UserTaskCounts;
  readonly timers: TimerState;
  readonly messages: MessageState;
  readonly records: RecordState;
  readonly pendingSteps: PendingStepState;
  readonly batchOperations: BatchOperationState;
  readonly signals: SignalState;
  readonly bindings: BindingState;
  readonly decisionInstances: DecisionInstanceState;
  readonly correlatedMessages: CorrelatedMessageState;
  readonly compensations: CompensationState;

  constructor(db: Db) {
    this.definitions = new DefinitionState(db);
    this.deployments = new DeploymentState(db);
    this.processInstances = new ProcessInstanceState(db);
    this.elementInstances = new ElementInstanceState(db);
    this.userTaskCounts = new UserTaskCounts(db);
    this.variables = new VariableState(db, this.userTaskCounts);
    this.incidents = new IncidentState(db);
    this.jobs = new JobState(db);
    this.userTasks = new UserTaskState(db, this.userTaskCounts);
    this.timers = new TimerState(db);
    this.messages = new MessageState(db);
    this.records = new RecordState(db);
    this.pendingSteps = new PendingStepState(db);
    this.batchOperations = new BatchOperationState(db);
    this.signals = new SignalState(db);
    this.bindings = new BindingState(db);
    this.decisionInstances = new DecisionInstanceState(db);
    this.correlatedMessages = new CorrelatedMessageState(db);
    this.compensations = new CompensationState(db);
  }
}
