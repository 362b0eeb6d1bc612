/**
 * The operation-call activity: every Arazzo step that calls an API operation runs this (the worker
 * registers it as the default activity, so the activity type is the operation key). HTTP statuses
 * are returned as data for the Arazzo criteria to judge; only what Temporal should retry (transport
 * errors, 429/502/503/504, a busy resource) or must not retry (unknown source, unsafe request)
 * throws. Temporal owns retries: got never retries on its own.
 */
import { activityInfo, log as activityLog } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Got } from 'got';
import gotDefault from 'got';
import type { AdoptRequest, CallInput, CallOperation, StepResponse } from '../contract/index.js';
import { retryAfterDelayMs } from '../arazzo/http-text.js';
import { getByPointer } from '../arazzo/json-pointer.js';
import type { JsonValue } from '../arazzo/model.js';
import type { HttpRequestSpec } from '../arazzo/request/index.js';
import { chooseAmong, createdAtMs, isRunningConflict, lookupItems, serverMessage } from './adopt.js';
import type { AdoptionChoice } from './adopt.js';
import { createAuthorizer } from './auth.js';
import type { Authorizer } from './auth.js';
import type { SourceConnection } from '../config/index.js';
import { buildUrl, exchange, redactUrl } from './exchange.js';
import type { Exchange, ExchangeTarget } from './exchange.js';
import { currentHeartbeatDetails, setHeartbeatDetails } from './heartbeat-details.js';
import { createRedactor, secretsOfConnections } from './redact.js';
import type { Redactor } from './redact.js';
import { Failure } from '../arazzo/failures.js';

/** Input of one operation call: the contract's message. */
export type HttpActivityInput = CallInput;

/** The response as the workflow sees it (plain JSON, recorded in history): the machine's own type. */
export type HttpActivityResult = StepResponse;

/** Where activity log lines go; defaults to the Temporal activity logger. */
export interface HttpActivityLogger {
  debug?(message: string, attributes?: Record<string, unknown>): void;
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
}

export interface HttpActivityDeps {
  connections: Record<string, SourceConnection>;
  got?: Got;
  log?: HttpActivityLogger;
  /** Epoch milliseconds; injectable so token expiry and `Retry-After` dates are tested without waiting. */
  now?: () => number;
  /** How often to heartbeat while waiting for a response (default 5 s). */
  heartbeatIntervalMs?: number;
  /** More values to redact, beyond the connections' credentials (a proxy's password). */
  secrets?: string[];
}

/** Statuses that mean "try again later" rather than an answer about the request. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
/** Seconds of slack when matching a retry to the resource its earlier attempt may have created: server times have second precision and clocks drift. */
const ADOPT_CLOCK_SLACK_MS = 5000;
const BUSY_RETRY_DELAY = '10s';
/** Answers to a create after which the server may or may not have created the resource. */
const UNKNOWN_OUTCOME_STATUSES = new Set([500, 502, 504]);
/** Default settle window after a create whose answer was lost, in multiples of the HTTP timeout. */
const SETTLE_TIMEOUTS = 5;

/** What a create attempt leaves in its heartbeat details for the next attempt. */
interface CreateNote {
  /** When the create request whose outcome is not known yet was sent (epoch ms, worker clock). */
  createSentAtMs?: number;
}

/**
 * Creates the operation-call activity with its connections, HTTP client and token caches.
 * Build it once per worker: token caches live as long as it does.
 */
export function createHttpActivities(deps: HttpActivityDeps): { callOperation: CallOperation } {
  const got = deps.got ?? gotDefault;
  const now = deps.now ?? Date.now;
  const redactor = createRedactor([...secretsOfConnections(deps.connections), ...(deps.secrets ?? [])]);
  const log = redactingLogger(deps.log ?? activityLog, redactor);
  const exchangeDeps = { got, redactor, heartbeatIntervalMs: deps.heartbeatIntervalMs ?? 5000 };
  const targets = buildTargets(deps.connections, got, redactor, now);

  const targetFor = (request: HttpRequestSpec): ExchangeTarget => {
    const target = Object.prototype.hasOwnProperty.call(targets, request.sourceName)
      ? targets[request.sourceName]
      : undefined;
    if (target === undefined) {
      throw ApplicationFailure.nonRetryable(
        `No connection is configured for source "${request.sourceName}" (operation ${request.operation})`,
        Failure.unknownSource,
      );
    }
    return target;
  };

  const send = async (request: HttpRequestSpec): Promise<Exchange> => {
    const result = await exchange(exchangeDeps, targetFor(request), request);
    // One line per poll is too much at INFO for hundreds of runs: it is a DEBUG line.
    log.debug?.('HTTP exchange', {
      operation: request.operation,
      method: result.method,
      url: result.url,
      statusCode: result.statusCode,
      attempt: activityInfo().attempt,
    });
    return result;
  };

  /**
   * Runs the lookup and picks a resource. When the server refuses the lookup's ordering (Airbyte
   * before 0.53.1 cannot parse `orderBy=createdAt|DESC`: 400 or 500), looks again unordered, page
   * by page, as the spec's `unorderedFallback` says.
   */
  const lookup = async (
    adopt: AdoptRequest,
    notBeforeMs?: number,
  ): Promise<{ ok: true; choice: AdoptionChoice } | { ok: false; reason: string }> => {
    const listed = await send(adopt.lookup);
    const fallback = adopt.unorderedFallback;
    if (fallback && (listed.statusCode === 400 || listed.statusCode === 500)) {
      log.warn('The server refused the ordered lookup; looking again without ordering', {
        operation: adopt.lookup.operation,
        statusCode: listed.statusCode,
        message: serverMessage(listed.body) ?? null,
      });
      const items: JsonValue[] = [];
      for (let page = 0; page < fallback.maxPages; page++) {
        const query = adopt.lookup.query.filter(
          ([name]) =>
            !fallback.dropParameters.includes(name) &&
            name !== fallback.limitParameter &&
            name !== fallback.offsetParameter,
        );
        query.push([fallback.limitParameter, String(fallback.pageSize)]);
        query.push([fallback.offsetParameter, String(page * fallback.pageSize)]);
        const pageResult = await send({ ...adopt.lookup, query });
        failUnlessListed(adopt, pageResult);
        const found = lookupItems(pageResult.body, adopt);
        if (!found.ok) return found;
        items.push(...found.value);
        if (found.value.length < fallback.pageSize) break;
      }
      return chooseAmong(items, adopt, notBeforeMs);
    }
    failUnlessListed(adopt, listed);
    const found = lookupItems(listed.body, adopt);
    return found.ok ? chooseAmong(found.value, adopt, notBeforeMs) : found;
  };

  const failUnlessListed = (adopt: AdoptRequest, listed: Exchange): void => {
    throwIfRetryableStatus(listed, now, redactor, true);
    if (listed.statusCode < 200 || listed.statusCode > 299) {
      const message = `Looking up ${adopt.lookup.operation} to avoid a duplicate failed: ${listed.method} ${listed.url} answered ${listed.statusCode}`;
      throw listed.statusCode >= 500
        ? ApplicationFailure.retryable(message, Failure.adoptLookupFailed)
        : ApplicationFailure.nonRetryable(
            message,
            Failure.adoptLookupFailed,
            redactor.value({ statusCode: listed.statusCode, body: listed.body ?? null }),
          );
    }
  };

  const adopted = (
    request: HttpRequestSpec,
    reason: 'conflict' | 'unknown-outcome',
    item: JsonValue,
    resourceId: JsonValue,
  ): HttpActivityResult => {
    log.info('Adopted an existing resource instead of creating one', {
      operation: request.operation,
      reason,
      resourceId,
    });
    return {
      statusCode: 200,
      headers: {},
      body: item,
      url: redactUrl(buildUrl(targetFor(request).connection.baseUrl, request), redactor),
      method: request.method.toUpperCase(),
      adopted: { reason, resourceId },
    };
  };

  return {
    async callOperation(input: HttpActivityInput): Promise<HttpActivityResult> {
      const { request, adopt } = input;
      const target = targetFor(request);
      const info = activityInfo();
      if (adopt !== undefined && info.attempt > 1) {
        // An earlier attempt may have created the resource before failing (client timeout while
        // the server kept working): look for it before EVERY retry, whatever the time elapsed.
        const note = readCreateNote(currentHeartbeatDetails());
        const sentAtMs = note.createSentAtMs ?? info.scheduledTimestampMs;
        const found = await lookup(adopt, sentAtMs - ADOPT_CLOCK_SLACK_MS);
        if (found.ok) return adopted(request, 'unknown-outcome', found.choice.item, found.choice.resourceId);
        // A create whose answer was lost may still be under way on the server (Airbyte has been
        // seen to take minutes): until the settle window after it has passed, only look again.
        const settleMs =
          adopt.settleSeconds !== undefined && adopt.settleSeconds > 0
            ? adopt.settleSeconds * 1000
            : SETTLE_TIMEOUTS * target.connection.timeoutMs;
        if (note.createSentAtMs !== undefined) {
          const leftMs = note.createSentAtMs + settleMs - now();
          if (leftMs > 0) {
            throw ApplicationFailure.create({
              message: `${request.operation}: the outcome of the create sent ${Math.round((now() - note.createSentAtMs) / 1000)} s ago is unknown and no resource from it was found yet (${found.reason}); looking again before any new create (settle window ${Math.round(settleMs / 1000)} s)`,
              type: Failure.createOutcomeUnknown,
              nextRetryDelay: Math.max(1000, Math.min(leftMs, target.connection.timeoutMs)),
            });
          }
        }
        log.info('No resource from an earlier attempt found; sending the request', {
          operation: request.operation,
          reason: found.reason,
        });
      }
      const sentAtMs = now();
      if (adopt !== undefined) setHeartbeatDetails({ createSentAtMs: sentAtMs } satisfies CreateNote);
      let result: Exchange;
      try {
        result = await send(request);
      } catch (error) {
        throw adopt === undefined ? error : delayedForInFlightCreate(error, 2 * target.connection.timeoutMs);
      }
      // A definite answer: nothing of this attempt is left in flight for the next one to wait for.
      if (adopt !== undefined && !UNKNOWN_OUTCOME_STATUSES.has(result.statusCode)) setHeartbeatDetails({});
      if (adopt !== undefined && adopt.conflictStatuses.includes(result.statusCode)) {
        return resolveConflict(request, adopt, result);
      }
      const method = request.method.toUpperCase();
      throwIfRetryableStatus(
        result,
        now,
        redactor,
        adopt !== undefined || method === 'GET' || method === 'HEAD',
      );
      // Airbyte answers a sync created while one is queued with that job (200): it is not ours.
      const created = adopt === undefined ? undefined : createdAtMs(result.body, adopt);
      if (adopt && created !== undefined && result.statusCode >= 200 && result.statusCode < 300) {
        const id = getByPointer(result.body, adopt.idPointer);
        if (created < sentAtMs - ADOPT_CLOCK_SLACK_MS && id.ok) {
          // The same choice as for a 409: attach to it, wait for it to end, or fail.
          const said = `answered with ${JSON.stringify(id.value)}, created before our request (already queued)`;
          if (adopt.onConflict === 'fail')
            throw ApplicationFailure.nonRetryable(`${request.operation} ${said}`, Failure.resourceConflict);
          if (adopt.onConflict === 'wait') {
            throw ApplicationFailure.create({
              message: `${request.operation} ${said}; waiting for it to end`,
              type: Failure.resourceBusy,
              nextRetryDelay: BUSY_RETRY_DELAY,
            });
          }
          log.info('The server answered with a job it already had; attached to it', {
            operation: request.operation,
            resourceId: id.value,
          });
          return { ...result, adopted: { reason: 'conflict', resourceId: id.value } };
        }
      }
      return result;
    },
  };

  async function resolveConflict(
    request: HttpRequestSpec,
    adopt: AdoptRequest,
    result: Exchange,
  ): Promise<HttpActivityResult> {
    const said = redactor.text(serverMessage(result.body) ?? `status ${result.statusCode}`);
    const details = redactor.value({ statusCode: result.statusCode, message: said });
    // Only "one is already running" can be attached to or waited for. Airbyte answers the same
    // 409 to an inactive or deleted connection and to a server-side timeout creating the job
    // (ConfigClientErrorHandler): retrying those cannot help, so the step fails at once.
    if (!isRunningConflict(result.body, adopt)) {
      throw ApplicationFailure.nonRetryable(
        `${request.operation} answered ${result.statusCode}: ${said}`,
        Failure.resourceConflict,
        details,
      );
    }
    switch (adopt.onConflict) {
      case 'attach': {
        const found = await lookup(adopt);
        if (found.ok) return adopted(request, 'conflict', found.choice.item, found.choice.resourceId);
        // The resource in the way may have ended between the two calls: a retry creates ours.
        throw ApplicationFailure.retryable(
          `${request.operation} answered ${result.statusCode} (${said}) but no active resource was found to attach to: ${found.reason}`,
          Failure.resourceConflictUnresolved,
          details,
        );
      }
      case 'wait': {
        // The workflow waits for the running resource on durable timers (polling the same lookup),
        // then creates its own: report which one is in the way instead of retrying the POST here.
        // Any active job of the connection is in the way, whatever its type (see
        // src/arazzo/machine/blocking.ts): no `match` here.
        const found = await lookup({ ...adopt, match: undefined });
        if (found.ok) {
          const status = getByPointer(found.choice.item, adopt.statusPointer);
          return {
            ...result,
            body: redactor.value(result.body ?? null) as JsonValue,
            blockedBy: {
              resourceId: found.choice.resourceId,
              status: status.ok && typeof status.value === 'string' ? status.value : 'unknown',
            },
          };
        }
        // It ended between the two calls: the retry creates ours.
        throw ApplicationFailure.create({
          message: `${request.operation} answered ${result.statusCode} (${said}); waiting for the running resource to end`,
          type: Failure.resourceBusy,
          nextRetryDelay: BUSY_RETRY_DELAY,
          details: [details],
        });
      }
      case 'fail':
        throw ApplicationFailure.nonRetryable(
          `${request.operation} answered ${result.statusCode}: ${said}`,
          Failure.resourceConflict,
          details,
        );
    }
  }
}

/**
 * A create that got no answer (timeout, reset) may still be running on the server: Airbyte has been
 * seen to take minutes to create a job. Retrying at once would look for the job before it exists
 * and create a second one, so the retry waits twice as long as the request was given (a server that
 * answers late took longer than the timeout already); then it looks for the job before creating.
 */
function delayedForInFlightCreate(error: unknown, timeoutMs: number): unknown {
  if (!(error instanceof ApplicationFailure) || error.type !== Failure.httpTransportError) return error;
  return ApplicationFailure.create({
    message: `${error.message} (the server may still be creating it: looking for it in ${Math.round(timeoutMs / 1000)} s before any new attempt)`,
    type: Failure.httpTransportError,
    nextRetryDelay: timeoutMs,
    details: error.details ? [...error.details] : [],
  });
}

/** The note an earlier attempt left, if any (anything else in the details is ignored). */
function readCreateNote(details: unknown): CreateNote {
  if (typeof details !== 'object' || details === null) return {};
  const sent = (details as Record<string, unknown>)['createSentAtMs'];
  return typeof sent === 'number' && Number.isFinite(sent) ? { createSentAtMs: sent } : {};
}

function buildTargets(
  connections: Record<string, SourceConnection>,
  got: Got,
  redactor: Redactor,
  now: () => number,
): Record<string, ExchangeTarget> {
  // Sources with the same client share a token cache: one token, one refresh.
  const shared = new Map<string, Authorizer>();
  const targets: Record<string, ExchangeTarget> = {};
  for (const [name, connection] of Object.entries(connections)) {
    const { auth } = connection;
    const key = auth.type === 'clientCredentials' ? `${auth.tokenUrl}\u0000${auth.clientId}` : undefined;
    let authorizer = key === undefined ? undefined : shared.get(key);
    if (authorizer === undefined) {
      authorizer = createAuthorizer(auth, { got, redactor, now, timeoutMs: connection.timeoutMs });
      if (key !== undefined) shared.set(key, authorizer);
    }
    targets[name] = { connection, authorizer };
  }
  return targets;
}

/** 429/502/503/504: let Temporal retry, after the server's `Retry-After` when it gave one. */
/**
 * `retry500`: a 500 is retried for reads and for creates that can be adopted (the retry looks for
 * the resource first), never for other writes (Airbyte answers 500 to a cancel of a finished job).
 */
function throwIfRetryableStatus(
  result: Exchange,
  now: () => number,
  redactor: Redactor,
  retry500 = false,
): void {
  if (!RETRYABLE_STATUSES.has(result.statusCode) && !(retry500 && result.statusCode === 500)) return;
  const delayMs = retryAfterMs(result.headers['retry-after'], now());
  const said = serverMessage(result.body);
  throw ApplicationFailure.create({
    message: redactor.text(
      `${result.method} ${result.url} answered ${result.statusCode}${said === undefined ? '' : `: ${said}`}`,
    ),
    type: Failure.httpRetryableStatus,
    details: [
      redactor.value({ statusCode: result.statusCode, retryAfter: result.headers['retry-after'] ?? null }),
    ],
    ...(delayMs === undefined ? {} : { nextRetryDelay: delayMs }),
  });
}

/** `Retry-After` as delay-seconds or an HTTP-date, in milliseconds (at least 1 s, so a `0` cannot spin). */
export function retryAfterMs(header: string | undefined, nowMs: number): number | undefined {
  const delayMs = retryAfterDelayMs(header, nowMs);
  return delayMs === undefined ? undefined : Math.max(1000, delayMs);
}

function redactingLogger(target: HttpActivityLogger, redactor: Redactor): HttpActivityLogger {
  return {
    debug: (message, attributes) =>
      target.debug?.(
        redactor.text(message),
        attributes === undefined ? undefined : redactor.value(attributes),
      ),
    info: (message, attributes) =>
      target.info(redactor.text(message), attributes === undefined ? undefined : redactor.value(attributes)),
    warn: (message, attributes) =>
      target.warn(redactor.text(message), attributes === undefined ? undefined : redactor.value(attributes)),
  };
}
