// The append-only event log as the engine's records() answers it (moved out of engine.ts, which is at its size).
import { parseKey } from './keys.ts';
import type { RecordState } from './state/records.ts';

export interface RecordFilter {
  processInstanceKey?: string | number;
  afterPosition?: number;
  limit?: number;
}

export interface RecordItem {
  position: number;
  key: string;
  timestamp: string;
  valueType: string;
  intent: string;
  processInstanceKey: string | null;
  elementId: string | null;
  value: Record<string, unknown> | null;
}

export function listRecords(records: RecordState, filter: RecordFilter): RecordItem[] {
  const after = filter.afterPosition ?? 0;
  const limit = filter.limit ?? 1000;
  const instance =
    filter.processInstanceKey !== undefined
      ? parseKey(filter.processInstanceKey, 'processInstanceKey')
      : undefined;
  return records.list(after, limit, instance).map((r) => ({
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
