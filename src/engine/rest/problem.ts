// RFC 9457 problem details as Camunda's REST gateway writes them: `title` is the rejection type
// (INVALID_ARGUMENT, NOT_FOUND, INVALID_STATE, …), `detail` says what was expected, `instance` is the path.
// Command rejections read "Command '<INTENT>' rejected with code '<TYPE>': <reason>" as in Camunda.
import { EngineError } from '../errors.ts';

export interface ProblemDetail {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
}

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'ProblemError';
  }
}

/** 400 with Camunda's wording: violations joined with '. ', ending with a full stop. */
export function invalidArgument(violations: string[]): ProblemError {
  let detail = violations.join('. ');
  if (!detail.endsWith('.')) detail += '.';
  return new ProblemError(400, 'INVALID_ARGUMENT', detail);
}

export function notFoundProblem(detail: string): ProblemError {
  return new ProblemError(404, 'NOT_FOUND', detail);
}

const TITLES: Record<string, string> = {
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  NOT_FOUND: 'NOT_FOUND',
  INVALID_STATE: 'INVALID_STATE',
  ALREADY_EXISTS: 'ALREADY_EXISTS',
  DEPLOYMENT_REJECTED: 'INVALID_ARGUMENT',
};

/**
 * Maps an error thrown by the engine onto a problem. `intent` is the command's name in Camunda's
 * record protocol (COMPLETE, CREATE, …); without it (queries) the engine's message is the detail.
 */
export function toProblem(error: unknown, intent?: string): ProblemError {
  if (error instanceof ProblemError) return error;
  if (error instanceof EngineError) {
    const title = TITLES[error.code] ?? error.code;
    const status = error.code === 'DEPLOYMENT_REJECTED' ? 400 : error.status;
    const detail = intent
      ? `Command '${intent}' rejected with code '${title}': ${error.message}`
      : error.message;
    return new ProblemError(status, title, detail);
  }
  // queries.ts tags refused filters with code INVALID_ARGUMENT on a plain Error
  if (error instanceof Error && (error as { code?: unknown }).code === 'INVALID_ARGUMENT') {
    return invalidArgument([error.message]);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProblemError(
    500,
    error instanceof Error ? error.name : 'Error',
    `Unexpected error occurred during the request processing: ${message}`,
  );
}

export function problemBody(problem: ProblemError, instance: string): ProblemDetail {
  return {
    type: 'about:blank',
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    instance,
  };
}
