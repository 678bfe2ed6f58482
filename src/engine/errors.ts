// Errors the engine's API raises when a command is rejected. The codes follow Zeebe's rejection
// types so that the REST layer can map them onto Camunda's problem details (status + title).
export type EngineErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'INVALID_STATE'
  | 'ALREADY_EXISTS'
  | 'DEPLOYMENT_REJECTED';

const STATUS: Record<EngineErrorCode, number> = {
  INVALID_ARGUMENT: 400,
  NOT_FOUND: 404,
  INVALID_STATE: 409,
  ALREADY_EXISTS: 409,
  DEPLOYMENT_REJECTED: 400,
};

export class EngineError extends Error {
  readonly code: EngineErrorCode;
  readonly status: number;
  constructor(code: EngineErrorCode, message: string) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    this.status = STATUS[code];
  }
}

export function notFound(message: string): EngineError {
  return new EngineError('NOT_FOUND', message);
}
export function invalidState(message: string): EngineError {
  return new EngineError('INVALID_STATE', message);
}
export function invalidArgument(message: string): EngineError {
  return new EngineError('INVALID_ARGUMENT', message);
}
