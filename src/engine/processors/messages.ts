// Messages: publish (buffered until its time-to-live, a duplicate message id refused), correlate
// (immediately, or not at all), message start events (one instance per correlation key at a time).
import { EngineError, invalidArgument, notFound } from '../errors.ts';
import type { Interpreter } from '../runtime/interpreter.ts';
import { TENANT } from '../runtime/interpreter.ts';
import type { Tx } from '../runtime/tx.ts';
import type { MessageRow, MessageSubscriptionRow, ProcessInstanceRow } from '../state/rows.ts';

export interface PublishMessageRequest {
  name: string;
  correlationKey?: string;
  /** Milliseconds the message stays buffered; 0 = correlate now or never. */
  timeToLive?: number;
  messageId?: string;
  variables?: Record<string, unknown>;
}

interface StartSubscription {
  process_definition_key: number;
  process_id: string;
  element_id: string;
  message_name: string;
}

/** Correlates a message to the open subscriptions (one per process instance) and message start events. */
function correlateEverywhere(
  tx: Tx,
  it: Interpreter,
  messageKey: number,
  name: string,
  correlationKey: string,
  variables: Record<string, unknown>,
): number[] {
  const instances: number[] = [];
  const subs = it.db
    .q('SELECT * FROM message_subscriptions WHERE message_name = ? AND correlation_key = ? ORDER BY key')
    .all(name, correlationKey) as MessageSubscriptionRow[];
  const seen = new Set<number>();
  for (const s of subs) {
    if (seen.has(s.process_instance_key)) continue;
    const sub = it.db.q('SELECT * FROM message_subscriptions WHERE key = ?').get(s.key) as
      | MessageSubscriptionRow
      | undefined;
    if (!sub) continue;
    if (it.correlate(tx, sub, messageKey, variables)) {
      seen.add(sub.process_instance_key);
      instances.push(sub.process_instance_key);
    }
  }
  const starts = it.db
    .q(
      `SELECT s.* FROM message_start_subscriptions s WHERE s.message_name = ?
       AND s.process_definition_key = (SELECT key FROM process_definitions d WHERE d.process_id = s.process_id ORDER BY version DESC LIMIT 1)`,
    )
    .all(name) as StartSubscription[];
  for (const start of starts) {
    const pi = startByMessage(tx, it, start, messageKey, correlationKey, variables);
    if (pi !== null) instances.push(pi);
  }
  return instances;
}

function startByMessage(
  tx: Tx,
  it: Interpreter,
  start: StartSubscription,
  messageKey: number,
  correlationKey: string,
  variables: Record<string, unknown>,
): number | null {
  if (correlationKey !== '') {
    const running = it.db
      .q('SELECT 1 FROM message_start_instances WHERE process_id = ? AND correlation_key = ?')
      .get(start.process_id, correlationKey);
    if (running) return null;
  }
  const done = it.db
    .q('SELECT 1 FROM message_start_correlations WHERE message_key = ? AND process_id = ?')
    .get(messageKey, start.process_id);
  if (done) return null;
  const def = it.definition(start.process_definition_key);
  const pi = it.createProcessInstance(
    tx,
    def,
    {},
    { startElementId: start.element_id, trigger: { variables } },
  );
  it.db
    .q('INSERT INTO message_start_correlations (message_key, process_id) VALUES (?, ?)')
    .run(messageKey, start.process_id);
  it.db
    .q('INSERT OR IGNORE INTO message_correlations (message_key, process_instance_key) VALUES (?, ?)')
    .run(messageKey, pi);
  if (correlationKey !== '') {
    it.db
      .q(
        'INSERT INTO message_start_instances (process_id, correlation_key, process_instance_key) VALUES (?, ?, ?)',
      )
      .run(start.process_id, correlationKey, pi);
  }
  tx.record('MESSAGE', 'CORRELATED', messageKey, pi, start.element_id, {
    messageName: start.message_name,
    correlationKey,
  });
  return pi;
}

/** When an instance started by a message ends, the next buffered message for its key may start one. */
export function onProcessEnded(tx: Tx, it: Interpreter, pi: ProcessInstanceRow): void {
  const lock = it.db
    .q('SELECT process_id, correlation_key FROM message_start_instances WHERE process_instance_key = ?')
    .get(pi.key) as { process_id: string; correlation_key: string } | undefined;
  if (!lock) return;
  it.db.q('DELETE FROM message_start_instances WHERE process_instance_key = ?').run(pi.key);
  const def = it.latestDefinition(lock.process_id);
  if (!def) return;
  for (const elementId of def.model.messageStartEvents) {
    const name = def.model.elements[elementId]!.event!.messageName!;
    const msg = it.db
      .q(
        `SELECT * FROM messages WHERE name = ? AND correlation_key = ? AND deadline > ?
           AND key NOT IN (SELECT message_key FROM message_start_correlations WHERE process_id = ?)
         ORDER BY key LIMIT 1`,
      )
      .get(name, lock.correlation_key, tx.now, lock.process_id) as MessageRow | undefined;
    if (!msg) continue;
    const start = {
      process_definition_key: def.key,
      process_id: def.processId,
      element_id: elementId,
      message_name: name,
    };
    tx.queue.push({
      kind: 'RUN',
      run: () =>
        startByMessage(
          tx,
          it,
          start,
          msg.key,
          msg.correlation_key,
          JSON.parse(msg.variables) as Record<string, unknown>,
        ),
    });
    return;
  }
}

function validate(req: PublishMessageRequest): void {
  if (!req.name) throw invalidArgument('Expected a message name, but it was empty');
  if (req.timeToLive !== undefined && !(req.timeToLive >= 0)) {
    throw invalidArgument(`Expected timeToLive to be zero or more, but was ${req.timeToLive}`);
  }
}

export function publishMessage(
  tx: Tx,
  it: Interpreter,
  req: PublishMessageRequest,
): { messageKey: string; tenantId: string } {
  validate(req);
  const correlationKey = req.correlationKey ?? '';
  const ttl = req.timeToLive ?? 0;
  if (req.messageId) {
    const dup = it.db
      .q('SELECT 1 FROM messages WHERE name = ? AND message_id = ? AND deadline > ?')
      .get(req.name, req.messageId, tx.now);
    if (dup) {
      throw new EngineError(
        'ALREADY_EXISTS',
        `Expected to publish a new message with id '${req.messageId}', but a message with that id was already published`,
      );
    }
  }
  const key = it.key();
  const variables = req.variables ?? {};
  tx.record('MESSAGE', 'PUBLISHED', key, null, null, {
    name: req.name,
    correlationKey,
    timeToLive: ttl,
    messageId: req.messageId ?? null,
  });
  if (ttl > 0) {
    it.db
      .q(
        'INSERT INTO messages (key, name, correlation_key, message_id, variables, published, deadline, tenant_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        key,
        req.name,
        correlationKey,
        req.messageId ?? null,
        JSON.stringify(variables),
        tx.now,
        tx.now + ttl,
        TENANT,
      );
    tx.wakeAt(tx.now + ttl);
  }
  correlateEverywhere(tx, it, key, req.name, correlationKey, variables);
  return { messageKey: String(key), tenantId: TENANT };
}

export function correlateMessage(
  tx: Tx,
  it: Interpreter,
  req: Omit<PublishMessageRequest, 'timeToLive' | 'messageId'>,
): { messageKey: string; tenantId: string; processInstanceKey: string } {
  validate(req);
  const correlationKey = req.correlationKey ?? '';
  const key = it.key();
  tx.record('MESSAGE_CORRELATION', 'CORRELATING', key, null, null, { name: req.name, correlationKey });
  const instances = correlateEverywhere(tx, it, key, req.name, correlationKey, req.variables ?? {});
  if (instances.length === 0) {
    throw notFound(
      `Expected to find subscription for message with name '${req.name}' and correlation key '${correlationKey}', but none was found.`,
    );
  }
  return { messageKey: String(key), tenantId: TENANT, processInstanceKey: String(instances[0]) };
}

/** Drops messages whose time-to-live has passed. */
export function expireMessages(tx: Tx, it: Interpreter): void {
  const expired = it.db.q('SELECT key FROM messages WHERE deadline <= ? LIMIT 1000').all(tx.now) as Array<{
    key: number;
  }>;
  for (const m of expired) {
    it.db.q('DELETE FROM messages WHERE key = ?').run(m.key);
    it.db.q('DELETE FROM message_correlations WHERE message_key = ?').run(m.key);
    it.db.q('DELETE FROM message_start_correlations WHERE message_key = ?').run(m.key);
    tx.record('MESSAGE', 'EXPIRED', m.key, null, null, null);
  }
}
