/**
 * The Airbyte public API operations the project uses, answered the way Airbyte answers them.
 * Routing and handling are synchronous; delays, faults and auth are applied by the server around them.
 */
import type { Authenticator } from './auth.js';
import { jsonReply, parseBody } from './http-io.js';
import type { Reply } from './http-io.js';
import { isUuid, pageLinks, parseListJobsQuery } from './list-jobs-query.js';
import { problemReply, problems } from './problems.js';
import type { SimulatorStore } from './store.js';
import type { OperationId } from './types.js';

/** Served under both prefixes: Cloud's `/v1` and self-managed `/api/public/v1`. */
const PREFIXES = ['/api/public/v1', '/v1'];

export interface Route {
  op: OperationId;
  /** The prefix the client used, to build page links the same way. */
  prefix: string;
  jobIdRaw?: string;
}

export type RouteResult =
  { kind: 'route'; route: Route } | { kind: 'methodNotAllowed'; allow: string } | undefined;

/** Maps a method and path to an operation. */
export function routePublic(method: string, pathname: string): RouteResult {
  if (pathname === '/health') return method === 'GET' ? route('getHealthCheck', '') : notAllowed('GET');
  const prefix = PREFIXES.find((p) => pathname.startsWith(`${p}/`));
  if (prefix === undefined) return undefined;
  const rest = pathname.slice(prefix.length);
  if (rest === '/health') return method === 'GET' ? route('getHealthCheck', prefix) : notAllowed('GET');
  if (rest === '/applications/token')
    return method === 'POST' ? route('createAccessToken', prefix) : notAllowed('POST');
  if (rest === '/jobs') {
    if (method === 'GET') return route('listJobs', prefix);
    if (method === 'POST') return route('createJob', prefix);
    return notAllowed('GET, POST');
  }
  const match = /^\/jobs\/([^/]+)$/.exec(rest);
  if (match?.[1] !== undefined) {
    const jobIdRaw = decodeURIComponent(match[1]);
    if (method === 'GET') return route('getJob', prefix, jobIdRaw);
    if (method === 'DELETE') return route('cancelJob', prefix, jobIdRaw);
    return notAllowed('GET, DELETE');
  }
  return undefined;
}

function route(op: OperationId, prefix: string, jobIdRaw?: string): RouteResult {
  return { kind: 'route', route: { op, prefix, ...(jobIdRaw === undefined ? {} : { jobIdRaw }) } };
}

function notAllowed(allow: string): RouteResult {
  return { kind: 'methodNotAllowed', allow };
}

export interface ApiRequest {
  route: Route;
  query: URLSearchParams;
  rawBody: string;
  contentType: string | undefined;
  /** `http://host:port`, for page links. */
  origin: string;
}

export interface ApiContext {
  store: SimulatorStore;
  auth: Authenticator;
  autoCreateConnections: boolean;
  notFoundStatus: 404 | 403;
  cancelTerminalStatus: 409 | 500;
  /** Set when behaving like Airbyte before 0.53.1: how a `listJobs` with `orderBy` fails. */
  orderByBroken?: 400 | 500;
}

/** What a request is about, known before it is handled (for the log and per-connection faults). */
export function requestTarget(
  ctx: ApiContext,
  request: ApiRequest,
): { connectionId?: string; jobId?: number } {
  const { op, jobIdRaw } = request.route;
  if (op === 'getJob' || op === 'cancelJob') {
    const jobId = parseJobId(jobIdRaw);
    const connectionId = jobId === undefined ? undefined : ctx.store.jobConnectionId(jobId);
    return { ...(jobId === undefined ? {} : { jobId }), ...(connectionId ? { connectionId } : {}) };
  }
  if (op === 'listJobs') {
    const connectionId = request.query.get('connectionId');
    return connectionId && isUuid(connectionId) ? { connectionId: connectionId.toLowerCase() } : {};
  }
  if (op === 'createJob') {
    const parsed = parseBody(request.rawBody, request.contentType, false);
    const value: unknown = parsed.ok ? parsed.value : undefined;
    const connectionId =
      typeof value === 'object' && value !== null
        ? (value as Record<string, unknown>)['connectionId']
        : undefined;
    return typeof connectionId === 'string' && isUuid(connectionId)
      ? { connectionId: connectionId.toLowerCase() }
      : {};
  }
  return {};
}

/** Handles an authorized request. */
export function handleApiRequest(ctx: ApiContext, request: ApiRequest): Reply {
  switch (request.route.op) {
    case 'getHealthCheck':
      return { status: 200, contentType: 'text/plain', body: 'Successful operation' };
    case 'createAccessToken':
      return createAccessToken(ctx, request);
    case 'createJob':
      return createJob(ctx, request);
    case 'getJob':
      return getJob(ctx, request);
    case 'cancelJob':
      return cancelJob(ctx, request);
    case 'listJobs':
      return listJobs(ctx, request);
  }
}

function createAccessToken(ctx: ApiContext, request: ApiRequest): Reply {
  const parsed = parseBody(request.rawBody, request.contentType, true);
  if (!parsed.ok) return problemReply(problems.badRequest('Malformed JSON body'));
  const result = ctx.auth.mintToken(parsed.value);
  if (result.kind === 'token') return jsonReply(200, result.body);
  if (result.kind === 'badRequest') return problemReply(problems.badRequest(result.message));
  return problemReply(problems.forbidden(result.message));
}

function createJob(ctx: ApiContext, request: ApiRequest): Reply {
  const parsed = parseBody(request.rawBody, request.contentType, false);
  if (!parsed.ok) return problemReply(problems.badRequest('Malformed JSON body'));
  const body = parsed.value;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return problemReply(problems.badRequest('The request body must be a JSON object'));
  }
  const { connectionId, jobType } = body as Record<string, unknown>;
  if (typeof connectionId !== 'string') return problemReply(problems.badRequest('connectionId is required'));
  if (!isUuid(connectionId))
    return problemReply(problems.badRequest(`Invalid UUID for connectionId: ${connectionId}`));
  if (jobType !== 'sync' && jobType !== 'reset' && jobType !== 'clear' && jobType !== 'refresh') {
    return problemReply(problems.badRequest('jobType must be one of sync, reset, refresh, clear'));
  }
  if (jobType === 'refresh')
    return problemReply(problems.unprocessable('Refreshes are not supported in the public API'));
  if (ctx.autoCreateConnections && !ctx.store.connection(connectionId))
    ctx.store.addConnection({ connectionId });
  const result = ctx.store.createJob(connectionId, jobType);
  if (result.kind === 'unknownConnection') return notFound(ctx, 'connection', connectionId);
  if (result.kind === 'conflict') return problemReply(problems.tryAgainLater(connectionId));
  if (result.kind === 'refused') {
    // A sync meets the deleted workflow as WORKFLOW_DELETED (try-again-later); a reset as UNKNOWN
    // (TemporalClient.resetConnection), which ConfigClientErrorHandler turns into the fixed message.
    return problemReply(
      result.state === 'workflow-deleted' && jobType === 'sync'
        ? problems.workflowDeleted(connectionId.toLowerCase())
        : problems.couldNotFulfill(),
    );
  }
  return jsonReply(200, result.job);
}

function getJob(ctx: ApiContext, request: ApiRequest): Reply {
  const jobId = parseJobId(request.route.jobIdRaw);
  if (jobId === undefined) return invalidJobId(request.route.jobIdRaw);
  const job = ctx.store.readJob(jobId);
  return job ? jsonReply(200, job) : notFound(ctx, 'job', String(jobId));
}

function cancelJob(ctx: ApiContext, request: ApiRequest): Reply {
  const jobId = parseJobId(request.route.jobIdRaw);
  if (jobId === undefined) return invalidJobId(request.route.jobIdRaw);
  const result = ctx.store.cancelJob(jobId);
  if (result.kind === 'notFound') return notFound(ctx, 'job', String(jobId));
  if (result.kind === 'cancelled') return jsonReply(200, result.job);
  // Nothing running on the connection: Airbyte's cancellation fails and ConfigClientErrorHandler
  // answers JOB_NOT_RUNNING_MESSAGE; some deployments have been seen answering 500 instead.
  return problemReply(
    ctx.cancelTerminalStatus === 500
      ? problems.unexpected('Job is not currently running')
      : problems.jobNotRunning(),
  );
}

function listJobs(ctx: ApiContext, request: ApiRequest): Reply {
  const orderBy = request.query.get('orderBy');
  if (orderBy !== null && ctx.orderByBroken !== undefined) {
    // Before 0.53.1 the orderBy regex lacked its escape: `createdAt|DESC` never parsed.
    return problemReply(
      ctx.orderByBroken === 400
        ? problems.badRequest(`Invalid order by clause provided: ${orderBy}`)
        : problems.unexpected(`No enum constant OrderByFieldEnum.${orderBy.split('|')[0] ?? ''}`),
    );
  }
  const parsed = parseListJobsQuery(request.query);
  if (!parsed.ok) return problemReply(problems.badRequest(parsed.message));
  const data = ctx.store.listJobs(parsed.filter);
  const links = pageLinks(
    `${request.origin}${request.route.prefix}/jobs`,
    request.query,
    parsed.filter,
    data.length,
  );
  return jsonReply(200, { ...links, data });
}

/** Job ids are int64; anything else is a 400 like a failed path conversion on Airbyte. */
function parseJobId(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\d{1,15}$/.test(raw)) return undefined;
  return Number(raw);
}

function invalidJobId(raw: string | undefined): Reply {
  return problemReply(problems.badRequest(`Invalid jobId: ${raw ?? ''} (expected an integer)`));
}

function notFound(ctx: ApiContext, resourceType: string, resourceId: string): Reply {
  return problemReply(
    ctx.notFoundStatus === 403
      ? problems.forbidden(`User does not have the required permissions to access the ${resourceType}.`)
      : problems.notFound(resourceType, resourceId),
  );
}
