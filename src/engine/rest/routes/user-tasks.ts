// Camunda user tasks: search, get, form, assign, unassign, update, complete, variables.
import { setMaxListeners } from 'node:events';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Engine } from '../../engine.ts';
import type { FormItem, UserTaskItem, VariableItem } from '../../queries.ts';
import { type Params, type RouteContext, sendProblem } from '../context.ts';
import { invalidArgument, ProblemError } from '../problem.ts';
import { compact, type EntitySpec, type FilterKind, type Item, parseSearch, runSearch } from '../search.ts';
import { bodyOf, pathKey, Violations } from '../validate.ts';
import { variableResult } from './variables.ts';

type Task = UserTaskItem & Item;

// Camunda 8.8's UserTaskFilter (orchestration-cluster-api 8.8 zUserTaskFilter): assignee, candidateGroup,
// candidateUser and tenantId are StringFilterProperty ($eq, $neq, $exists, $in, $notIn, $like); the state is
// an enum filter; priority and the dates are ordered; the rest take plain values.
const KINDS: Record<string, FilterKind> = {
  state: 'enum',
  assignee: 'string',
  priority: 'ordered',
  elementId: 'plain',
  name: 'plain',
  candidateGroup: 'string',
  candidateUser: 'string',
  tenantId: 'string',
  processDefinitionId: 'plain',
  creationDate: 'ordered',
  completionDate: 'ordered',
  followUpDate: 'ordered',
  dueDate: 'ordered',
  userTaskKey: 'plain',
  processDefinitionKey: 'plain',
  processInstanceKey: 'plain',
  elementInstanceKey: 'plain',
};

/** Camunda 8.8's FormResult: the form's JSON schema as a string, as deployed. */
export function formResult(form: FormItem): Item {
  return {
    tenantId: form.tenantId,
    formId: form.formId,
    schema: form.schema,
    version: form.version,
    formKey: form.formKey,
  };
}

export function userTaskResult(t: UserTaskItem): Item {
  return compact(t as unknown as Item);
}

const variablesOf = (engine: Engine, filter: Record<string, unknown>): VariableItem[] =>
  engine.searchVariables({ filter, page: { limit: 10_000 } }).items;

const FILTERS = [...Object.keys(KINDS), 'processInstanceVariables', 'localVariables'];
const SORTS = ['creationDate', 'completionDate', 'followUpDate', 'dueDate', 'priority', 'name'];

// Every filter and sort runs in the engine's SQL (src/engine/search-sql.ts): candidateGroup / candidateUser
// against an entry of the task's list, the variable filters through the variables (name, value) index.
function taskSpec(engine: Engine): EntitySpec<Task> {
  return {
    name: 'user task',
    search: (req) => engine.searchUserTasks(req) as ReturnType<EntitySpec<Task>['search']>,
    filters: FILTERS,
    kinds: KINDS,
    pushable: new Set(FILTERS),
    sortFields: SORTS,
    pushableSort: new Set(SORTS),
    keyField: 'userTaskKey',
  };
}

/**
 * Camunda answers an assignment, update or completion once the task listeners of its event are done, and rejects
 * it (409) when one of them denied it: https://docs.camunda.io/docs/components/concepts/user-task-listeners/
 * A server that is closing answers 503 at once: the transition stays under way and goes on after a restart.
 */
async function settled(
  ctx: RouteContext,
  key: string,
  reply: FastifyReply,
  closing: AbortSignal,
): Promise<void> {
  // Not AbortSignal.any: it leaves a listener on the long-lived `closing` signal for every request until the
  // composite signal is collected; this one is removed as soon as the request is answered.
  const gone = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableEnded) gone.abort();
  };
  const onClosing = () => gone.abort();
  reply.raw.once('close', onClose);
  closing.addEventListener('abort', onClosing, { once: true });
  try {
    await ctx.engine.read((it) => it.taskListeners.wait(Number(key), gone.signal));
  } finally {
    reply.raw.off('close', onClose);
    closing.removeEventListener('abort', onClosing);
  }
  if (closing.aborted) {
    throw new ProblemError(
      503,
      'UNAVAILABLE',
      `The server is shutting down before the task listeners of user task '${key}' completed`,
    );
  }
}

export function registerUserTaskRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const closing = new AbortController();
  setMaxListeners(0, closing.signal); // one per request waiting for its task listeners, removed when it is answered
  app.addHook('preClose', async () => closing.abort());
  registerReads(app, ctx);
  registerAssignment(app, ctx, closing.signal);
  registerUpdate(app, ctx, closing.signal);
  registerCompletion(app, ctx, closing.signal);
  registerVariableSearch(app, ctx);
}

function registerReads(app: FastifyInstance, ctx: RouteContext): void {
  const { engine } = ctx;
  const tasks = taskSpec(engine);

  app.post('/user-tasks/search', async (request) => {
    const r = runSearch(tasks, parseSearch(tasks, bodyOf(request.body)));
    return { items: r.items.map(userTaskResult), page: r.page };
  });

  app.get<Params<'userTaskKey'>>('/user-tasks/:userTaskKey', async (request, reply) => {
    const key = pathKey(request.params.userTaskKey, 'userTaskKey');
    try {
      return userTaskResult(engine.getUserTask(key));
    } catch (e) {
      return sendProblem(reply, e);
    }
  });

  app.get<Params<'userTaskKey'>>('/user-tasks/:userTaskKey/form', async (request, reply) => {
    const key = pathKey(request.params.userTaskKey, 'userTaskKey');
    try {
      const form = engine.getUserTaskForm(key);
      if (!form) return reply.code(204).send();
      return formResult(form);
    } catch (e) {
      return sendProblem(reply, e);
    }
  });
}

function registerAssignment(app: FastifyInstance, ctx: RouteContext, closing: AbortSignal): void {
  const { engine } = ctx;
  app.post<Params<'userTaskKey'>>('/user-tasks/:userTaskKey/assignment', async (request, reply) => {
    const key = pathKey(request.params.userTaskKey, 'userTaskKey');
    const body = bodyOf(request.body, false);
    const v = new Violations();
    const assignee = v.requiredString(body, 'assignee');
    const allowOverride = v.boolean(body, 'allowOverride');
    const action = v.optionalString(body, 'action');
    v.check();
    try {
      await engine.submit(() =>
        engine.assignUserTask(key, {
          assignee: assignee!,
          ...(allowOverride !== undefined ? { allowOverride } : {}),
          ...(action !== undefined ? { action } : {}),
        }),
      );
      await settled(ctx, key, reply, closing);
      return reply.code(204).send();
    } catch (e) {
      return sendProblem(reply, e, 'ASSIGN');
    }
  });

  app.delete<Params<'userTaskKey'>>('/user-tasks/:userTaskKey/assignee', async (request, reply) => {
    const key = pathKey(request.params.userTaskKey, 'userTaskKey');
    try {
      await engine.submit(() => engine.unassignUserTask(key));
      await settled(ctx, key, reply, closing);
      return reply.code(204).send();
    } catch (e) {
      return sendProblem(reply, e, 'ASSIGN');
    }
  });
}

function registerUpdate(app: FastifyInstance, ctx: RouteContext, closing: AbortSignal): void {
  const { engine } = ctx;
  app.patch<Params<'userTaskKey'>>('/user-tasks/:userTaskKey', async (request, reply) => {
    const key = pathKey(request.params.userTaskKey, 'userTaskKey');
    const body = bodyOf(request.body);
    const v = new Violations();
    const raw = body.changeset;
    const changeset: Record<string, unknown> = {};
    if (raw !== undefined && raw !== null) {
      if (typeof raw !== 'object' || Array.isArray(raw))
        v.add('The value for changeset must be a JSON object');
      else {
        const c = raw as Record<string, unknown>;
        for (const f of ['dueDate', 'followUpDate'] as const) {
          const d = c[f];
          if (d === undefined) continue;
          if (d !== null && (typeof d !== 'string' || Number.isNaN(Date.parse(d)))) {
            v.add(
              `The provided ${f} '${String(d)}' cannot be parsed as a date according to RFC 3339, section 5.6`,
            );
          } else changeset[f] = d;
        }
        const groups = v.stringArray(c, 'candidateGroups');
        if (groups) changeset.candidateGroups = groups;
        const users = v.stringArray(c, 'candidateUsers');
        if (users) changeset.candidateUsers = users;
        const priority = v.integer(c, 'priority', { min: 0, minText: 'between 0 and 100' });
        if (priority !== undefined) {
          if (priority > 100) v.add(`The value for priority is '${priority}' but must be between 0 and 100`);
          else changeset.priority = priority;
        }
      }
    }
    const action = v.optionalString(body, 'action');
    if (Object.keys(changeset).length === 0 && (body.action === undefined || body.action === null)) {
      v.add(
        'No update data provided. Provide at least an "action" or a non-null value for a supported attribute in the "changeset"',
      );
    }
    v.check();
    try {
      await engine.submit(() => engine.updateUserTask(key, changeset, action));
      await settled(ctx, key, reply, closing);
      return reply.code(204).send();
    } catch (e) {
      return sendProblem(reply, e, 'UPDATE');
    }
  });
}

function registerCompletion(app: FastifyInstance, ctx: RouteContext, closing: AbortSignal): void {
  const { engine } = ctx;
  app.post<Params<'userTaskKey'>>('/user-tasks/:userTaskKey/completion', async (request, reply) => {
    const key = pathKey(request.params.userTaskKey, 'userTaskKey');
    const body = bodyOf(request.body);
    const v = new Violations();
    const variables = v.variables(body);
    const action = v.optionalString(body, 'action');
    v.check();
    try {
      await engine.submit(() =>
        engine.completeUserTask(key, {
          ...(variables ? { variables } : {}),
          ...(action !== undefined ? { action } : {}),
        }),
      );
      await settled(ctx, key, reply, closing);
      return reply.code(204).send();
    } catch (e) {
      return sendProblem(reply, e, 'COMPLETE');
    }
  });
}

function registerVariableSearch(app: FastifyInstance, ctx: RouteContext): void {
  const { engine } = ctx;
  app.post<Params<'userTaskKey'> & { Querystring: { truncateValues?: string } }>(
    '/user-tasks/:userTaskKey/variables/search',
    async (request, reply) => {
      const key = pathKey(request.params.userTaskKey, 'userTaskKey');
      let task: UserTaskItem;
      try {
        task = engine.getUserTask(key);
      } catch (e) {
        return sendProblem(reply, e);
      }
      const body = bodyOf(request.body);
      const filter = (body.filter ?? {}) as Record<string, unknown>;
      for (const f of Object.keys(filter))
        if (f !== 'name')
          throw invalidArgument([`Unknown filter field '${f}' for user task variable search`]);
      // The variables a task sees: its own scope and every enclosing scope, the innermost value winning.
      const scopes = scopeChain(engine, task);
      const visible = new Map<string, VariableItem>();
      for (const scope of scopes) {
        for (const variable of variablesOf(engine, { scopeKey: scope }))
          if (!visible.has(variable.name)) visible.set(variable.name, variable);
      }
      const spec: EntitySpec<VariableItem & Item> = {
        name: 'user task variable',
        search: () => ({
          items: [...visible.values()] as Array<VariableItem & Item>,
          page: { totalItems: visible.size },
        }),
        filters: ['name'],
        pushable: new Set(),
        sortFields: ['value', 'name', 'tenantId', 'variableKey', 'scopeKey', 'processInstanceKey'],
        pushableSort: new Set(),
        keyField: 'variableKey',
      };
      const truncate = request.query.truncateValues !== 'false';
      const r = runSearch(spec, parseSearch(spec, body));
      return { items: r.items.map((x) => variableResult(x, truncate)), page: r.page };
    },
  );
}

function scopeChain(engine: RouteContext['engine'], task: UserTaskItem): string[] {
  const chain: string[] = [];
  let current: string | null = task.elementInstanceKey;
  for (let i = 0; current && i < 100; i++) {
    chain.push(current);
    if (current === task.processInstanceKey) break;
    try {
      current = engine.getElementInstance(current).flowScopeKey;
    } catch {
      break;
    }
  }
  if (!chain.includes(task.processInstanceKey)) chain.push(task.processInstanceKey);
  return chain;
}
