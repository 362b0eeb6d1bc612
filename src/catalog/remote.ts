/**
 * Fetching remote source descriptions (`sourceDescriptions[].url` of http(s), and `$ref`s inside a
 * remote description) at catalog load and by `validate`. Only hosts on an allow-list from the
 * operator's configuration are fetched; a run's inputs never choose a URL (the catalog is loaded
 * before any run, and plans carry what was fetched, so a run in flight never sees it change).
 *
 * Limits: a timeout for the whole exchange, a size cap (checked against Content-Length and while
 * reading), a redirect cap with every hop checked against the allow-list, no retries, and content
 * checks (2xx, not HTML).
 */
import got, { MaxRedirectsError, RequestError, TimeoutError } from 'got';
import { MAX_DOCUMENT_BYTES } from './parsed-source.js';

/** How remote sources are fetched; from configuration (ARAZZO_REMOTE_*), never from run inputs. */
export interface RemoteSettings {
  /** False: refuse every remote fetch (`validate --offline`, ARAZZO_REMOTE_SOURCES=off). */
  enabled: boolean;
  /**
   * Hosts that may be fetched: `api.example.com` (any port), `127.0.0.1:8080` (that port),
   * `*.example.com` (subdomains), or `*` (any host).
   */
  allowHosts: string[];
  /** Whole exchange, in milliseconds (default {@link DEFAULT_REMOTE_TIMEOUT_MS}). */
  timeoutMs?: number;
  /** Body size cap in bytes (default {@link DEFAULT_REMOTE_MAX_BYTES}). */
  maxBytes?: number;
  /** Redirects followed at most (default {@link DEFAULT_REMOTE_MAX_REDIRECTS}). */
  maxRedirects?: number;
}

export const DEFAULT_REMOTE_TIMEOUT_MS = 10_000;
/** The same cap as a local document. */
export const DEFAULT_REMOTE_MAX_BYTES = MAX_DOCUMENT_BYTES;
export const DEFAULT_REMOTE_MAX_REDIRECTS = 3;

/** True for an http(s) URL. */
export function isRemote(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/** Why a URL may not be fetched, or undefined when it may. */
export function refusal(url: string, settings: RemoteSettings | undefined): string | undefined {
  if (!settings || !settings.enabled)
    return settings
      ? 'remote fetches are turned off (validate --offline, or ARAZZO_REMOTE_SOURCES=off)'
      : 'remote fetches are not configured';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a valid URL`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return `unsupported scheme ${parsed.protocol}`;
  if (parsed.username !== '' || parsed.password !== '') return 'URLs with credentials are not fetched';
  if (!hostAllowed(parsed, settings.allowHosts))
    return `host "${parsed.host}" is not in the allow-list (ARAZZO_REMOTE_HOSTS: ${settings.allowHosts.join(', ') || 'empty'})`;
  return undefined;
}

function hostAllowed(url: URL, allowHosts: readonly string[]): boolean {
  const host = url.host.toLowerCase();
  const hostname = url.hostname.toLowerCase();
  return allowHosts.some((raw) => {
    const entry = raw.trim().toLowerCase();
    if (entry === '*') return true;
    if (entry.startsWith('*.')) return hostname.endsWith(entry.slice(1));
    return entry === host || entry === hostname;
  });
}

/** The outcome of a fetch: the bytes and the final URL (after redirects), or why not. */
export type Fetched = { ok: true; bytes: Uint8Array; url: string } | { ok: false; reason: string };

const HTML = /^(text\/html|application\/xhtml\+xml)\b/i;

/** Fetches `url` within the settings' limits. Never throws. */
export async function fetchRemote(url: string, settings: RemoteSettings | undefined): Promise<Fetched> {
  const refused = refusal(url, settings);
  if (refused !== undefined || !settings) return { ok: false, reason: refused ?? 'not configured' };
  const maxBytes = settings.maxBytes ?? DEFAULT_REMOTE_MAX_BYTES;
  const maxRedirects = settings.maxRedirects ?? DEFAULT_REMOTE_MAX_REDIRECTS;
  let redirectRefused: string | undefined;
  let tooLarge = false;
  const request = got(url, {
    timeout: { request: settings.timeoutMs ?? DEFAULT_REMOTE_TIMEOUT_MS },
    retry: { limit: 0 },
    throwHttpErrors: false,
    responseType: 'buffer',
    followRedirect: true,
    maxRedirects,
    headers: {
      accept: 'application/yaml, application/json;q=0.9, text/yaml;q=0.8, text/plain;q=0.5, */*;q=0.1',
      'user-agent': 'arazzo-temporal',
    },
    hooks: {
      beforeRedirect: [
        (options) => {
          const next = options.url instanceof URL ? options.url.href : String(options.url);
          const why = refusal(next, settings);
          if (why !== undefined) {
            redirectRefused = `redirected to ${next}, which is refused: ${why}`;
            throw new Error(redirectRefused);
          }
        },
      ],
    },
  });
  void request.on('downloadProgress', (progress) => {
    if (progress.transferred > maxBytes || (progress.total ?? 0) > maxBytes) {
      tooLarge = true;
      request.cancel();
    }
  });
  try {
    const response = await request;
    if (response.statusCode < 200 || response.statusCode > 299)
      return { ok: false, reason: `answered HTTP ${response.statusCode}` };
    const type = response.headers['content-type'] ?? '';
    if (HTML.test(type))
      return { ok: false, reason: `answered ${type.split(';')[0]}, not a YAML or JSON description` };
    if (response.body.length > maxBytes)
      return { ok: false, reason: `answer is larger than ${maxBytes} bytes` };
    return { ok: true, bytes: new Uint8Array(response.body), url: response.url };
  } catch (error) {
    if (tooLarge) return { ok: false, reason: `answer is larger than ${maxBytes} bytes` };
    if (redirectRefused !== undefined) return { ok: false, reason: redirectRefused };
    if (error instanceof TimeoutError)
      return {
        ok: false,
        reason: `no complete answer within ${settings.timeoutMs ?? DEFAULT_REMOTE_TIMEOUT_MS} ms`,
      };
    if (error instanceof MaxRedirectsError)
      return { ok: false, reason: `more than ${maxRedirects} redirects` };
    if (error instanceof RequestError) return { ok: false, reason: `${error.code}: ${error.message}` };
    return { ok: false, reason: (error as Error).message };
  }
}
