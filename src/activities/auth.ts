/**
 * Credentials for outgoing requests. Client-credentials tokens are minted on demand, cached per
 * token endpoint and client, refreshed before they expire (Airbyte tokens live 3-15 minutes while
 * a sync can be polled for days) and re-minted once when the server rejects one with a 401.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Got } from 'got';
import type { SourceAuth } from '../config/index.js';
import type { Redactor } from './redact.js';
import { Failure } from '../arazzo/failures.js';

/** The `Authorization` header for one source. */
export interface Authorizer {
  /** The header value to send, or undefined when the source needs none. */
  header(): Promise<string | undefined>;
  /**
   * Forgets a token the server rejected. Only the token that was sent is dropped, so many callers
   * failing with the same stale token cause one re-mint, not one each.
   * @returns whether a retry can use a different credential (only minted tokens can change)
   */
  invalidate(rejectedHeader: string): boolean;
}

export interface AuthorizerDeps {
  got: Got;
  redactor: Redactor;
  /** Milliseconds since the epoch; injectable so expiry is tested without waiting. */
  now?: () => number;
  /** Timeout of one token request. */
  timeoutMs: number;
}

/** Tokens without `expires_in` are assumed to live 3 minutes, the shortest Airbyte documents. */
const DEFAULT_TTL_SECONDS = 180;
/** Refresh this long before expiry, or at half-life when the token lives less than twice this. */
const REFRESH_MARGIN_SECONDS = 60;

/** Makes the authorizer for one source's auth settings. */
export function createAuthorizer(auth: SourceAuth, deps: AuthorizerDeps): Authorizer {
  switch (auth.type) {
    case 'none':
      return { header: () => Promise.resolve(undefined), invalidate: () => false };
    case 'bearer':
      return { header: () => Promise.resolve(`Bearer ${auth.token}`), invalidate: () => false };
    case 'basic': {
      const value = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
      return { header: () => Promise.resolve(value), invalidate: () => false };
    }
    case 'clientCredentials':
      return createTokenCache(auth, deps);
  }
}

interface CachedToken {
  header: string;
  /** When to stop using it and mint a new one. */
  refreshAt: number;
}

/** When a token of this lifetime should be replaced: 60 s early, or at half-life for short-lived tokens. */
export function refreshDelaySeconds(expiresInSeconds: number): number {
  return expiresInSeconds - Math.min(REFRESH_MARGIN_SECONDS, expiresInSeconds / 2);
}

function createTokenCache(
  auth: Extract<SourceAuth, { type: 'clientCredentials' }>,
  deps: AuthorizerDeps,
): Authorizer {
  const now = deps.now ?? Date.now;
  let cached: CachedToken | undefined;
  let inflight: Promise<CachedToken> | undefined;

  // Not tied to one activity's cancellation: other callers may be waiting on the same mint, and
  // the request timeout bounds it.
  const mint = async (): Promise<CachedToken> => {
    const startedAt = now();
    const response = await deps.got
      .post(auth.tokenUrl, {
        json: {
          client_id: auth.clientId,
          client_secret: auth.clientSecret,
          'grant-type': 'client_credentials',
        },
        headers: { accept: 'application/json' },
        throwHttpErrors: false,
        retry: { limit: 0 },
        followRedirect: false,
        timeout: { request: deps.timeoutMs },
        responseType: 'text',
      })
      .catch((error: unknown) => {
        // Its own type: no API request was sent, so a create that needed this token retries at
        // once instead of waiting for a job an earlier attempt might be creating.
        throw ApplicationFailure.retryable(
          `Token request to ${auth.tokenUrl} failed: ${deps.redactor.message(error)}`,
          Failure.tokenRequestFailed,
        );
      });
    const status = response.statusCode;
    if (status < 200 || status > 299) throw tokenFailure(auth.tokenUrl, status, response.body, deps.redactor);
    const token = parseToken(response.body);
    if (token === undefined) {
      throw ApplicationFailure.nonRetryable(
        `Token endpoint ${auth.tokenUrl} answered ${status} without a string access_token`,
        Failure.authenticationFailed,
      );
    }
    deps.redactor.add(token.accessToken);
    // Counted from when the request started: the server's clock started no later than that.
    return {
      header: `Bearer ${token.accessToken}`,
      refreshAt: startedAt + refreshDelaySeconds(token.expiresIn) * 1000,
    };
  };

  return {
    async header() {
      if (cached !== undefined && now() < cached.refreshAt) return cached.header;
      // Concurrent callers share one in-flight mint instead of each asking for a token.
      inflight ??= mint().finally(() => {
        inflight = undefined;
      });
      cached = await inflight;
      return cached.header;
    },
    invalidate(rejectedHeader) {
      if (cached?.header === rejectedHeader) cached = undefined;
      return true;
    },
  };
}

function parseToken(body: string): { accessToken: string; expiresIn: number } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const record = parsed as Record<string, unknown>;
  const accessToken = record['access_token'];
  if (typeof accessToken !== 'string' || accessToken === '') return undefined;
  const rawTtl = Number(record['expires_in']);
  return { accessToken, expiresIn: Number.isFinite(rawTtl) && rawTtl > 0 ? rawTtl : DEFAULT_TTL_SECONDS };
}

/** Rejected credentials will not get better by retrying; rate limits and server errors might. */
function tokenFailure(
  tokenUrl: string,
  status: number,
  body: string,
  redactor: Redactor,
): ApplicationFailure {
  const detail = redactor.text(body.slice(0, 500));
  const message = `Token endpoint ${tokenUrl} answered ${status}: ${detail}`;
  if (status === 429 || status >= 500)
    return ApplicationFailure.retryable(message, Failure.httpRetryableStatus);
  return ApplicationFailure.nonRetryable(message, Failure.authenticationFailed, { statusCode: status });
}
