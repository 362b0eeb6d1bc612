/**
 * Turns a step's resolved parameter values and request body into a concrete HTTP request, using
 * the OpenAPI 3.1 serialization rules (style/explode/allowReserved). Pure and deterministic: it
 * runs in workflow code, and the activity only adds the base URL and credentials.
 *
 * Security is part of the contract, not an afterthought: parameter values come from workflow
 * inputs and earlier responses, so a value must never be able to change which path is called,
 * smuggle a header line, or add query parameters of its own.
 */
import { decodePercentLenient, hasControlCharacter } from '../http-text.js';
import type { JsonValue, ParameterLocation } from '../model.js';
import type { OperationParameter, OperationPlan } from '../plan.js';
import { ArazzoRequestError } from '../errors.js';

/** One parameter value as a step supplies it; `in` may be omitted when the operation defines the name once. */
export interface RequestParameterInput {
  name: string;
  in?: ParameterLocation;
  value: JsonValue;
}

/** A step's request body after payload replacements. */
export interface RequestBodyInput {
  contentType?: string;
  value: JsonValue;
}

/** A fully serialized request, relative to the source's base URL. Plain JSON, safe to record in history. */
export interface HttpRequestSpec {
  /** `OperationPlan.key` (also the Temporal activity type). */
  operation: string;
  sourceName: string;
  /** Upper case. */
  method: string;
  /**
   * Path relative to the base URL, template filled with percent-encoded values. Always starts with
   * `/`; never has a scheme or host, an empty segment, or a dot segment.
   */
  path: string;
  /** Percent-encoded `[name, value]` pairs, to be joined as `name=value` with `&`, in order. */
  query: Array<[string, string]>;
  /**
   * The whole query string from an OpenAPI 3.2 `in: querystring` parameter, already encoded for
   * its media type (no leading `?`); the pairs of `query`, if any, follow it.
   */
  querystring?: string;
  /** Lower-case names; values checked for CR/LF and other control characters. */
  headers: Record<string, string>;
  /** Cookie name → percent-encoded value. */
  cookies?: Record<string, string>;
  /** JSON media types keep the JSON value; form and text bodies are serialized to a string. */
  body?: { contentType: string; content: JsonValue | string };
  /** Request parameter values as `$request.path/query/header` see them (decoded). */
  view: { path: Record<string, string>; query: Record<string, string>; headers: Record<string, string> };
}

type Style = OperationParameter['style'];
type Encode = (text: string) => string;

interface Serialization {
  style: Style;
  explode: boolean;
  allowReserved: boolean;
}

/** RFC 7230 token: the only characters allowed in header and cookie names. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A dot segment, including the percent-encoded spellings WHATWG URL parsers also normalize away. */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/**
 * Builds the HTTP request for one operation call.
 *
 * @param operation the resolved OpenAPI operation
 * @param parameters values from the step (after runtime-expression evaluation); `null` means "not sent"
 * @param body the request body, if the step has one
 * @throws ArazzoRequestError when a path parameter is missing or unusable, a parameter cannot be
 *   located, or a header/cookie name or value is unsafe
 */
export function buildHttpRequest(
  operation: OperationPlan,
  parameters: RequestParameterInput[],
  body?: RequestBodyInput,
): HttpRequestSpec {
  const pathValues = new Map<string, { encoded: string; view: string }>();
  const query: Array<[string, string]> = [];
  const headers: Record<string, string> = {};
  const cookies: Record<string, string> = {};
  const viewHeaders: Record<string, string> = {};

  let querystring: string | undefined;
  for (const input of parameters) {
    const definition = locateParameter(operation, input);
    if (definition.in === 'querystring') {
      if (input.value !== null)
        querystring = serializeQuerystring(operation, input.name, definition, input.value);
      continue;
    }
    const location = definition.in;
    if (input.value === null) continue;
    const serialization = serializationFor(definition, location);
    switch (location) {
      case 'path':
        pathValues.set(input.name, {
          encoded: serializePath(operation, input.name, input.value, serialization),
          view: joinSimple(input.value, serialization.explode, identity),
        });
        break;
      case 'query':
        query.push(...serializeQuery(operation, input.name, input.value, serialization));
        break;
      case 'header': {
        const name = checkName(operation, input.name, 'header').toLowerCase();
        const value = checkHeaderValue(
          operation,
          name,
          joinSimple(input.value, serialization.explode, identity),
        );
        headers[name] = value;
        viewHeaders[name] = value;
        break;
      }
      case 'cookie':
        Object.assign(cookies, serializeCookie(operation, input.name, input.value, serialization.explode));
        break;
    }
  }

  const spec: HttpRequestSpec = {
    operation: operation.key,
    sourceName: operation.sourceName,
    method: operation.method.toUpperCase(),
    path: fillPath(operation, pathValues),
    query,
    headers,
    view: {
      path: Object.fromEntries([...pathValues].map(([name, value]) => [name, value.view])),
      query: viewOfQuery(query),
      headers: viewHeaders,
    },
  };
  if (querystring !== undefined && querystring !== '') {
    spec.querystring = querystring;
    Object.assign(spec.view.query, viewOfQuerystring(querystring, operation));
  }
  if (Object.keys(cookies).length > 0) spec.cookies = cookies;
  if (body !== undefined) spec.body = serializeBody(operation, body);
  return spec;
}

/** Finds the OpenAPI definition for a supplied value; unknown names still go where `in` says. */
function locateParameter(
  operation: OperationPlan,
  input: RequestParameterInput,
): Pick<OperationParameter, 'in'> & Partial<OperationParameter> {
  const sameName = (p: OperationParameter): boolean =>
    p.in === 'header' ? p.name.toLowerCase() === input.name.toLowerCase() : p.name === input.name;
  if (input.in !== undefined) {
    return (
      operation.parameters.find((p) => p.in === input.in && sameName(p)) ??
      // Arazzo's `in` has no `querystring`: a step passes an OpenAPI 3.2 querystring parameter as query.
      (input.in === 'query'
        ? operation.parameters.find((p) => p.in === 'querystring' && sameName(p))
        : undefined) ?? {
        in: input.in,
      }
    );
  }
  const candidates = operation.parameters.filter(sameName);
  const [only] = candidates;
  if (only === undefined || candidates.length > 1) {
    throw new ArazzoRequestError(
      `${operation.key}: parameter "${input.name}" has no "in" and the operation defines it ${
        candidates.length === 0 ? 'nowhere' : `in ${candidates.map((p) => p.in).join(' and ')}`
      }: add "in" to the step parameter`,
      { operation: operation.key, parameter: input.name },
    );
  }
  return only;
}

/** Applies OpenAPI defaults (path/header: simple, query/cookie: form, explode only for form) and rejects styles a location cannot use. */
function serializationFor(
  definition: Partial<OperationParameter>,
  location: ParameterLocation,
): Serialization {
  const allowed: Record<ParameterLocation, Style[]> = {
    path: ['simple', 'label', 'matrix'],
    query: ['form', 'spaceDelimited', 'pipeDelimited', 'deepObject'],
    header: ['simple'],
    cookie: ['form'],
  };
  const fallback: Style = location === 'path' || location === 'header' ? 'simple' : 'form';
  const style =
    definition.style !== undefined && allowed[location].includes(definition.style)
      ? definition.style
      : fallback;
  return {
    style,
    explode: definition.explode ?? style === 'form',
    allowReserved: location === 'query' && definition.allowReserved === true,
  };
}

function identity(text: string): string {
  return text;
}

/** Scalars as text; nested containers (which OpenAPI styles do not define) as JSON. */
function scalarText(value: JsonValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function isObject(value: JsonValue): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function entriesOf(value: { [key: string]: JsonValue }): Array<[string, JsonValue]> {
  return Object.entries(value).filter((entry): entry is [string, JsonValue] => entry[1] !== undefined);
}

/** `simple` style: `a,b,c`, objects `k,v,k,v` or (exploded) `k=v,k=v`. */
function joinSimple(value: JsonValue, explode: boolean, encode: Encode): string {
  if (Array.isArray(value)) return value.map((item) => encode(scalarText(item))).join(',');
  if (isObject(value)) {
    return entriesOf(value)
      .map(([key, item]) =>
        explode ? `${encode(key)}=${encode(scalarText(item))}` : `${encode(key)},${encode(scalarText(item))}`,
      )
      .join(',');
  }
  return encode(scalarText(value));
}

/** Path values: every character outside RFC 3986 unreserved is percent-encoded, so `/ ? # %` stay data. */
function encodePathValue(text: string): string {
  // Dots alone would form a dot segment; encoding them is not enough (WHATWG URL decodes %2E
  // there), so fillPath also rejects such segments. Encoding here keeps `..` inside a segment inert.
  return encodeURIComponent(text).replace(/\./g, (dot, index: number, all: string) =>
    /^\.+$/.test(all) ? '%2E' : dot,
  );
}

function serializePath(operation: OperationPlan, name: string, value: JsonValue, s: Serialization): string {
  const enc = encodePathValue;
  const isEmpty =
    value === '' ||
    (Array.isArray(value) && value.length === 0) ||
    (isObject(value) && entriesOf(value).length === 0);
  switch (s.style) {
    case 'label': {
      if (isEmpty) return '.';
      if (Array.isArray(value))
        return '.' + value.map((item) => enc(scalarText(item))).join(s.explode ? '.' : ',');
      if (isObject(value)) {
        return (
          '.' +
          entriesOf(value)
            .map(([k, v]) =>
              s.explode ? `${enc(k)}=${enc(scalarText(v))}` : `${enc(k)},${enc(scalarText(v))}`,
            )
            .join(s.explode ? '.' : ',')
        );
      }
      return '.' + enc(scalarText(value));
    }
    case 'matrix': {
      const key = enc(name);
      if (isEmpty) return `;${key}`;
      if (Array.isArray(value)) {
        const items = value.map((item) => enc(scalarText(item)));
        return s.explode ? items.map((item) => `;${key}=${item}`).join('') : `;${key}=${items.join(',')}`;
      }
      if (isObject(value)) {
        const entries = entriesOf(value);
        return s.explode
          ? entries.map(([k, v]) => `;${enc(k)}=${enc(scalarText(v))}`).join('')
          : `;${key}=${entries.map(([k, v]) => `${enc(k)},${enc(scalarText(v))}`).join(',')}`;
      }
      return `;${key}=${enc(scalarText(value))}`;
    }
    default: {
      if (isEmpty) {
        throw new ArazzoRequestError(`${operation.key}: path parameter "${name}" is empty`, {
          operation: operation.key,
          parameter: name,
        });
      }
      return joinSimple(value, s.explode, enc);
    }
  }
}

/** Fills `{name}` placeholders and checks the result cannot escape the operation's path. */
function fillPath(operation: OperationPlan, values: Map<string, { encoded: string }>): string {
  const used = new Set<string>();
  const filled = operation.path.replace(/\{([^{}]+)\}/g, (_match, name: string) => {
    const value = values.get(name);
    if (value === undefined) {
      throw new ArazzoRequestError(`${operation.key}: required path parameter "${name}" has no value`, {
        operation: operation.key,
        parameter: name,
      });
    }
    used.add(name);
    return value.encoded;
  });
  for (const name of values.keys()) {
    if (!used.has(name)) {
      throw new ArazzoRequestError(
        `${operation.key}: path parameter "${name}" does not appear in the path ${operation.path}`,
        {
          operation: operation.key,
          parameter: name,
        },
      );
    }
  }
  const path = filled.startsWith('/') ? filled : `/${filled}`;
  const segments = path.split('/').slice(1);
  const problem = /[?#\\]/.test(path)
    ? 'contains "?", "#" or "\\"'
    : segments.some((segment, index) => segment === '' && index < segments.length - 1)
      ? 'has an empty segment'
      : segments.some((segment) => DOT_SEGMENT.test(segment))
        ? 'has a "." or ".." segment'
        : undefined;
  if (problem !== undefined) {
    throw new ArazzoRequestError(
      `${operation.key}: the request path ${problem}, which could address another resource`,
      {
        operation: operation.key,
      },
    );
  }
  return path;
}

/** RFC 3986 reserved characters that may stay raw in a query value under `allowReserved`. `& = + # [ ]` still end or split a pair, so they stay encoded. */
const RESERVED_KEPT = new Set([':', '/', '?', '@', '!', '$', "'", '(', ')', '*', ',', ';']);

function encodeReserved(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch === '%' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out += text.slice(i, i + 3);
      i += 2;
    } else if (RESERVED_KEPT.has(ch)) {
      out += ch;
    } else {
      const code = text.codePointAt(i) ?? 0;
      const char = String.fromCodePoint(code);
      out += encodeURIComponent(char);
      i += char.length - 1;
    }
  }
  return out;
}

function serializeQuery(
  operation: OperationPlan,
  name: string,
  value: JsonValue,
  s: Serialization,
): Array<[string, string]> {
  const enc: Encode = s.allowReserved ? encodeReserved : encodeURIComponent;
  const key = encodeURIComponent(name);
  if (Array.isArray(value) && value.length === 0) return [];
  if (isObject(value) && entriesOf(value).length === 0) return [];
  if (s.style === 'deepObject') {
    if (!isObject(value)) {
      throw new ArazzoRequestError(
        `${operation.key}: query parameter "${name}" uses style deepObject but its value is not an object`,
        {
          operation: operation.key,
          parameter: name,
        },
      );
    }
    return entriesOf(value).map(([k, v]) => [`${key}[${encodeURIComponent(k)}]`, enc(scalarText(v))]);
  }
  const delimiter = s.style === 'spaceDelimited' ? '%20' : s.style === 'pipeDelimited' ? '|' : ',';
  if (Array.isArray(value)) {
    const items = value.map((item) => enc(scalarText(item)));
    return s.explode ? items.map((item): [string, string] => [key, item]) : [[key, items.join(delimiter)]];
  }
  if (isObject(value)) {
    const entries = entriesOf(value);
    if (s.explode)
      return entries.map(([k, v]): [string, string] => [encodeURIComponent(k), enc(scalarText(v))]);
    return [[key, entries.map(([k, v]) => `${enc(k)}${delimiter}${enc(scalarText(v))}`).join(delimiter)]];
  }
  return [[key, enc(scalarText(value))]];
}

/**
 * OpenAPI 3.2 `in: querystring` (versions/3.2.0.md, Parameter Object and its querystring
 * examples): the value is serialized by the parameter's one `content` media type and becomes the
 * whole query string. `application/x-www-form-urlencoded` (the default) takes an object (pairs,
 * arrays repeating the key, spaces as `+`) or an already-encoded string; any other media type is
 * serialized as text (JSON for `json` types, a string as is) and then percent-encoded whole.
 */
function serializeQuerystring(
  operation: OperationPlan,
  name: string,
  definition: Partial<OperationParameter>,
  value: JsonValue,
): string {
  const mediaType = ((definition.contentType ?? 'application/x-www-form-urlencoded').split(';')[0] ?? '')
    .trim()
    .toLowerCase();
  if (mediaType === 'application/x-www-form-urlencoded') {
    if (typeof value === 'string') {
      if (/[#\s]/.test(value) || hasControlCharacter(value)) {
        throw new ArazzoRequestError(
          `${operation.key}: querystring parameter "${name}" has "#", whitespace or a control character; pass an object to have it encoded`,
          { operation: operation.key, parameter: name },
        );
      }
      return value.replace(/^\?/, '');
    }
    return formEncode(operation, value);
  }
  const text =
    typeof value === 'string' && !(mediaType === 'application/json' || mediaType.endsWith('+json'))
      ? value
      : JSON.stringify(value);
  return encodeURIComponent(text);
}

/** `$request.query.<name>` of a form querystring sees its decoded fields; other media types, the whole text under the parameter's name. */
function viewOfQuerystring(querystring: string, operation: OperationPlan): Record<string, string> {
  const definition = operation.parameters.find((p) => p.in === 'querystring');
  const form = (definition?.contentType ?? 'application/x-www-form-urlencoded')
    .toLowerCase()
    .startsWith('application/x-www-form-urlencoded');
  if (!form) return definition === undefined ? {} : { [definition.name]: decodePercentLenient(querystring) };
  const pairs = querystring
    .split('&')
    .filter(Boolean)
    .map((pair): [string, string] => {
      const eq = pair.indexOf('=');
      const plus = (text: string): string => text.replace(/\+/g, ' ');
      return eq < 0 ? [plus(pair), ''] : [plus(pair.slice(0, eq)), plus(pair.slice(eq + 1))];
    });
  return viewOfQuery(pairs);
}

/** `$request.query.<name>` sees decoded values; a repeated name reads as its values joined with commas. */
function viewOfQuery(query: Array<[string, string]>): Record<string, string> {
  const view: Record<string, string> = {};
  for (const [name, value] of query) {
    const key = decodePercentLenient(name);
    const text = decodePercentLenient(value);
    view[key] = view[key] === undefined ? text : `${view[key]},${text}`;
  }
  return view;
}

function checkName(operation: OperationPlan, name: string, kind: 'header' | 'cookie'): string {
  if (!TOKEN.test(name)) {
    throw new ArazzoRequestError(`${operation.key}: "${name}" is not a valid ${kind} name`, {
      operation: operation.key,
      parameter: name,
    });
  }
  return name;
}

function checkHeaderValue(operation: OperationPlan, name: string, value: string): string {
  if (hasControlCharacter(value)) {
    throw new ArazzoRequestError(
      `${operation.key}: header "${name}" has a line break or control character in its value`,
      {
        operation: operation.key,
        parameter: name,
      },
    );
  }
  return value;
}

function serializeCookie(
  operation: OperationPlan,
  name: string,
  value: JsonValue,
  explode: boolean,
): Record<string, string> {
  // Cookie values are percent-encoded so `;` or `,` inside a value cannot start another cookie.
  if (isObject(value) && explode) {
    return Object.fromEntries(
      entriesOf(value).map(([k, v]) => [
        checkName(operation, k, 'cookie'),
        encodeURIComponent(scalarText(v)),
      ]),
    );
  }
  return {
    [checkName(operation, name, 'cookie')]: joinSimple(
      value,
      explode && !Array.isArray(value),
      encodeURIComponent,
    ),
  };
}

function serializeBody(
  operation: OperationPlan,
  body: RequestBodyInput,
): NonNullable<HttpRequestSpec['body']> {
  const contentType = body.contentType ?? operation.requestBody?.contentTypes[0] ?? 'application/json';
  if (hasControlCharacter(contentType)) {
    throw new ArazzoRequestError(`${operation.key}: the request body content type has a control character`, {
      operation: operation.key,
    });
  }
  const mediaType = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (mediaType === 'application/json' || mediaType.endsWith('+json'))
    return { contentType, content: body.value };
  if (mediaType === 'application/x-www-form-urlencoded') {
    return {
      contentType,
      content: typeof body.value === 'string' ? body.value : formEncode(operation, body.value),
    };
  }
  return { contentType, content: typeof body.value === 'string' ? body.value : JSON.stringify(body.value) };
}

/** `application/x-www-form-urlencoded`: arrays repeat the key (form, explode), spaces become `+`. */
function formEncode(operation: OperationPlan, value: JsonValue): string {
  if (!isObject(value)) {
    throw new ArazzoRequestError(
      `${operation.key}: a form-encoded request body must be an object or a string`,
      { operation: operation.key },
    );
  }
  const enc = (text: string): string => encodeURIComponent(text).replace(/%20/g, '+');
  const pairs: string[] = [];
  for (const [key, item] of entriesOf(value)) {
    if (item === null) continue;
    for (const one of Array.isArray(item) ? item : [item]) pairs.push(`${enc(key)}=${enc(scalarText(one))}`);
  }
  return pairs.join('&');
}
