// How the gateways call the official client: a failure becomes a ProcessEngineError with Camunda's status, title and
// detail (the commands turn it into a problem), and a read can take a 404 as "not there".
import { ProcessEngineError } from './process-gateway.ts';

/** Read what the search side has now. */
export const NOW = { consistency: { waitUpToMs: 0 } } as const;

export function engineError(e: unknown): ProcessEngineError {
  if (e instanceof ProcessEngineError) return e;
  const x = e as { status?: unknown; title?: unknown; detail?: unknown; message?: unknown };
  if (typeof x?.status === 'number') {
    return new ProcessEngineError(
      x.status,
      String(x.title ?? `HTTP ${x.status}`),
      String(x.detail ?? x.message ?? ''),
    );
  }
  return new ProcessEngineError(0, 'UNAVAILABLE', String(x?.message ?? e));
}

/** Runs a client call and turns its failure into a ProcessEngineError. */
export async function call<T>(run: () => PromiseLike<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw engineError(e);
  }
}

/** A read that answers null on 404 instead of failing. */
export async function orNull<T>(run: () => PromiseLike<T>): Promise<T | null> {
  try {
    return await call(run);
  } catch (e) {
    if (e instanceof ProcessEngineError && e.status === 404) return null;
    throw e;
  }
}
