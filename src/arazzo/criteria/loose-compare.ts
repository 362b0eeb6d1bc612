/**
 * The "loose comparison" semantics of `simple` conditions, as clarified by Arazzo 1.1.0:
 * string comparisons are case-insensitive, numeric strings are coerced when compared with numbers,
 * and null equals only null.
 */
import type { JsonValue } from '../model.js';
import type { ComparisonOperator } from './condition-ast.js';
import { jsonEquals } from './json-equals.js';

/** A number written as text (`"42"`, `" -1.5e3 "`); hex, `Infinity` and empty strings are not. */
const NUMERIC_STRING = /^\s*-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*$/;

export type ComparisonResult = { ok: true; value: boolean } | { ok: false; reason: string };

/** Applies a comparison operator with loose semantics; ordering incomparable values is an error. */
export function compareLoosely(
  operator: ComparisonOperator,
  left: JsonValue,
  right: JsonValue,
): ComparisonResult {
  switch (operator) {
    case '==':
      return { ok: true, value: looseEquals(left, right) };
    case '!=':
      return { ok: true, value: !looseEquals(left, right) };
    default: {
      const order = looseOrder(left, right);
      if (typeof order === 'string') return { ok: false, reason: order };
      const value =
        operator === '<'
          ? order < 0
          : operator === '<='
            ? order <= 0
            : operator === '>'
              ? order > 0
              : order >= 0;
      return { ok: true, value };
    }
  }
}

/** Loose equality: see the module comment. Objects and arrays compare structurally. */
export function looseEquals(left: JsonValue, right: JsonValue): boolean {
  // 1.1.0: "null only equals itself".
  if (left === null || right === null) return left === right;
  if (typeof left === 'string' && typeof right === 'string')
    return left.toLowerCase() === right.toLowerCase();
  if (typeof left === 'number' || typeof right === 'number') {
    const a = toNumber(left);
    const b = toNumber(right);
    return a !== undefined && b !== undefined && a === b;
  }
  if (typeof left === 'boolean' || typeof right === 'boolean') {
    const a = toBoolean(left);
    const b = toBoolean(right);
    return a !== undefined && b !== undefined && a === b;
  }
  return jsonEquals(left, right);
}

/**
 * Orders two values: negative, zero or positive; a string describing the problem when they cannot
 * be ordered (null, booleans, objects, or a number against non-numeric text).
 */
export function looseOrder(left: JsonValue, right: JsonValue): number | string {
  if (typeof left === 'number' || typeof right === 'number') {
    const a = toNumber(left);
    const b = toNumber(right);
    if (a === undefined || b === undefined) {
      return `cannot order ${describe(left)} and ${describe(right)}: both must be numbers or numeric strings`;
    }
    return a - b;
  }
  if (typeof left === 'string' && typeof right === 'string') {
    const a = left.toLowerCase();
    const b = right.toLowerCase();
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return `cannot order ${describe(left)} and ${describe(right)}`;
}

/** Truthiness of a bare operand: false, null, 0, '' and 'false' (any case) are false. */
export function isTruthy(value: JsonValue): boolean {
  if (value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  // Header and query values are text, so a header `X-Done: false` must read as false.
  if (typeof value === 'string') return value !== '' && value.toLowerCase() !== 'false';
  return true;
}

function toNumber(value: JsonValue): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMERIC_STRING.test(value)) return Number(value);
  return undefined;
}

function toBoolean(value: JsonValue): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true' || lower === 'false') return lower === 'true';
  }
  return undefined;
}

function describe(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string '${value}'`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
