// Public surface of the embedded engine.
export { EngineClock } from './clock.ts';
export { Engine, type EngineOptions } from './engine.ts';
export { EngineError, type EngineErrorCode } from './errors.ts';
export { FIRST_KEY } from './keys.ts';
export type { DeploymentResult, DeployResource } from './processors/deploy.ts';
export type { CreateProcessInstanceResult } from './processors/instances.ts';
export type {
  ActivatedJob,
  ActivateJobsRequest,
  FailJobRequest,
  ThrowErrorRequest,
  UpdateJobRequest,
} from './processors/jobs.ts';
export type { PublishMessageRequest } from './processors/messages.ts';
export type { UserTaskChangeset } from './processors/userTasks.ts';
export type * from './queries.ts';
export type { Logger } from './runtime/interpreter.ts';
