// Batch operations (Camunda 8.8): created from a process-instance filter — cancel
// (POST /process-instances/cancellation), resolve incidents (POST /process-instances/incident-resolution), migrate
// (POST /process-instances/migration, with a migration plan) and move tokens (POST /process-instances/modification,
// with move instructions) —,
// then read (GET /batch-operations/{key}, POST /batch-operations/search, POST /batch-operation-items/search) and
// steered (POST /batch-operations/{key}/cancellation | suspension | resumption). The runner is
// src/engine/batch-operations.ts.
import type { FastifyInstance } from 'fastify';
import type {
  BatchOperationItem,
  BatchOperationItemItem,
  BatchPayload,
  BatchType,
  MoveInstruction,
} from '../../batch-operations.ts';
import type { Engine } from '../../engine.ts';
import { type Params, type RouteContext, sendProblem } from '../context.ts';
import { compact, type EntitySpec, type FilterKind, type Item, parseSearch, runSearch } from '../search.ts';
import { type Body, bodyOf, pathKey, show, Violations } from '../validate.ts';
import { instanceSpec } from './process-instances.ts';

function inMemory<T extends Item>(all: () => T[]): EntitySpec<T>['search'] {
  return (req) => {
    const rows = all();
    const from = req.page?.from ?? 0;
    const limit = req.page?.limit ?? rows.length;
    return { items: rows.slice(from, from + limit), page: { totalItems: rows.length } };
  };
}

const BATCH_KINDS: Record<string, FilterKind> = {
  batchOperationKey: 'key',
  operationType: 'enum',
  state: 'enum',
};

function batchSpec(engine: Engine): EntitySpec<Item> {
  return {
    name: 'batch operation',
    // Camunda's filter says operationType; the item says batchOperationType
    search: inMemory(() =>
      engine.batches.all().map((b: BatchOperationItem) => ({ ...b, operationType: b.batchOperationType })),
    ),
    filters: Object.keys(BATCH_KINDS),
    kinds: BATCH_KINDS,
    pushable: new Set(),
    sortFields: ['batchOperationKey', 'operationType', 'state', 'startDate', 'endDate'],
    pushableSort: new Set(),
    keyField: 'batchOperationKey',
  };
}

const ITEM_KINDS: Record<string, FilterKind> = {
  batchOperationKey: 'key',
  itemKey: 'key',
  processInstanceKey: 'key',
  state: 'enum',
};

function itemSpec(engine: Engine): EntitySpec<Item> {
  return {
    name: 'batch operation item',
    search: inMemory(() => engine.batches.items() as Array<BatchOperationItemItem & Item>),
    filters: Object.keys(ITEM_KINDS),
    kinds: ITEM_KINDS,
    pushable: new Set(),
    sortFields: ['batchOperationKey', 'itemKey', 'processInstanceKey', 'state'],
    pushableSort: new Set(),
    keyField: 'itemKey',
  };
}

/** A list of `{ <from>, <to> }` pairs of element ids, as the migration plan and the move instructions give them. */
function pairs(v: Violations, value: unknown, field: string, from: string, to: string, required: boolean) {
  if (!Array.isArray(value) || (required && value.length === 0)) {
    v.add(`The value for ${field} is '${show(value)}' but must be a${required ? ' non-empty' : ''} list`);
    return [];
  }
  return value.map((p: Record<string, unknown>, i) => {
    for (const k of [from, to]) {
      if (typeof p?.[k] !== 'string' || p[k] === '') v.add(`No ${field}[${i}].${k} provided`);
    }
    return { [from]: String(p?.[from]), [to]: String(p?.[to]) };
  });
}

/** The migration plan or the move instructions of a migration or modification batch. */
function payloadOf(type: BatchType, body: Body, v: Violations): BatchPayload | null {
  if (type === 'MIGRATE_PROCESS_INSTANCE') {
    const plan = (body.migrationPlan ?? null) as Record<string, unknown> | null;
    if (plan === null || typeof plan !== 'object') {
      v.add('No migrationPlan provided');
      return null;
    }
    const key = plan.targetProcessDefinitionKey;
    if (typeof key !== 'string' || !/^\d{1,19}$/.test(key)) {
      v.add(`The provided migrationPlan.targetProcessDefinitionKey '${show(key)}' is not a valid key`);
    }
    const mappings = pairs(
      v,
      plan.mappingInstructions,
      'migrationPlan.mappingInstructions',
      'sourceElementId',
      'targetElementId',
      false,
    );
    return {
      migrationPlan: {
        targetProcessDefinitionKey: Number(key),
        mappingInstructions: mappings as Array<{ sourceElementId: string; targetElementId: string }>,
      },
    };
  }
  if (type === 'MODIFY_PROCESS_INSTANCE') {
    const moves = pairs(
      v,
      body.moveInstructions,
      'moveInstructions',
      'sourceElementId',
      'targetElementId',
      true,
    );
    return { moveInstructions: moves as unknown as MoveInstruction[] };
  }
  return null;
}

function createBatch(app: FastifyInstance, engine: Engine, path: string, type: BatchType): void {
  const instances = instanceSpec(engine);
  app.post(path, async (request, reply) => {
    const body = bodyOf(request.body);
    const v = new Violations();
    if (body.filter === undefined || body.filter === null) v.add('No filter provided');
    v.integer(body, 'operationReference', { min: 1, minText: '> 0' });
    const payload = payloadOf(type, body, v);
    v.check();
    const { filter } = parseSearch(instances, { filter: body.filter });
    try {
      return engine.batches.create(type, filter, payload);
    } catch (e) {
      return sendProblem(reply, e);
    }
  });
}

export function registerBatchOperationRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { engine } = ctx;
  createBatch(app, engine, '/process-instances/cancellation', 'CANCEL_PROCESS_INSTANCE');
  createBatch(app, engine, '/process-instances/incident-resolution', 'RESOLVE_INCIDENT');
  createBatch(app, engine, '/process-instances/migration', 'MIGRATE_PROCESS_INSTANCE');
  createBatch(app, engine, '/process-instances/modification', 'MODIFY_PROCESS_INSTANCE');
  const batches = batchSpec(engine);
  const items = itemSpec(engine);

  app.get<Params<'batchOperationKey'>>('/batch-operations/:batchOperationKey', async (request, reply) => {
    const key = pathKey(request.params.batchOperationKey, 'batchOperationKey');
    try {
      return compact(engine.batches.get(key) as unknown as Item);
    } catch (e) {
      return sendProblem(reply, e);
    }
  });

  app.post('/batch-operations/search', async (request) => {
    const r = runSearch(batches, parseSearch(batches, bodyOf(request.body)));
    return {
      items: r.items.map(({ operationType: _, ...b }) => compact(b)),
      page: r.page,
    };
  });

  app.post('/batch-operation-items/search', async (request) => {
    const r = runSearch(items, parseSearch(items, bodyOf(request.body)));
    return { items: r.items.map((i) => compact(i)), page: r.page };
  });

  const steer = (what: 'cancellation' | 'suspension' | 'resumption', run: (key: string) => void) =>
    app.post<Params<'batchOperationKey'>>(
      `/batch-operations/:batchOperationKey/${what}`,
      async (request, reply) => {
        const key = pathKey(request.params.batchOperationKey, 'batchOperationKey');
        try {
          run(key);
          return reply.code(204).send();
        } catch (e) {
          return sendProblem(reply, e);
        }
      },
    );
  steer('cancellation', (k) => engine.batches.cancel(k));
  steer('suspension', (k) => engine.batches.suspend(k));
  steer('resumption', (k) => engine.batches.resume(k));
}
