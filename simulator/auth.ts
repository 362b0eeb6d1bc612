/**
 * The authentication modes Airbyte deployments run with: none, static bearer tokens, application
 * client credentials (`POST /applications/token` mints short-lived bearer tokens), and the HTTP
 * Basic auth of older self-managed installs. Secrets are compared here and never leave this module.
 */
import { randomBytes } from 'node:crypto';
import type { AuthMode, AuthOptions } from './types.js';

export type AuthScheme = 'none' | 'bearer' | 'basic' | 'other';

export interface AuthCheck {
  scheme: AuthScheme;
  authorized: boolean;
  /** Why not, for the 401 body (never contains the credential). */
  reason?: string;
}

export type TokenResult =
  | { kind: 'token'; body: { access_token: string; token_type: 'Bearer'; expires_in: number } }
  | { kind: 'badRequest'; message: string }
  | { kind: 'forbidden'; message: string };

const DEFAULT_CLIENTS = [{ clientId: 'sim-client', clientSecret: 'sim-secret' }];
const DEFAULT_USERS = [{ username: 'airbyte', password: 'password' }];
const DEFAULT_TTL_SECONDS = 900;

export class Authenticator {
  private readonly minted = new Map<string, number>();
  private readonly staticTokens: Set<string>;
  private readonly clients: Map<string, string>;
  private readonly users: Map<string, string>;
  private readonly ttlSeconds: number;
  readonly mode: AuthMode;

  constructor(
    options: AuthOptions | undefined,
    private readonly now: () => number,
  ) {
    this.mode = options?.mode ?? 'none';
    this.staticTokens = new Set(options?.tokens ?? []);
    this.clients = new Map((options?.clients ?? DEFAULT_CLIENTS).map((c) => [c.clientId, c.clientSecret]));
    this.users = new Map((options?.users ?? DEFAULT_USERS).map((u) => [u.username, u.password]));
    this.ttlSeconds = options?.tokenTtlSeconds ?? DEFAULT_TTL_SECONDS;
  }

  /** Forgets minted tokens. */
  clear(): void {
    this.minted.clear();
  }

  /** The `WWW-Authenticate` challenge of a 401. */
  challenge(): string {
    return this.mode === 'basic' ? 'Basic realm="Airbyte"' : 'Bearer';
  }

  check(authorization: string | undefined): AuthCheck {
    const [rawScheme = '', credential = ''] = (authorization ?? '').trim().split(/\s+/, 2);
    const scheme = schemeOf(rawScheme);
    if (this.mode === 'none') return { scheme, authorized: true };
    if (scheme === 'none') return { scheme, authorized: false, reason: 'Missing Authorization header' };
    if (this.mode === 'basic') {
      if (scheme !== 'basic') return { scheme, authorized: false, reason: 'Basic authentication required' };
      const decoded = Buffer.from(credential, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const ok = colon > 0 && this.users.get(decoded.slice(0, colon)) === decoded.slice(colon + 1);
      return ok ? { scheme, authorized: true } : { scheme, authorized: false, reason: 'Invalid credentials' };
    }
    if (scheme !== 'bearer') return { scheme, authorized: false, reason: 'Bearer token required' };
    if (this.staticTokens.has(credential)) return { scheme, authorized: true };
    if (this.mode === 'client-credentials') {
      const expiresAt = this.minted.get(credential);
      if (expiresAt !== undefined && expiresAt > this.now()) return { scheme, authorized: true };
      if (expiresAt !== undefined) return { scheme, authorized: false, reason: 'Token expired' };
    }
    return { scheme, authorized: false, reason: 'Invalid token' };
  }

  /**
   * `POST /applications/token`. Airbyte's own description requires `grant_type` but names the
   * property `grant-type`, and clients send the latter: both spellings are accepted.
   */
  mintToken(body: unknown): TokenResult {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return { kind: 'badRequest', message: 'Expected a JSON object' };
    }
    const fields = body as Record<string, unknown>;
    const clientId = fields['client_id'];
    const clientSecret = fields['client_secret'];
    const grant = fields['grant-type'] ?? fields['grant_type'];
    if (typeof clientId !== 'string' || typeof clientSecret !== 'string') {
      return { kind: 'badRequest', message: 'client_id and client_secret are required' };
    }
    if (grant !== undefined && grant !== 'client_credentials') {
      return { kind: 'badRequest', message: 'Unsupported grant-type' };
    }
    if (this.clients.get(clientId) !== clientSecret)
      return { kind: 'forbidden', message: 'Invalid client credentials' };
    this.dropExpired();
    const token = randomBytes(24).toString('base64url');
    this.minted.set(token, this.now() + this.ttlSeconds * 1000);
    return {
      kind: 'token',
      body: { access_token: token, token_type: 'Bearer', expires_in: Math.round(this.ttlSeconds) },
    };
  }

  private dropExpired(): void {
    const now = this.now();
    for (const [token, expiresAt] of this.minted) if (expiresAt <= now) this.minted.delete(token);
  }
}

function schemeOf(raw: string): AuthScheme {
  const lower = raw.toLowerCase();
  if (lower === '') return 'none';
  if (lower === 'bearer') return 'bearer';
  if (lower === 'basic') return 'basic';
  return 'other';
}
