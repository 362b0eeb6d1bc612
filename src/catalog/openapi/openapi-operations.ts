/**
 * The operations of an OpenAPI description: finding them by `operationId` or by path and method,
 * and reading what a step needs to know about them (parameters, request body, responses).
 */
import type { OperationParameter } from '../../arazzo/plan.js';
import type { Located } from './openapi-refs.js';
import { child, deref, derefValue, isRecord } from './openapi-refs.js';
import type { OpenApiDescription } from './openapi-source.js';

/** HTTP methods that can hold an Operation Object in a Path Item (OpenAPI 3.0 and 3.1). */
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * OpenAPI 3.2 (versions/3.2.0.md, Path Item Object) adds the `query` field (the QUERY method) and
 * `additionalOperations`, a map from a method "with the same capitalization that is to be sent in
 * the request" to an Operation Object, for methods without a fixed field (LINK, COPY ...).
 */
const HTTP_METHODS_3_2 = [...HTTP_METHODS, 'query'] as const;

/** One operation of a description. */
export interface OpenApiOperation {
  api: OpenApiDescription;
  path: string;
  /**
   * Lower case for the fixed fields (`get`, ..., `query`); as written for a key of 3.2's
   * `additionalOperations` (`LINK`).
   */
  method: string;
  /** True for an operation under `additionalOperations` (its JSON Pointer has one more token). */
  additional?: boolean;
  operationId?: string;
  operation: Located;
  pathItem: Located;
}

/** Lists every operation, following `$ref` on Path Items. */
export function listOperations(api: OpenApiDescription): OpenApiOperation[] {
  const paths = child({ value: api.document, file: api.root, segments: [] }, 'paths');
  if (!paths || !isRecord(paths.value)) return [];
  const is32 = api.version === '3.2';
  const out: OpenApiOperation[] = [];
  const add = (
    path: string,
    pathItem: Located,
    method: string,
    operation: Located | undefined,
    additional: boolean,
  ): void => {
    if (!operation || !isRecord(operation.value)) return;
    const operationId = operation.value.operationId;
    out.push({
      api,
      path,
      method,
      operation,
      pathItem,
      ...(additional ? { additional: true } : {}),
      ...(typeof operationId === 'string' ? { operationId } : {}),
    });
  };
  for (const path of Object.keys(paths.value)) {
    const pathItem = derefValue(api, child(paths, path));
    if (!pathItem || !isRecord(pathItem.value)) continue;
    // Before 3.2 a `query` key is not an operation (3.0/3.1 ignore unknown fields' meaning).
    for (const method of is32 ? HTTP_METHODS_3_2 : HTTP_METHODS)
      add(path, pathItem, method, child(pathItem, method), false);
    const additional = is32 ? child(pathItem, 'additionalOperations') : undefined;
    if (additional && isRecord(additional.value)) {
      for (const method of Object.keys(additional.value))
        add(path, pathItem, method, child(additional, method), true);
    }
  }
  return out;
}

/**
 * Finds the operation a JSON Pointer designates: `/paths/~1jobs~1{jobId}/get`, or in 3.2
 * `/paths/~1jobs/query` and `/paths/~1jobs/additionalOperations/LINK`.
 */
export function findOperationByPointer(
  api: OpenApiDescription,
  tokens: readonly string[],
): OpenApiOperation | undefined {
  if (tokens[0] !== 'paths') return undefined;
  if (tokens.length === 3) {
    const [, path, method] = tokens;
    return listOperations(api).find(
      (op) => !op.additional && op.path === path && op.method === method?.toLowerCase(),
    );
  }
  if (tokens.length === 4 && tokens[2] === 'additionalOperations') {
    const [, path, , method] = tokens;
    return listOperations(api).find(
      (op) => op.additional === true && op.path === path && op.method === method,
    );
  }
  return undefined;
}

/** Default `style` per location (OpenAPI 3: path/header simple, query/cookie form). */
const DEFAULT_STYLE: Record<OperationParameter['in'], OperationParameter['style']> = {
  path: 'simple',
  header: 'simple',
  query: 'form',
  cookie: 'form',
  // Not used: a querystring parameter is serialized by its `content` media type.
  querystring: 'form',
};
const STYLES = new Set([
  'simple',
  'form',
  'label',
  'matrix',
  'spaceDelimited',
  'pipeDelimited',
  'deepObject',
]);
const LOCATIONS = new Set(['path', 'query', 'header', 'cookie']);
/** OpenAPI 3.2 adds `in: querystring`: the whole query string from one parameter, by its `content`. */
const LOCATIONS_3_2 = new Set([...LOCATIONS, 'querystring']);

/** A parameter with its resolved definition, or a problem found while resolving it. */
export type ResolvedParameter =
  { ok: true; parameter: OperationParameter; at: Located } | { ok: false; reason: string; at: Located };

/**
 * The operation's parameters: path-level ones overridden by operation-level ones with the same
 * name and location (OpenAPI 3 Path Item rule), with style/explode defaults applied.
 */
export function operationParameters(op: OpenApiOperation): ResolvedParameter[] {
  const byKey = new Map<string, ResolvedParameter>();
  for (const owner of [op.pathItem, op.operation]) {
    const list = child(owner, 'parameters');
    if (!list || !Array.isArray(list.value)) continue;
    list.value.forEach((_, index) => {
      const entry = child(list, index)!;
      const resolved = deref(op.api, entry);
      if (!resolved.ok) {
        byKey.set(`unresolved ${entry.file} ${index}`, { ok: false, reason: resolved.reason, at: entry });
        return;
      }
      const parameter = toParameter(
        resolved.target.value,
        op.api.version === '3.2' ? LOCATIONS_3_2 : LOCATIONS,
      );
      // OpenAPI 3.0-3.2 Parameter Object, `name`: header parameters named Accept, Content-Type or
      // Authorization "SHALL be ignored" (the body, content negotiation and security schemes own them).
      if (parameter && parameter.in === 'header' && isIgnoredHeader(parameter.name)) return;
      if (parameter)
        byKey.set(`${parameter.in} ${normalizeName(parameter)}`, {
          ok: true,
          parameter,
          at: resolved.target,
        });
    });
  }
  return [...byKey.values()];
}

/** Header parameter names OpenAPI says to ignore (Parameter Object, `name`), compared case-insensitively. */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

/** True for `Accept`, `Content-Type` and `Authorization` in any case. */
export function isIgnoredHeader(name: string): boolean {
  return IGNORED_HEADERS.has(name.toLowerCase());
}

/** Header names are case-insensitive; other parameter names are not. */
function normalizeName(p: { name: string; in: string }): string {
  return p.in === 'header' ? p.name.toLowerCase() : p.name;
}

function toParameter(value: unknown, locations: ReadonlySet<string>): OperationParameter | undefined {
  if (
    !isRecord(value) ||
    typeof value.name !== 'string' ||
    typeof value.in !== 'string' ||
    !locations.has(value.in)
  ) {
    return undefined;
  }
  const location = value.in as OperationParameter['in'];
  if (location === 'querystring') {
    // "MUST be specified using the `content` field": its one media type says how to serialize.
    const content = isRecord(value.content) ? Object.keys(value.content)[0] : undefined;
    return {
      name: value.name,
      in: 'querystring',
      required: value.required === true,
      style: 'form',
      explode: true,
      contentType: content ?? 'application/x-www-form-urlencoded',
    };
  }
  const style =
    typeof value.style === 'string' && STYLES.has(value.style)
      ? (value.style as OperationParameter['style'])
      : DEFAULT_STYLE[location];
  const parameter: OperationParameter = {
    name: value.name,
    in: location,
    // Path parameters are always required (OpenAPI 3: "this property is REQUIRED and its value MUST be true").
    required: location === 'path' || value.required === true,
    style,
    // explode defaults to true only for form style.
    explode: typeof value.explode === 'boolean' ? value.explode : style === 'form',
  };
  if (location === 'query' && typeof value.allowReserved === 'boolean')
    parameter.allowReserved = value.allowReserved;
  return parameter;
}

/** The request body definition: whether it is required and the media types it accepts. */
export function operationRequestBody(
  op: OpenApiOperation,
): { required: boolean; contentTypes: string[] } | undefined {
  const body = derefValue(op.api, child(op.operation, 'requestBody'));
  if (!body || !isRecord(body.value)) return undefined;
  const content = body.value.content;
  return {
    required: body.value.required === true,
    contentTypes: isRecord(content) ? Object.keys(content) : [],
  };
}

/** True when `contentType` (parameters ignored) matches one of the media ranges (`application/*`, `*\/*`). */
export function contentTypeMatches(contentType: string, ranges: readonly string[]): boolean {
  const [type, subtype] = (contentType.split(';')[0] ?? '').trim().toLowerCase().split('/');
  return ranges.some((range) => {
    const [rType, rSub] = (range.split(';')[0] ?? '').trim().toLowerCase().split('/');
    return (rType === '*' || rType === type) && (rSub === '*' || rSub === subtype);
  });
}

/** The JSON schema of the operation's success response (200, else the first 2xx), if any. */
export function successResponseSchema(op: OpenApiOperation): Located | undefined {
  const responses = child(op.operation, 'responses');
  if (!responses || !isRecord(responses.value)) return undefined;
  const codes = Object.keys(responses.value);
  const code = codes.includes('200') ? '200' : codes.find((c) => /^2(\d\d|XX)$/i.test(c));
  if (code === undefined) return undefined;
  const response = derefValue(op.api, child(responses, code));
  const content = response && child(response, 'content');
  if (!content || !isRecord(content.value)) return undefined;
  const mediaType = Object.keys(content.value).find((m) => /json/i.test(m));
  if (mediaType === undefined) return undefined;
  const media = derefValue(op.api, child(content, mediaType));
  return media && derefValue(op.api, child(media, 'schema'));
}

/** The server URL: operation, then path item, then document `servers[0]`, with variables at their defaults. */
export function operationServerUrl(op: OpenApiOperation): string | undefined {
  for (const owner of [
    op.operation,
    op.pathItem,
    { value: op.api.document, file: op.api.root, segments: [] },
  ]) {
    const servers = isRecord(owner.value) ? owner.value.servers : undefined;
    const first: unknown = Array.isArray(servers) ? servers[0] : undefined;
    if (isRecord(first) && typeof first.url === 'string')
      return substituteVariables(first.url, first.variables);
  }
  return undefined;
}

function substituteVariables(url: string, variables: unknown): string {
  if (!isRecord(variables)) return url;
  return url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const variable = variables[name];
    return isRecord(variable) && typeof variable.default === 'string' ? variable.default : whole;
  });
}
