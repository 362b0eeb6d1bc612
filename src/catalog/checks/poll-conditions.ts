/**
 * Reading which values of a response field a criterion tests for, in the two spellings documents
 * use for a poll: `$.status == 'running' || ...` (JSONPath form, context `$response.body`) and
 * `$response.body#/status == 'running'` (simple). Anything else is "unknown", which makes the
 * poll coverage check stay silent rather than guess.
 */
import type { Criterion } from '../../arazzo/model.js';

/** The field (as a JSON Pointer into the response body) and the values a criterion accepts. */
export interface FieldTest {
  pointer: string;
  values: string[];
}

const QUOTED = `'((?:[^']|'')*)'`;
const JSONPATH_FIELD = /^\$((?:\.[A-Za-z_][A-Za-z0-9_]*)+)$/;
const BODY_POINTER = /^\$response\.body#(\/.*)$/;
const BODY_DOTTED = /^\$response\.body((?:\.[A-Za-z_][A-Za-z0-9_]*)+)$/;

/** Reads `criterion` as "field equals one of these strings", or undefined when it is not that shape. */
export function readFieldTest(criterion: Criterion): FieldTest | undefined {
  const type = typeof criterion.type === 'object' ? criterion.type.type : (criterion.type ?? 'simple');
  if (type !== 'jsonpath' && type !== 'simple') return undefined;
  if (type === 'jsonpath' && criterion.context !== '$response.body') return undefined;
  const condition = criterion.condition;
  if (/&&|\(|\)|!=/.test(condition)) return undefined;
  let pointer: string | undefined;
  const values: string[] = [];
  for (const term of condition.split('||')) {
    const parsed = readEquality(term.trim(), type);
    if (!parsed || (pointer !== undefined && parsed.pointer !== pointer)) return undefined;
    pointer = parsed.pointer;
    values.push(parsed.value);
  }
  return pointer === undefined ? undefined : { pointer, values };
}

function readEquality(
  term: string,
  type: 'jsonpath' | 'simple',
): { pointer: string; value: string } | undefined {
  // Either operand order: `$.status == 'x'` or `'x' == $.status`.
  const left = new RegExp(`^(\\S+)\\s*==\\s*${QUOTED}$`).exec(term);
  const right = new RegExp(`^${QUOTED}\\s*==\\s*(\\S+)$`).exec(term);
  const lhs = left ? left[1] : right?.[2];
  const raw = left ? left[2] : right?.[1];
  if (lhs === undefined || raw === undefined) return undefined;
  const pointer = type === 'jsonpath' ? jsonPathPointer(lhs) : bodyPointer(lhs);
  return pointer === undefined ? undefined : { pointer, value: raw.replace(/''/g, "'") };
}

function jsonPathPointer(lhs: string): string | undefined {
  const match = JSONPATH_FIELD.exec(lhs);
  return match?.[1] ? match[1].split('.').join('/') : undefined;
}

function bodyPointer(lhs: string): string | undefined {
  const pointer = BODY_POINTER.exec(lhs)?.[1];
  if (pointer !== undefined) return pointer;
  const dotted = BODY_DOTTED.exec(lhs)?.[1];
  return dotted ? dotted.split('.').join('/') : undefined;
}
