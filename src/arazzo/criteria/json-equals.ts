/**
 * Structural equality of JSON values: same type, same members, arrays in order. Strings compare
 * exactly; callers that want case-insensitivity handle strings before calling this.
 */
import type { JsonValue } from '../model.js';

/** Deep equality of two JSON values (object member order does not matter). */
export function jsonEquals(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => jsonEquals(item, b[index] as JsonValue));
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every(
    (key) =>
      Object.prototype.hasOwnProperty.call(b, key) && jsonEquals(a[key] as JsonValue, b[key] as JsonValue),
  );
}
