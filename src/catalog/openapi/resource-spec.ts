/**
 * `x-temporal-resource` on an OpenAPI operation: what the operation creates (an Airbyte
 * job), how to cancel it and how to adopt an existing one. Written with `operationId`s in the
 * OpenAPI description; the plan refers to operations by key, so ids are converted here.
 */
import { extensionValue, OBSERVES_EXTENSION, RESOURCE_EXTENSION } from '../../arazzo/extensions.js';
import type { JsonValue, ParameterLocation } from '../../arazzo/model.js';
import type { ResourceSpec, UnorderedFallback } from '../../arazzo/plan.js';
import type { OpenApiOperation } from './openapi-operations.js';
import { listOperations } from './openapi-operations.js';
import { isRecord } from './openapi-refs.js';

/** The extension name. */
export { RESOURCE_EXTENSION };

/** On an operation that reads a resource another operation creates: that operation's id. */
export { OBSERVES_EXTENSION };

/** A problem in the extension, at a path relative to the extension's value. */
export interface ResourceProblem {
  segments: Array<string | number>;
  message: string;
}

/** The parsed spec plus the operations it refers to (they must be in the plan too). */
export interface ParsedResource {
  spec?: ResourceSpec;
  operations: OpenApiOperation[];
  problems: ResourceProblem[];
}

/** The stable key of an operation: `<source>.<operationId>`, or `<source>.<METHOD> <path>`. */
export function operationKey(sourceName: string, op: OpenApiOperation): string {
  return op.operationId !== undefined
    ? `${sourceName}.${op.operationId}`
    : `${sourceName}.${op.method.toUpperCase()} ${op.path}`;
}

const LOCATIONS = new Set(['path', 'query', 'header', 'cookie']);

/** Reads the extension of `op` (undefined spec and no problems when it has none). */
export function parseResourceSpec(sourceName: string, op: OpenApiOperation): ParsedResource {
  const raw = extensionValue(op.operation.value, RESOURCE_EXTENSION);
  const result: ParsedResource = { operations: [], problems: [] };
  if (raw === undefined) return result;
  const problem = (segments: Array<string | number>, message: string): undefined => {
    result.problems.push({ segments, message });
    return undefined;
  };
  if (!isRecord(raw)) return (problem([], `${RESOURCE_EXTENSION} must be an object`), result);
  const string = (
    key: string,
    from: Record<string, unknown> = raw,
    at: Array<string | number> = [],
  ): string | undefined =>
    typeof from[key] === 'string'
      ? (from[key] as string)
      : problem([...at, key], `"${key}" must be a string`);
  const strings = (key: string): string[] | undefined => {
    const value = raw[key];
    return Array.isArray(value) && value.every((v) => typeof v === 'string')
      ? (value as string[])
      : problem([key], `"${key}" must be an array of strings`);
  };
  const operationRef = (from: Record<string, unknown>, at: Array<string | number>): string | undefined => {
    const id = string('operationId', from, at);
    if (id === undefined) return undefined;
    const target = listOperations(op.api).find((o) => o.operationId === id);
    if (!target)
      return problem([...at, 'operationId'], `operation "${id}" is not defined in this description`);
    result.operations.push(target);
    return operationKey(sourceName, target);
  };
  const params = (
    from: Record<string, unknown>,
    at: Array<string | number>,
  ): Array<{ name: string; in: ParameterLocation; value: JsonValue }> => {
    const list = from.parameters ?? [];
    if (!Array.isArray(list)) return problem([...at, 'parameters'], '"parameters" must be an array') ?? [];
    return list.flatMap((p: unknown, i) => {
      if (
        !isRecord(p) ||
        typeof p.name !== 'string' ||
        typeof p.in !== 'string' ||
        !LOCATIONS.has(p.in) ||
        p.value === undefined
      ) {
        problem(
          [...at, 'parameters', i],
          'a parameter needs "name", "in" (path, query, header, cookie) and "value"',
        );
        return [];
      }
      return [{ name: p.name, in: p.in as ParameterLocation, value: p.value as JsonValue }];
    });
  };
  const kind = string('kind');
  const idPointer = string('idPointer');
  const statusPointer = string('statusPointer');
  const terminalStatuses = strings('terminalStatuses');
  const activeStatuses = strings('activeStatuses');
  /** `cancel` and `read`: an operation and its parameters. */
  const operationCall = (key: 'cancel' | 'read'): ResourceSpec['cancel'] => {
    const value = raw[key];
    if (value === undefined) return undefined;
    if (!isRecord(value)) {
      problem([key], `"${key}" must be an object`);
      return undefined;
    }
    const operation = operationRef(value, [key]);
    return operation ? { operation, parameters: params(value, [key]) } : undefined;
  };
  const cancel = operationCall('cancel');
  const read: ResourceSpec['read'] = operationCall('read');
  let adopt: ResourceSpec['adopt'];
  if (raw.adopt !== undefined) adopt = parseAdopt(raw.adopt, operationRef, params, problem);
  if (
    result.problems.length === 0 &&
    kind &&
    idPointer &&
    statusPointer &&
    terminalStatuses &&
    activeStatuses
  ) {
    result.spec = {
      kind,
      idPointer,
      statusPointer,
      terminalStatuses,
      activeStatuses,
      ...(cancel ? { cancel } : {}),
      ...(read ? { read } : {}),
      ...(adopt ? { adopt } : {}),
    };
  }
  return result;
}

function parseAdopt(
  raw: unknown,
  operationRef: (from: Record<string, unknown>, at: Array<string | number>) => string | undefined,
  params: (
    from: Record<string, unknown>,
    at: Array<string | number>,
  ) => Array<{ name: string; in: ParameterLocation; value: JsonValue }>,
  problem: (segments: Array<string | number>, message: string) => undefined,
): ResourceSpec['adopt'] {
  if (!isRecord(raw)) return problem(['adopt'], '"adopt" must be an object');
  const operation = operationRef(raw, ['adopt']);
  const conflictStatuses = raw.conflictStatuses ?? [];
  if (!Array.isArray(conflictStatuses) || !conflictStatuses.every((s) => Number.isInteger(s))) {
    return problem(['adopt', 'conflictStatuses'], '"conflictStatuses" must be an array of HTTP status codes');
  }
  if (typeof raw.itemsPointer !== 'string')
    return problem(['adopt', 'itemsPointer'], '"itemsPointer" must be a string');
  if (
    raw.match !== undefined &&
    !(isRecord(raw.match) && Object.values(raw.match).every((v) => typeof v === 'string'))
  ) {
    return problem(['adopt', 'match'], '"match" must map JSON Pointers to runtime expressions (strings)');
  }
  if (raw.createdAtPointer !== undefined && typeof raw.createdAtPointer !== 'string') {
    return problem(['adopt', 'createdAtPointer'], '"createdAtPointer" must be a string');
  }
  let conflictMatch: Record<string, string> | undefined;
  if (raw.conflictMatch !== undefined) {
    if (
      !isRecord(raw.conflictMatch) ||
      !Object.values(raw.conflictMatch).every((v) => typeof v === 'string')
    ) {
      return problem(
        ['adopt', 'conflictMatch'],
        '"conflictMatch" must map JSON Pointers to regular expressions (strings)',
      );
    }
    for (const [pointer, pattern] of Object.entries(raw.conflictMatch as Record<string, string>)) {
      if (pointer !== '' && !pointer.startsWith('/'))
        return problem(['adopt', 'conflictMatch', pointer], `"${pointer}" is not a JSON Pointer`);
      try {
        new RegExp(pattern);
      } catch (error) {
        return problem(
          ['adopt', 'conflictMatch', pointer],
          `not a regular expression: ${(error as Error).message}`,
        );
      }
    }
    conflictMatch = raw.conflictMatch as Record<string, string>;
  }
  let unorderedFallback: UnorderedFallback | undefined;
  if (raw.unorderedFallback !== undefined) {
    const f = raw.unorderedFallback;
    if (
      !isRecord(f) ||
      !Array.isArray(f.dropParameters) ||
      !f.dropParameters.every((p) => typeof p === 'string') ||
      typeof f.limitParameter !== 'string' ||
      typeof f.offsetParameter !== 'string' ||
      !Number.isInteger(f.pageSize) ||
      (f.pageSize as number) < 1 ||
      !Number.isInteger(f.maxPages) ||
      (f.maxPages as number) < 1
    ) {
      return problem(
        ['adopt', 'unorderedFallback'],
        '"unorderedFallback" needs "dropParameters" (strings), "limitParameter", "offsetParameter", "pageSize" and "maxPages" (whole numbers ≥ 1)',
      );
    }
    unorderedFallback = {
      dropParameters: f.dropParameters as string[],
      limitParameter: f.limitParameter,
      offsetParameter: f.offsetParameter,
      pageSize: f.pageSize as number,
      maxPages: f.maxPages as number,
    };
  }
  if (operation === undefined) return undefined;
  return {
    conflictStatuses: conflictStatuses as number[],
    operation,
    parameters: params(raw, ['adopt']),
    itemsPointer: raw.itemsPointer,
    ...(raw.match !== undefined ? { match: raw.match as Record<string, string> } : {}),
    ...(typeof raw.createdAtPointer === 'string' ? { createdAtPointer: raw.createdAtPointer } : {}),
    ...(conflictMatch ? { conflictMatch } : {}),
    ...(unorderedFallback ? { unorderedFallback } : {}),
  };
}
