/**
 * Normalises a Criterion's `type` (a string or a `{type, version}` object) to one kind.
 */
import type { Criterion } from '../model.js';

/** JSONPath versions named by Arazzo 1.0.1 (`draft-goessner-...`) and 1.1.0 (`rfc9535`). */
export const JSONPATH_VERSIONS: readonly string[] = ['rfc9535', 'draft-goessner-dispatch-jsonpath-00'];
export const XPATH_VERSIONS: readonly string[] = ['xpath-31', 'xpath-30', 'xpath-20', 'xpath-10'];

export type CriterionKind =
  | { kind: 'simple'; explicit: boolean }
  | { kind: 'regex' }
  | { kind: 'jsonpath'; version?: string }
  | { kind: 'xpath'; version?: string }
  | { kind: 'unknown'; problem: string };

/** Reads `criterion.type`; an absent type is `simple`. Tolerates malformed input from YAML. */
export function criterionKind(criterion: Criterion): CriterionKind {
  const type: unknown = criterion.type;
  if (type === undefined) return { kind: 'simple', explicit: false };
  if (typeof type === 'string') {
    switch (type) {
      case 'simple':
        return { kind: 'simple', explicit: true };
      case 'regex':
        return { kind: 'regex' };
      case 'jsonpath':
        return { kind: 'jsonpath' };
      case 'xpath':
        return { kind: 'xpath' };
      default:
        return {
          kind: 'unknown',
          problem: `unknown criterion type "${type}" (expected simple, regex, jsonpath or xpath)`,
        };
    }
  }
  if (type !== null && typeof type === 'object') {
    const { type: inner, version } = type as { type?: unknown; version?: unknown };
    const versionText = typeof version === 'string' ? version : undefined;
    if (inner === 'jsonpath')
      return { kind: 'jsonpath', ...(versionText !== undefined && { version: versionText }) };
    if (inner === 'xpath')
      return { kind: 'xpath', ...(versionText !== undefined && { version: versionText }) };
    return {
      kind: 'unknown',
      problem: `unknown criterion expression type ${JSON.stringify(inner)} (expected jsonpath or xpath)`,
    };
  }
  return {
    kind: 'unknown',
    problem: `criterion type must be a string or {type, version}, not ${JSON.stringify(type)}`,
  };
}
