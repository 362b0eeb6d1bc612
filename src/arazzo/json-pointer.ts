/**
 * RFC 6901 JSON Pointer: parse, read and (immutably) write. Pure, so workflow code can use it for
 * `$response.body#/status` lookups and for `requestBody.replacements` targets.
 */
import { ArazzoExpressionError } from './errors.js';
import type { JsonValue } from './model.js';
import { resolved, unresolved } from './expressions/resolution.js';
import type { Resolution } from './expressions/resolution.js';

/** RFC 6901 §4: array indices are `0` or a digit string without a leading zero. */
const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;

/**
 * Splits a JSON Pointer into its unescaped reference tokens. `""` is the whole document.
 *
 * @throws ArazzoExpressionError when the pointer does not start with `/` or has a `~` that is not
 *   `~0` or `~1`.
 */
export function parsePointer(ptr: string): string[] {
  if (ptr === '') return [];
  if (!ptr.startsWith('/')) {
    throw new ArazzoExpressionError(`JSON Pointer "${ptr}" must be empty or start with "/"`, ptr, 0);
  }
  const tokens: string[] = [];
  let current = '';
  for (let i = 1; i < ptr.length; i++) {
    const ch = ptr[i];
    if (ch === '/') {
      tokens.push(current);
      current = '';
    } else if (ch === '~') {
      const next = ptr[i + 1];
      // RFC 6901 §3: only ~0 and ~1 are escapes; anything else is malformed, not literal.
      if (next === '0') current += '~';
      else if (next === '1') current += '/';
      else {
        throw new ArazzoExpressionError(
          `JSON Pointer "${ptr}" has an invalid escape at ${i}: "~" must be followed by 0 or 1`,
          ptr,
          i,
        );
      }
      i++;
    } else {
      current += ch;
    }
  }
  tokens.push(current);
  return tokens;
}

/** Escapes one reference token for use in a pointer (`~` → `~0`, `/` → `~1`). */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Reads the value a pointer designates. Never throws for missing data; a malformed pointer is
 * reported as a failed resolution too, because callers treat both as "cannot resolve".
 */
export function getByPointer(value: JsonValue | undefined, ptr: string): Resolution {
  let tokens: string[];
  try {
    tokens = parsePointer(ptr);
  } catch (error) {
    return unresolved((error as Error).message);
  }
  if (value === undefined) return unresolved(`no value to apply JSON Pointer "${ptr}" to`);
  let current: JsonValue = value;
  let walked = '';
  for (const token of tokens) {
    const here = walked === '' ? 'the root' : `"${walked}"`;
    walked += `/${escapePointerToken(token)}`;
    if (Array.isArray(current)) {
      if (!ARRAY_INDEX.test(token)) {
        return unresolved(`JSON Pointer "${ptr}": "${token}" is not an index into the array at ${here}`);
      }
      const item: JsonValue | undefined = current[Number(token)];
      if (item === undefined) {
        return unresolved(
          `JSON Pointer "${ptr}": index ${token} is out of range (array at ${here} has ${current.length} items)`,
        );
      }
      current = item;
    } else if (current !== null && typeof current === 'object') {
      if (!Object.prototype.hasOwnProperty.call(current, token) || current[token] === undefined) {
        return unresolved(`JSON Pointer "${ptr}": no property "${token}" in the object at ${here}`);
      }
      current = current[token] as JsonValue;
    } else {
      return unresolved(
        `JSON Pointer "${ptr}": cannot read "${token}" from ${describeScalar(current)} at ${here}`,
      );
    }
  }
  return resolved(current);
}

/**
 * Returns a copy of `doc` with the location `ptr` set to `newValue`; `doc` is never mutated.
 * An existing array index is replaced; `-` (or the index equal to the length) appends. An object
 * member is created or replaced. `""` replaces the whole document.
 *
 * @throws ArazzoExpressionError when the pointer is malformed, an intermediate location does not
 *   exist, or the parent is not a container.
 */
export function setByPointer(doc: JsonValue, ptr: string, newValue: JsonValue): JsonValue {
  const tokens = parsePointer(ptr);
  return setAt(doc, tokens, 0, newValue, ptr);
}

function setAt(
  node: JsonValue,
  tokens: string[],
  depth: number,
  newValue: JsonValue,
  ptr: string,
): JsonValue {
  const token = tokens[depth];
  if (token === undefined) return newValue;
  const isLast = depth === tokens.length - 1;
  if (Array.isArray(node)) {
    const index = token === '-' ? node.length : ARRAY_INDEX.test(token) ? Number(token) : -1;
    if (index < 0) {
      throw pointerError(ptr, `"${token}" is not an index into an array`);
    }
    const copy = node.slice();
    if (index < node.length) {
      copy[index] = setAt(node[index] as JsonValue, tokens, depth + 1, newValue, ptr);
      return copy;
    }
    if (index === node.length && isLast) {
      copy.push(newValue);
      return copy;
    }
    throw pointerError(ptr, `index ${token} is out of range (array has ${node.length} items)`);
  }
  if (node !== null && typeof node === 'object') {
    const has = Object.prototype.hasOwnProperty.call(node, token) && node[token] !== undefined;
    if (!has && !isLast) throw pointerError(ptr, `no property "${token}" to descend into`);
    const child = has ? (node[token] as JsonValue) : null;
    return { ...node, [token]: isLast ? newValue : setAt(child, tokens, depth + 1, newValue, ptr) };
  }
  throw pointerError(ptr, `cannot set "${token}" inside ${describeScalar(node)}`);
}

function pointerError(ptr: string, problem: string): ArazzoExpressionError {
  return new ArazzoExpressionError(`JSON Pointer "${ptr}": ${problem}`, ptr, 0);
}

function describeScalar(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return 'a string';
  return `a ${typeof value}`;
}
