// The engine's append-only event log as its API returns it (for an operations view and audit): moved out of
// engine.ts so that the engine's command surface keeps within the file limit.
import { parseKey } from './keys.ts';
import type { Interpreter } from './runtime/interpreter.ts';

export interface EventLogFilter {
  processInstanceKey?: string | number;
  afterPosition?: number;
  limit?: number;
}

export interface EventLogRecord {
  position: number;
  key: string;
  timestamp: string;
  valueType: string;
  intent: string;
  processInstanceKey: string | null;
  elementId: string | null;
  value: Record<string, unknown> | null;
}

export function eventLog(it: Interpreter, filter: EventLogFilter = {}): EventLogRecord[] {
  const after = filter.afterPosition ?? 0;
  const limit = filter.limit ?? 1000;
  const instance =
    filter.processInstanceKey !== undefined
      ? parseKey(filter.processInstanceKey, 'processInstanceKey')
      : undefined;
  const rows = it.state.records.list(after, limit, instance);
  return rows.map((r) => ({
    position: r.position,
    key: String(r.key),
    timestamp: new Date(r.timestamp).toISOString(),
    valueType: r.value_type,
    intent: r.intent,
    processInstanceKey: r.process_instance_key === null ? null : String(r.process_instance_key),
    elementId: r.element_id,
    value: r.value ? (JSON.parse(r.value) as Record<string, unknown>) : null,
  }));
}
