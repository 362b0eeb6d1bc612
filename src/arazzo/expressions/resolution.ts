/**
 * The result of looking something up at run time. Missing data is an ordinary outcome in Arazzo
 * (a step that has not run, an absent body field), so lookups return a value or a human-readable
 * reason instead of throwing.
 */
import type { JsonValue } from '../model.js';

export type Resolution = { ok: true; value: JsonValue } | { ok: false; reason: string };

/** A successful resolution. */
export function resolved(value: JsonValue): Resolution {
  return { ok: true, value };
}

/** A failed resolution with a reason a person can act on. */
export function unresolved(reason: string): Resolution {
  return { ok: false, reason };
}
