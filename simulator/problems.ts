/**
 * Error bodies as the Airbyte public API sends them: RFC 9457-like problems served as
 * `application/json` (not `problem+json`), with the human message in `data.message`.
 * Types and titles follow Airbyte's problems API description.
 */

const ERRORS_URL = 'https://reference.airbyte.com/reference/errors';

export interface Problem {
  status: number;
  type: string;
  title: string;
  detail: string;
  data?: Record<string, string>;
}

export interface ErrorReply {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

function problem(
  status: number,
  anchor: string | null,
  title: string,
  detail: string,
  data?: Record<string, string>,
): Problem {
  return {
    status,
    type: anchor ? `${ERRORS_URL}#${anchor}` : ERRORS_URL,
    title,
    detail,
    ...(data ? { data } : {}),
  };
}

export const problems = {
  badRequest: (message: string): Problem =>
    problem(
      400,
      'bad-request',
      'bad-request',
      'The request could not be understood by the server due to malformed syntax.',
      {
        message,
      },
    ),
  invalidApiKey: (message: string): Problem =>
    problem(
      401,
      'invalid-api-key',
      'invalid-api-key',
      'The API key in the Authorization header is invalid.',
      { message },
    ),
  forbidden: (message: string): Problem =>
    problem(403, 'forbidden', 'forbidden', 'The request is forbidden.', { message }),
  notFound: (resourceType: string, resourceId: string): Problem =>
    problem(
      404,
      'resource-not-found',
      'resource-not-found',
      `Could not find ${resourceType} with id: ${resourceId}`,
      {
        resourceType,
        resourceId,
      },
    ),
  tryAgainLater: (connectionId: string): Problem =>
    problem(409, 'try-again-later', 'try-again-later', 'Please try again later.', {
      message: `A sync is already running for: ${connectionId}`,
    }),
  /**
   * 409 try-again-later with another message: `TemporalClient` reports a deleted connection
   * manager workflow (WORKFLOW_DELETED) as a `ValueConflictKnownException` too.
   */
  workflowDeleted: (connectionId: string): Problem =>
    problem(409, 'try-again-later', 'try-again-later', 'Please try again later.', {
      message: `The connection manager workflow for connection ${connectionId} is deleted, so no further operations cannot be performed on it.`,
    }),
  /**
   * `ConfigClientErrorHandler` answers every `IllegalStateException` but a failed cancellation
   * with this fixed message (DEFAULT_CONFLICT_MESSAGE): inactive connection, job creation timeout.
   */
  couldNotFulfill: (): Problem =>
    problem(409, '409-state-conflict', 'state-conflict', 'State conflict', {
      message: 'Could not fulfill request',
    }),
  /** `ConfigClientErrorHandler.JOB_NOT_RUNNING_MESSAGE`: a cancel with no job running on the connection. */
  jobNotRunning: (): Problem =>
    problem(409, '409-state-conflict', 'state-conflict', 'State conflict', {
      message: 'Job is not currently running',
    }),
  stateConflict: (message: string): Problem =>
    problem(409, '409-state-conflict', 'state-conflict', 'State conflict', { message }),
  unprocessable: (message: string): Problem =>
    problem(
      422,
      'unprocessable-entity',
      'unprocessable-entity',
      'The body of the request was not understood',
      {
        message,
      },
    ),
  unexpected: (message: string): Problem =>
    problem(
      500,
      null,
      'unexpected-problem',
      'An unexpected problem has occurred. If this is an error that needs to be addressed, please submit a pull request or github issue.',
      { message },
    ),
  serviceUnavailable: (): Problem =>
    problem(503, null, 'service-unavailable', 'The server is currently unable to handle the request.'),
};

export function problemReply(p: Problem, headers?: Record<string, string>): ErrorReply {
  return {
    status: p.status,
    contentType: 'application/json',
    body: JSON.stringify(p),
    ...(headers ? { headers } : {}),
  };
}

/** Airbyte's rate limiter does not use the problem shape. */
export function rateLimitedReply(retryAfterSeconds: number | null | undefined): ErrorReply {
  return {
    status: 429,
    contentType: 'application/json',
    body: JSON.stringify({ message: 'You are being rate limited.' }),
    ...(retryAfterSeconds === null || retryAfterSeconds === undefined
      ? {}
      : { headers: { 'Retry-After': String(Math.max(0, Math.round(retryAfterSeconds))) } }),
  };
}

const PROXY_TEXT: Record<number, string> = { 502: '502 Bad Gateway', 504: '504 Gateway Time-out' };

/**
 * An injected error status. 502/504 come from the proxy in front of Airbyte, so they carry the
 * proxy's HTML page rather than JSON; 500/503 and 4xx carry problems.
 */
export function injectedReply(status: number, retryAfterSeconds?: number): ErrorReply {
  const headers = retryAfterSeconds === undefined ? undefined : { 'Retry-After': String(retryAfterSeconds) };
  if (status === 429) return rateLimitedReply(retryAfterSeconds);
  const proxyText = PROXY_TEXT[status];
  if (proxyText) {
    const body = `<html><head><title>${proxyText}</title></head><body><center><h1>${proxyText}</h1></center></body></html>\n`;
    return { status, contentType: 'text/html', body, ...(headers ? { headers } : {}) };
  }
  if (status === 503) return problemReply(problems.serviceUnavailable(), headers);
  if (status >= 500) return problemReply({ ...problems.unexpected('Injected fault'), status }, headers);
  return problemReply(
    problem(status, null, 'injected-fault', 'Injected fault', { message: 'Injected fault' }),
    headers,
  );
}
