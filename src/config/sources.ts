/**
 * Where each source description's requests go and how they authenticate, read from the
 * environment once at worker start. Every problem is collected so a misconfigured worker reports
 * all of them in one go; messages name the variable and never echo a secret.
 */
import type { CatalogSource } from '../catalog/index.js';
import {
  AIRBYTE_DEFAULT_TIMEOUT_SECONDS,
  DEFAULT_MAX_BODY_BYTES,
  GENERIC_DEFAULT_TIMEOUT_SECONDS,
} from './defaults.js';

/** How requests to one source authenticate. */
export type SourceAuth =
  | { type: 'none' }
  | { type: 'bearer'; token: string }
  | { type: 'clientCredentials'; clientId: string; clientSecret: string; tokenUrl: string }
  | { type: 'basic'; username: string; password: string };

/** The server and credentials for one source description. */
export interface SourceConnection {
  /** Absolute http(s) URL without a trailing slash, query or credentials; every request stays under it. */
  baseUrl: string;
  auth: SourceAuth;
  /** Client-side timeout of one HTTP request. */
  timeoutMs: number;
  /** Response bodies larger than this are truncated (they are recorded in workflow history). */
  maxBodyBytes: number;
}

/** A source description as the worker knows it after loading the OpenAPI documents. */
export type SourceToConnect = CatalogSource;

export type ConnectionsResult =
  { ok: true; connections: Record<string, SourceConnection> } | { ok: false; errors: string[] };

/**
 * Resolves the connection of every source from the environment.
 *
 * Airbyte sources: `AIRBYTE_API_URL` (else the OpenAPI server URL), at most one of
 * `AIRBYTE_CLIENT_ID`+`AIRBYTE_CLIENT_SECRET` (token URL `<api>/applications/token`, or
 * `AIRBYTE_TOKEN_URL`), `AIRBYTE_API_TOKEN`, `AIRBYTE_USERNAME`+`AIRBYTE_PASSWORD`;
 * `AIRBYTE_TIMEOUT_SECONDS` (default 150). Other sources: `ARAZZO_SOURCE_<NAME>_URL`, `_TOKEN`,
 * `_USERNAME`/`_PASSWORD`, `_TIMEOUT_SECONDS` (default 60), NAME upper-snake-cased.
 * `ARAZZO_MAX_BODY_BYTES` (default 256 KiB) applies to all. Empty variables count as unset.
 */
export function resolveSourceConnections(
  env: NodeJS.ProcessEnv,
  sources: SourceToConnect[],
): ConnectionsResult {
  const errors: string[] = [];
  const read = (key: string): string | undefined => {
    const value = env[key]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const maxBodyBytes = readPositive(read, 'ARAZZO_MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES, errors, true);
  const connections: Record<string, SourceConnection> = {};
  for (const source of sources) {
    const names = source.credentials === 'airbyte' ? airbyteVariables() : genericVariables(source.name);
    const baseUrl = readUrl(read, names.url, source, errors);
    const auth = readAuth(read, names, baseUrl, errors);
    const timeoutSeconds = readPositive(read, names.timeout, names.defaultTimeout, errors, false);
    if (baseUrl !== undefined && auth !== undefined) {
      connections[source.name] = {
        baseUrl,
        auth,
        timeoutMs: Math.round(timeoutSeconds * 1000),
        maxBodyBytes,
      };
    }
  }
  // Airbyte sources share one set of variables: report each problem once.
  const unique = [...new Set(errors)];
  return unique.length === 0 ? { ok: true, connections } : { ok: false, errors: unique };
}

/** Upper-snake-cases a source name for variable names: `airbyteApi` and `airbyte-api` → `AIRBYTE_API`. */
export function sourceEnvName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}

interface VariableNames {
  url: string;
  tokenUrl?: string;
  clientId?: string;
  clientSecret?: string;
  token: string;
  username: string;
  password: string;
  timeout: string;
  defaultTimeout: number;
}

function airbyteVariables(): VariableNames {
  return {
    url: 'AIRBYTE_API_URL',
    tokenUrl: 'AIRBYTE_TOKEN_URL',
    clientId: 'AIRBYTE_CLIENT_ID',
    clientSecret: 'AIRBYTE_CLIENT_SECRET',
    token: 'AIRBYTE_API_TOKEN',
    username: 'AIRBYTE_USERNAME',
    password: 'AIRBYTE_PASSWORD',
    timeout: 'AIRBYTE_TIMEOUT_SECONDS',
    defaultTimeout: AIRBYTE_DEFAULT_TIMEOUT_SECONDS,
  };
}

function genericVariables(sourceName: string): VariableNames {
  const prefix = `ARAZZO_SOURCE_${sourceEnvName(sourceName)}`;
  return {
    url: `${prefix}_URL`,
    token: `${prefix}_TOKEN`,
    username: `${prefix}_USERNAME`,
    password: `${prefix}_PASSWORD`,
    timeout: `${prefix}_TIMEOUT_SECONDS`,
    defaultTimeout: GENERIC_DEFAULT_TIMEOUT_SECONDS,
  };
}

type Read = (key: string) => string | undefined;

function readUrl(
  read: Read,
  variable: string,
  source: SourceToConnect,
  errors: string[],
): string | undefined {
  const raw = read(variable);
  const value = raw ?? source.serverUrl;
  const origin = raw !== undefined ? variable : `the server URL of source "${source.name}"`;
  if (value === undefined) {
    errors.push(
      `${variable} is not set and source "${source.name}" has no server URL: set it to the API base URL (http or https)`,
    );
    return undefined;
  }
  const problem = checkBaseUrl(value);
  if (problem !== undefined) {
    errors.push(`${origin}: expected an absolute http(s) URL such as https://api.airbyte.com/v1, ${problem}`);
    return undefined;
  }
  return value.replace(/\/+$/, '');
}

/** Why a URL cannot be a base URL, or undefined. Never echoes a URL that carries credentials. */
export function checkBaseUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value.includes('@') ? 'got a value that does not parse' : `got "${value}"`;
  }
  if (url.username !== '' || url.password !== '')
    return 'got one with user:password@ (use the credential variables instead)';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `got the scheme "${url.protocol}"`;
  if (url.search !== '' || url.hash !== '')
    return `got "${url.origin}${url.pathname}" with a query or fragment`;
  return undefined;
}

function readAuth(
  read: Read,
  names: VariableNames,
  baseUrl: string | undefined,
  errors: string[],
): SourceAuth | undefined {
  const methods: string[] = [];
  const problems: string[] = [];
  let auth: SourceAuth = { type: 'none' };
  /** Two variables that only work together: a method when either is set, a problem when one is. */
  const pair = (first: string, second: string, needsBoth: string): [string, string] | undefined => {
    const a = read(first);
    const b = read(second);
    if (a === undefined && b === undefined) return undefined;
    methods.push(`${first}+${second}`);
    if (a !== undefined && b !== undefined) return [a, b];
    const [given, missing] = a === undefined ? [second, first] : [first, second];
    problems.push(`${given} is set but ${missing} is not: ${needsBoth}`);
    return undefined;
  };

  if (names.clientId !== undefined && names.clientSecret !== undefined) {
    const client = pair(names.clientId, names.clientSecret, 'client credentials need both');
    if (client) {
      const [clientId, clientSecret] = client;
      const tokenUrl = readTokenUrl(read, names.tokenUrl, baseUrl, problems);
      if (tokenUrl !== undefined) auth = { type: 'clientCredentials', clientId, clientSecret, tokenUrl };
    }
  }
  const token = read(names.token);
  if (token !== undefined) {
    methods.push(names.token);
    auth = { type: 'bearer', token };
  }
  const basic = pair(names.username, names.password, 'basic auth needs both');
  if (basic) auth = { type: 'basic', username: basic[0], password: basic[1] };
  if (methods.length > 1) {
    problems.push(
      `more than one authentication method is configured (${methods.join(', ')}): set exactly one, or none`,
    );
  }
  errors.push(...problems);
  return problems.length === 0 ? auth : undefined;
}

function readTokenUrl(
  read: Read,
  variable: string | undefined,
  baseUrl: string | undefined,
  problems: string[],
): string | undefined {
  const raw = variable === undefined ? undefined : read(variable);
  if (raw === undefined) return baseUrl === undefined ? undefined : `${baseUrl}/applications/token`;
  const problem = checkBaseUrl(raw);
  if (problem !== undefined) {
    problems.push(
      `${variable ?? 'token URL'}: expected an absolute http(s) URL of the token endpoint, ${problem}`,
    );
    return undefined;
  }
  return raw;
}

function readPositive(
  read: Read,
  variable: string,
  fallback: number,
  errors: string[],
  integer: boolean,
): number {
  const raw = read(variable);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    errors.push(`${variable}: expected a positive ${integer ? 'integer' : 'number'}, got "${raw}"`);
    return fallback;
  }
  return value;
}
