// Messages: publish (buffered until its time-to-live, a duplicate message id refused), correlate
// (immediately, or not at all), message start events (one instance per correlation key at a time).
import { EngineError, invalidArgument, notFound } from '../errors.ts';
import type { Interpreter } from '../runtime/interpreter.ts';
import { TENANT } from '../runtime/interpreter.ts';
import type { Tx } from '../runtime/tx.ts';
import type { StartSubscription } from '../state/messages.ts';
import type { ProcessInstanceRow } from '../state/rows.ts';

export interface PublishMessageRequest {
  name: string;
  correlationKey?: string;
  /** Milliseconds the message stays buffered; 0 = correlate now or never. */
  timeToLive?: number;
  messageId?: string;
  variables?: Record<string, unknown>;
}

/**
 * Correlates a message to the open subscriptions and message start events, at most once per process
 * (BPMN process id, any version): Zeebe's message cardinality
 * (https://docs.camunda.io/docs/components/concepts/messages/#message-cardinality). Subscriptions of
 * different processes each get it; of one process, the oldest that can take it now.
 */
function correlateEverywhere(
  tx: Tx,
  it: Interpreter,
  messageKey: number,
  name: string,
  correlationKey: string,
  variables: Record<string, unknown>,
): number[] {
  const instances: number[] = [];
  const messages = it.state.messages;
  for (const s of messages.subscriptionsFor(name, correlationKey)) {
    if (messages.hasCorrelatedTo(messageKey, s.process_id)) continue;
    const sub = messages.subscription(s.key);
    if (!sub) continue;
    if (it.correlate(tx, sub, messageKey, variables)) instances.push(sub.process_instance_key);
  }
  for (const start of messages.startSubscriptions(name)) {
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
    if (it.state.messages.isStartKeyRunning(start.process_id, correlationKey)) return null;
  }
  if (it.state.messages.hasCorrelatedTo(messageKey, start.process_id)) return null;
  const def = it.definition(start.process_definition_key);
  const pi = it.createProcessInstance(
    tx,
    def,
    {},
    { startElementId: start.element_id, trigger: { variables } },
  );
  it.state.messages.markCorrelatedTo(messageKey, start.process_id);
  it.state.messages.markCorrelated(messageKey, pi);
  if (correlationKey !== '') it.state.messages.lockStartKey(start.process_id, correlationKey, pi);
  it.state.correlatedMessages.insert({
    messageKey,
    subscriptionKey: start.process_definition_key,
    correlationKey,
    correlationTime: tx.now,
    elementId: start.element_id,
    elementInstanceKey: null,
    messageName: start.message_name,
    processId: start.process_id,
    processDefinitionKey: start.process_definition_key,
    processInstanceKey: pi,
    tenantId: TENANT,
  });
  tx.record('MESSAGE', 'CORRELATED', messageKey, pi, start.element_id, {
    messageName: start.message_name,
    correlationKey,
  });
  return pi;
}

/** When an instance started by a message ends, the next buffered message for its key may start one. */
export function onProcessEnded(tx: Tx, it: Interpreter, pi: ProcessInstanceRow): void {
  const lock = it.state.messages.releaseStartKey(pi.key);
  if (!lock) return;
  const def = it.latestDefinition(lock.process_id);
  if (!def) return;
  for (const elementId of def.model.messageStartEvents) {
    const name = def.model.elements[elementId]!.event!.messageName!;
    const msg = it.state.messages.oldestNotCorrelatedTo(name, lock.correlation_key, tx.now, lock.process_id);
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
  // Zeebe's message uniqueness is name + correlation key + id
  // (https://docs.camunda.io/docs/components/concepts/messages/#message-uniqueness)
  if (req.messageId) {
    if (it.state.messages.hasLiveMessageId(req.name, correlationKey, req.messageId, tx.now)) {
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
    it.state.messages.insertMessage({
      key,
      name: req.name,
      correlationKey,
      messageId: req.messageId ?? null,
      variables: JSON.stringify(variables),
      published: tx.now,
      deadline: tx.now + ttl,
      tenantId: TENANT,
    });
    tx.wakeAt(tx.now + ttl);
  }
  correlateEverywhere(tx, it, key, req.name, correlationKey, variables);
  if (ttl === 0) it.state.messages.forgetCorrelations(key);
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
  it.state.messages.forgetCorrelations(key);
  if (instances.length === 0) {
    throw notFound(
      `Expected to find subscription for message with name '${req.name}' and correlation key '${correlationKey}', but none was found.`,
    );
  }
  return { messageKey: String(key), tenantId: TENANT, processInstanceKey: String(instances[0]) };
}

/** Drops messages whose time-to-live has passed. */
export function expireMessages(tx: Tx, it: Interpreter): void {
  for (const m of it.state.messages.expired(tx.now)) {
    it.state.messages.deleteMessage(m.key);
    tx.record('MESSAGE', 'EXPIRED', m.key, null, null, null);
  }
}
