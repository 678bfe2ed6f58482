import { invalidArgument } from './errors.ts';

// Zeebe keys: 64-bit integers whose high bits hold the partition id (partition 1 → first key
// 2251799813685249 = 2^51 + 1). Keys stay below 2^53, so JavaScript numbers hold them exactly;
// the API renders them as decimal strings as Camunda does.
export const PARTITION_ID = 1;
export const KEY_BITS = 51;
export const FIRST_KEY = PARTITION_ID * 2 ** KEY_BITS + 1;

export function keyToString(key: number | null | undefined): string | null {
  return key === null || key === undefined ? null : String(key);
}

export function parseKey(value: string | number, what = 'key'): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n) || n <= 0 || (typeof value === 'string' && !/^\d+$/.test(value))) {
    throw invalidArgument(`Expected ${what} to be a positive integer key, but got '${value}'`);
  }
  return n;
}
