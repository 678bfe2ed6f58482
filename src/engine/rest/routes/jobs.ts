// Jobs: activation with long polling, completion, failure, BPMN error, update (retries, timeout), search.
import { setMaxListeners } from 'node:events';
import type { FastifyInstance } from 'fastify';
import type { JobItem } from '../../queries.ts';
import { type Params, type RouteContext, sendProblem } from '../context.ts';
import { jobResult } from '../job-result.ts';
import { compact, type EntitySpec, type Item, parseSearch, runSearch } from '../search.ts';
import { bodyOf, pathKey, Violations } from '../validate.ts';

/** Longest wait between two activation attempts, in case a job became due without a notification. */
const RECHECK_MS = 1_000;

export function registerJobRoutes(app: FastifyInstance, ctx: RouteContext): void {
  registerActivation(app, ctx);
  registerCompletion(app, ctx);
  registerFailure(app, ctx);
  registerError(app, ctx);
  registerUpdate(app, ctx);
  registerSearch(app, ctx);
}

function registerActivation(app: FastifyInstance, ctx: RouteContext): void {
  const { engine } = ctx;
  // A server that is closing answers its waiting long polls at once (with the jobs they have, none), so that
  // `close()` does not wait out every worker's poll and a restart is not held up by it.
  const closing = new AbortController();
  // one listener per long poll in flight, removed when it answers: many workers legitimately hold more than ten
  setMaxListeners(0, closing.signal);
  app.addHook('preClose', async () => closing.abort());
  // Workers long-poll here all the time (every job type, every few seconds): only this route's warnings and errors
  // are logged, so its request lines do not drown the ones an administrator needs.
  app.post('/jobs/activation', { logLevel: 'warn' }, async (request, reply) => {
    const body = bodyOf(request.body, false);
    const v = new Violations();
    const type = v.requiredString(body, 'type');
    const timeout = v.integer(body, 'timeout', { required: true, min: 1, minText: 'greater than 0' });
    const max = v.integer(body, 'maxJobsToActivate', { required: true, min: 1, minText: 'greater than 0' });
    const worker = v.optionalString(body, 'worker');
    const fetchVariable = v.stringArray(body, 'fetchVariable');
    const requestTimeout = v.integer(body, 'requestTimeout');
    const tenantIds = v.stringArray(body, 'tenantIds');
    if (tenantIds) for (const t of tenantIds) v.tenant({ tenantId: t });
    v.check();

    // Camunda: requestTimeout 0 or absent → the default long-poll time; negative → answer at once.
    const wait =
      requestTimeout === undefined || requestTimeout === 0
        ? ctx.defaultLongPollMs
        : Math.max(0, requestTimeout);
    const deadline = Date.now() + wait;
    const abort = new AbortController();
    // The response's 'close' before it was written means the client went away (the request's own 'close'
    // fires as soon as its body has been read).
    const onClose = () => {
      if (!reply.raw.writableEnded) abort.abort();
    };
    reply.raw.once('close', onClose);
    const onClosing = () => abort.abort();
    closing.signal.addEventListener('abort', onClosing, { once: true });
    // Jobs of the type committed while an attempt is on its way (its answer settles after its batch's COMMIT, and
    // the batch's notifications fire before that): the poll must try again at once, not wait for a notification
    // that has passed. An activation and the completion that creates the next job often share a batch, the
    // activation first — the workers' thread's next poll reaches the server with the handler's completion — and
    // each such step waited RECHECK_MS (issue #17: ~1 s an instance one at a time, with the workers on a thread).
    let notified = false;
    const unsubscribe = engine.onJobsAvailable((t) => {
      if (t === type) notified = true;
    });
    try {
      for (;;) {
        if (closing.signal.aborted) return { jobs: [] };
        if (abort.signal.aborted) return reply; // the client went away: activate nothing for it
        notified = false;
        const jobs = await engine.submit(() =>
          engine.activateJobs({
            type: type!,
            maxJobsToActivate: max!,
            timeout: timeout!,
            ...(worker !== undefined ? { worker } : {}),
            ...(fetchVariable ? { fetchVariable } : {}),
          }),
        );
        const left = deadline - Date.now();
        if (jobs.length > 0 || left <= 0)
          return { jobs: jobs.map((j) => ({ ...j, worker: j.worker ?? '' })) };
        if (!notified) await engine.waitForJobs(type!, Math.min(left, RECHECK_MS), abort.signal);
      }
    } catch (e) {
      return sendProblem(reply, e, 'ACTIVATE');
    } finally {
      unsubscribe();
      reply.raw.off('close', onClose);
      closing.signal.removeEventListener('abort', onClosing);
    }
  });
}

function registerCompletion(app: FastifyInstance, ctx: RouteContext): void {
  const { engine } = ctx;
  app.post<Params<'jobKey'>>('/jobs/:jobKey/completion', async (request, reply) => {
    const key = pathKey(request.params.jobKey, 'jobKey');
    const body = bodyOf(request.body);
    const v = new Violations();
    const variables = v.variables(body);
    const result = jobResult(v, body);
    v.check();
    try {
      await engine.submit(() => engine.completeJob(key, variables ?? {}, result));
      return reply.code(204).send();
    } catch (e) {
      return sendProblem(reply, e, 'COMPLETE');
    }
  });
}

function registerFailure(app: FastifyInstance, ctx: RouteContext): void {
  const { engine } = ctx;
  app.post<Params<'jobKey'>>('/jobs/:jobKey/failure', async (request, reply) => {
    const key = pathKey(request.params.jobKey, 'jobKey');
    const body = bodyOf(request.body);
    const v = new Violations();
    const retries = v.integer(body, 'retries');
    const errorMessage = v.optionalString(body, 'errorMessage');
    const retryBackOff = v.integer(body, 'retryBackOff', { min: 0, minText: '0 or more' });
    const variables = v.variables(body);
    v.check();
    try {
      await engine.submit(() =>
        engine.failJob(key, {
          retries: retries ?? 0,
          ...(errorMessage !== undefined ? { errorMessage } : {}),
          ...(retryBackOff !== undefined ? { retryBackOff } : {}),
          ...(variables ? { variables } : {}),
        }),
      );
      return reply.code(204).send();
    } catch (e) {
      return sendProblem(reply, e, 'FAIL');
    }
  });
}

function registerError(app: FastifyInstance, ctx: RouteContext): void {
  const { engine } = ctx;
  app.post<Params<'jobKey'>>('/jobs/:jobKey/error', async (request, reply) => {
    const key = pathKey(request.params.jobKey, 'jobKey');
    const body = bodyOf(request.body, false);
    const v = new Violations();
    const errorCode = v.requiredString(body, 'errorCode');
    const errorMessage = v.optionalString(body, 'errorMessage');
    const variables = v.variables(body);
    v.check();
    try {
      await engine.submit(() =>
        engine.throwJobError(key, {
          errorCode: errorCode!,
          ...(errorMessage !== undefined ? { errorMessage } : {}),
          ...(variables ? { variables } : {}),
        }),
      );
      return reply.code(204).send();
    } catch (e) {
      return sendProblem(reply, e, 'THROW_ERROR');
    }
  });
}

function registerUpdate(app: FastifyInstance, ctx: RouteContext): void {
  const { engine } = ctx;
  app.patch<Params<'jobKey'>>('/jobs/:jobKey', async (request, reply) => {
    const key = pathKey(request.params.jobKey, 'jobKey');
    const body = bodyOf(request.body, false);
    const v = new Violations();
    const changeset = body.changeset;
    let retries: number | undefined;
    let timeout: number | undefined;
    if (
      changeset === undefined ||
      changeset === null ||
      typeof changeset !== 'object' ||
      Array.isArray(changeset)
    ) {
      v.add('No changeset provided');
    } else {
      const c = changeset as Record<string, unknown>;
      retries = v.integer(c, 'retries', { min: 1, minText: 'greater than 0' });
      timeout = v.integer(c, 'timeout', { min: 1, minText: 'greater than 0' });
      if ((c.retries ?? null) === null && (c.timeout ?? null) === null) {
        v.add('At least one field between retries, timeout is required');
      }
    }
    v.integer(body, 'operationReference', { min: 1, minText: '> 0' });
    v.check();
    try {
      await engine.submit(() =>
        engine.updateJob(key, {
          ...(retries !== undefined ? { retries } : {}),
          ...(timeout !== undefined ? { timeout } : {}),
        }),
      );
      return reply.code(204).send();
    } catch (e) {
      return sendProblem(reply, e, 'UPDATE');
    }
  });
}

const JOB_FIELDS = [
  'deadline',
  'deniedReason',
  'elementId',
  'elementInstanceKey',
  'endTime',
  'errorCode',
  'errorMessage',
  'hasFailedWithRetriesLeft',
  'isDenied',
  'jobKey',
  'kind',
  'listenerEventType',
  'processDefinitionId',
  'processDefinitionKey',
  'processInstanceKey',
  'retries',
  'state',
  'tenantId',
  'type',
  'worker',
];

const JOB_PUSHABLE = [
  'jobKey',
  'type',
  'worker',
  'processInstanceKey',
  'processDefinitionKey',
  'processDefinitionId',
  'elementInstanceKey',
  'elementId',
  'retries',
  'kind',
  'listenerEventType',
];

function registerSearch(app: FastifyInstance, ctx: RouteContext): void {
  const { engine } = ctx;
  const jobs: EntitySpec<JobItem & Item> = {
    name: 'job',
    // Camunda's job states know no ACTIVATED: an activated job is still CREATED until it ends.
    search: (req) => {
      const r = engine.searchJobs(req);
      return {
        ...r,
        items: r.items.map((j) => (j.state === 'ACTIVATED' ? { ...j, state: 'CREATED' } : j)),
      } as ReturnType<EntitySpec<JobItem & Item>['search']>;
    },
    filters: JOB_FIELDS,
    pushable: new Set(JOB_PUSHABLE),
    sortFields: JOB_FIELDS.filter((f) => f !== 'hasFailedWithRetriesLeft'),
    pushableSort: new Set(JOB_PUSHABLE),
    keyField: 'jobKey',
  };

  app.post('/jobs/search', async (request) => {
    const r = runSearch(jobs, parseSearch(jobs, bodyOf(request.body)));
    return { items: r.items.map((j) => compact({ ...j, worker: j.worker ?? '' })), page: r.page };
  });
}
