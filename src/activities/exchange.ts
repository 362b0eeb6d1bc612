/**
 * One HTTP exchange with a configured source: URL confined to the base URL, credentials added,
 * response read with a size cap, heartbeats while waiting so Temporal cancellation reaches us.
 * HTTP statuses come back as data; only transport problems and unsafe requests throw.
 */
import { activityInfo, cancellationSignal, heartbeat } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { Got } from 'got';
import type { IncomingHttpHeaders } from 'node:http';
import { hasControlCharacter } from '../arazzo/http-text.js';
import type { JsonValue } from '../arazzo/model.js';
import type { StepResponse } from '../arazzo/machine/state.js';
import type { HttpRequestSpec } from '../arazzo/request/index.js';
import type { Authorizer } from './auth.js';
import type { SourceConnection } from '../config/index.js';
import { currentHeartbeatDetails } from './heartbeat-details.js';
import type { Redactor } from './redact.js';
import { Failure } from '../arazzo/failures.js';

/** What came back, before any retry decision (a response not adopted from elsewhere). */
export type Exchange = Omit<StepResponse, 'adopted'>;

/** Everything an exchange needs about its source. */
export interface ExchangeTarget {
  connection: SourceConnection;
  authorizer: Authorizer;
}

export interface ExchangeDeps {
  got: Got;
  redactor: Redactor;
  heartbeatIntervalMs: number;
}

/** Headers the transport owns; a document must not set them. */
const TRANSPORT_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'proxy-authorization',
  'proxy-connection',
]);
/** Response headers never handed to workflow history. */
const DROPPED_RESPONSE_HEADERS = new Set(['set-cookie', 'authorization', 'proxy-authorization']);
/** Node/got codes for a request that can never be sent as built: retrying cannot help. */
const INVALID_REQUEST_CODES = new Set([
  'ERR_INVALID_CHAR',
  'ERR_INVALID_HTTP_TOKEN',
  'ERR_INVALID_URL',
  'ERR_HTTP_INVALID_HEADER_VALUE',
  'ERR_INVALID_ARG_TYPE',
]);

/**
 * Sends one request. A 401 answered to a minted token invalidates it and the request is sent once
 * more with a fresh token.
 *
 * @throws ApplicationFailure `HttpTransportError` (retryable) for timeouts, resets and refused
 *   connections; `UnsafeRequestUrl` / `HttpRequestInvalid` (non-retryable) for requests that must not
 *   or cannot be sent; the cancellation failure when the activity was cancelled
 */
export async function exchange(
  deps: ExchangeDeps,
  target: ExchangeTarget,
  request: HttpRequestSpec,
): Promise<Exchange> {
  const url = buildUrl(target.connection.baseUrl, request);
  const method = request.method.toUpperCase();
  if (request.body !== undefined && (method === 'GET' || method === 'HEAD')) {
    // got refuses this with a TypeError that would otherwise look like a retryable transport error.
    throw ApplicationFailure.nonRetryable(
      `Refusing to call ${request.operation}: a ${method} request cannot have a body`,
      Failure.httpRequestInvalid,
    );
  }
  const safeUrl = redactUrl(url, deps.redactor);
  const baseHeaders = requestHeaders(request);
  let authorization = await target.authorizer.header();
  let result = await sendOnce(
    deps,
    target.connection,
    request,
    url,
    safeUrl,
    withAuth(baseHeaders, authorization),
  );
  if (
    result.statusCode === 401 &&
    authorization !== undefined &&
    target.authorizer.invalidate(authorization)
  ) {
    authorization = await target.authorizer.header();
    result = await sendOnce(
      deps,
      target.connection,
      request,
      url,
      safeUrl,
      withAuth(baseHeaders, authorization),
    );
  }
  return result;
}

function withAuth(
  headers: Record<string, string>,
  authorization: string | undefined,
): Record<string, string> {
  return authorization === undefined ? headers : { ...headers, authorization };
}

/** Returns the URL for `request`, or throws when it would leave the configured base URL. */
export function buildUrl(baseUrl: string, request: HttpRequestSpec): URL {
  const base = new URL(baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const path = request.path;
  const unsafe = (why: string): ApplicationFailure =>
    ApplicationFailure.nonRetryable(
      `Refusing to call ${request.operation}: the request ${why}`,
      Failure.unsafeRequestUrl,
    );
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//'))
    throw unsafe('path must start with a single "/"');
  if (/[\\?#\s]/.test(path) || hasControlCharacter(path))
    throw unsafe('path contains "\\", "?", "#", whitespace or a control character');
  const pairs = request.query.map(([name, value]) => {
    if (/[&#=\s]/.test(name) || /[&#\s]/.test(value) || hasControlCharacter(name + value)) {
      throw unsafe('query contains an unencoded "&", "#", "=" or whitespace');
    }
    return `${name}=${value}`;
  });
  // OpenAPI 3.2 `in: querystring`: the whole query string, already encoded by the request builder.
  if (request.querystring !== undefined) {
    if (
      typeof request.querystring !== 'string' ||
      /[#\s]/.test(request.querystring) ||
      hasControlCharacter(request.querystring)
    )
      throw unsafe('query string contains an unencoded "#", whitespace or a control character');
    if (request.querystring !== '') pairs.unshift(request.querystring);
  }
  const url = new URL(`${base.origin}${basePath}${path}${pairs.length > 0 ? `?${pairs.join('&')}` : ''}`);
  // The parser must not have normalized anything away (dot segments, `%2e%2e`): the path the
  // server sees is exactly the base path plus the request path.
  if (url.origin !== base.origin || url.pathname !== `${basePath}${path}`) {
    throw unsafe(`path ${path} does not stay under ${basePath === '' ? '/' : basePath}`);
  }
  return url;
}

/** The URL without secret query values or known secrets, for results, errors and logs. */
export function redactUrl(url: URL, redactor: Redactor): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return redactor.text(copy.href);
}

function requestHeaders(request: HttpRequestSpec): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'arazzo-temporal' };
  for (const [rawName, value] of Object.entries(request.headers)) {
    const name = rawName.toLowerCase();
    // Credentials come only from the connection, never from the document.
    if (TRANSPORT_HEADERS.has(name) || name === 'authorization' || name === 'cookie') continue;
    headers[name] = value;
  }
  const cookies = Object.entries(request.cookies ?? {});
  if (cookies.length > 0) headers['cookie'] = cookies.map(([name, value]) => `${name}=${value}`).join('; ');
  if (request.body !== undefined) headers['content-type'] = request.body.contentType;
  for (const [name, value] of Object.entries(headers)) {
    if (hasControlCharacter(value) || hasControlCharacter(name)) {
      throw ApplicationFailure.nonRetryable(
        `Refusing to call ${request.operation}: header "${name}" contains a line break or control character`,
        Failure.httpRequestInvalid,
      );
    }
  }
  return headers;
}

function serializeBody(request: HttpRequestSpec): string | undefined {
  if (request.body === undefined) return undefined;
  const { contentType, content } = request.body;
  const mediaType = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  const isJson = mediaType === 'application/json' || mediaType.endsWith('+json');
  return isJson || typeof content !== 'string' ? JSON.stringify(content) : content;
}

async function sendOnce(
  deps: ExchangeDeps,
  connection: SourceConnection,
  request: HttpRequestSpec,
  url: URL,
  safeUrl: string,
  headers: Record<string, string>,
): Promise<Exchange> {
  const signal = cancellationSignal();
  const method = request.method.toUpperCase();
  const body = serializeBody(request);
  // Heartbeats are how the server tells this worker about a cancellation; a create call may wait
  // two minutes for its answer.
  // Local activities (polls) have no heartbeats: their cancellation arrives with the workflow task.
  const beat = activityInfo().isLocal ? () => undefined : () => heartbeat(currentHeartbeatDetails());
  beat();
  const ticker = setInterval(beat, deps.heartbeatIntervalMs);
  let opened: ReturnType<Got['stream']> | undefined;
  try {
    const stream = deps.got.stream(url, {
      method: method as 'GET',
      headers,
      ...(body === undefined ? {} : { body }),
      throwHttpErrors: false,
      retry: { limit: 0 },
      followRedirect: false,
      timeout: { request: connection.timeoutMs },
      signal,
    });
    opened = stream;
    // A body-less POST/DELETE stream otherwise waits for us to write a body.
    if (body === undefined && method !== 'GET' && method !== 'HEAD') stream.end();
    const response = await new Promise<{ statusCode: number; headers: IncomingHttpHeaders }>(
      (resolve, reject) => {
        stream.once('response', resolve);
        stream.once('error', reject);
      },
    );
    const { bytes, truncated } = await readCapped(stream, connection.maxBodyBytes);
    const result: Exchange = {
      statusCode: response.statusCode,
      headers: responseHeaders(response.headers),
      url: safeUrl,
      method,
    };
    if (truncated) {
      result.body = `[truncated: the response body is larger than ${connection.maxBodyBytes} bytes] ${bytes.subarray(0, 1024).toString('utf8')}`;
      result.bodyTruncated = true;
    } else if (bytes.length > 0) {
      result.body = parseBody(bytes.toString('utf8'), response.headers['content-type']);
    }
    return result;
  } catch (error) {
    throw transportFailure(error, signal, method, safeUrl, deps.redactor);
  } finally {
    clearInterval(ticker);
    // got removes its listener from `signal` only when the request is destroyed, and a body read
    // to its end does not destroy it. `signal` lives as long as the activity: a polling activity
    // would otherwise keep every response it read (docs/benchmarks.md §14). Once the body is
    // read, destroying frees the request; its keep-alive socket is already back in the pool.
    opened?.destroy();
  }
}

async function readCapped(
  stream: AsyncIterable<unknown>,
  cap: number,
): Promise<{ bytes: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    chunks.push(buffer);
    // Leaving the loop destroys the stream: the rest of an oversized body is never downloaded.
    if (size > cap) return { bytes: Buffer.concat(chunks), truncated: true };
  }
  return { bytes: Buffer.concat(chunks), truncated: false };
}

function responseHeaders(raw: IncomingHttpHeaders): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    const key = name.toLowerCase();
    if (value === undefined || DROPPED_RESPONSE_HEADERS.has(key)) continue;
    headers[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** JSON by content type, tolerant: a JSON-looking body without a content type is parsed too; unparseable JSON stays text. */
function parseBody(text: string, contentType: string | undefined): JsonValue {
  const type = (contentType ?? '').toLowerCase();
  const looksJson = /^\s*[[{]/.test(text);
  if (type.includes('json') || ((type === '' || type.startsWith('text/plain')) && looksJson)) {
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      return text;
    }
  }
  return text;
}

function transportFailure(
  error: unknown,
  signal: AbortSignal,
  method: string,
  url: string,
  redactor: Redactor,
): unknown {
  if (error instanceof ApplicationFailure) return error;
  if (signal.aborted) {
    // Temporal reports the activity as cancelled only for its own CancelledFailure (or an AbortError).
    return signal.reason instanceof Error ? signal.reason : new CancelledFailure('Activity cancelled');
  }
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'UNKNOWN';
  const message = `${method} ${url} failed (${code}): ${redactor.message(error)}`;
  if (INVALID_REQUEST_CODES.has(code))
    return ApplicationFailure.nonRetryable(message, Failure.httpRequestInvalid);
  return ApplicationFailure.retryable(message, Failure.httpTransportError);
}
