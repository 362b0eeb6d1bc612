/**
 * Keeps credentials out of everything that leaves an activity: failure messages and details (they
 * are stored in workflow history and shown in the UI) and log lines. Redaction works two ways:
 * known secret values (configured credentials and minted tokens) wherever they appear, and
 * secret-shaped fields (Authorization headers, `access_token`, `client_secret`...) whatever their value.
 */
import type { SourceConnection } from '../config/index.js';

/** The replacement text. */
export const REDACTED = '[REDACTED]';

/** Object keys whose values are secrets whatever they contain. */
const SECRET_KEY =
  /^(?:authorization|proxy-authorization|cookie|set-cookie|access_token|accesstoken|refresh_token|id_token|client_secret|clientsecret|password|passwd|secret|token|api[-_]?key|x-api-key)$/i;

/** Secret-shaped text: header lines, JSON fields and query/form fields. */
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi, `$1 ${REDACTED}`],
  [/((?:proxy-)?authorization["']?\s*[:=]\s*["']?)[^"'\r\n,}]+/gi, `$1${REDACTED}`],
  [
    /(["']?(?:access_token|refresh_token|id_token|client_secret|password|api[-_]?key)["']?\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
    `$1"${REDACTED}"`,
  ],
  [
    /([?&;](?:access_token|refresh_token|client_secret|password|api[-_]?key|token)=)[^&#\s"']*/gi,
    `$1${REDACTED}`,
  ],
];

/** Scrubs secrets from text, values and errors. */
export interface Redactor {
  /** Adds a value that must never be shown (a minted token). Short values are ignored: they would mangle ordinary text. */
  add(secret: string): void;
  text(text: string): string;
  /** A deep copy of a JSON-like value with secret fields and secret values replaced. */
  value<T>(value: T): T;
  /** The message of any thrown value, redacted. */
  message(error: unknown): string;
}

/** Shortest secret redacted by value: shorter ones (e.g. a username "ab") would blank out ordinary words. */
const MIN_SECRET_LENGTH = 4;

/**
 * Creates a redactor for the given secret values. Each secret is also matched in its URL-encoded,
 * JSON-escaped and (for basic auth) base64 forms, because that is how it appears on the wire.
 */
export function createRedactor(secrets: Iterable<string> = []): Redactor {
  const known = new Set<string>();
  const add = (secret: string): void => {
    if (secret.length < MIN_SECRET_LENGTH) return;
    known.add(secret);
    known.add(encodeURIComponent(secret));
    known.add(JSON.stringify(secret).slice(1, -1));
  };
  for (const secret of secrets) add(secret);

  const text = (input: string): string => {
    let out = input;
    // Longest first, so a secret that contains another is replaced whole.
    for (const secret of [...known].sort((a, b) => b.length - a.length))
      out = out.split(secret).join(REDACTED);
    for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
    return out;
  };

  const value = <T>(input: T): T => redactValue(input, text, new WeakSet()) as T;

  const message = (error: unknown): string => {
    if (error instanceof Error) return text(error.message);
    return text(typeof error === 'string' ? error : safeStringify(error));
  };

  return { add, text, value, message };
}

/** Every secret a set of connections holds, including the basic-auth header form. */
export function secretsOfConnections(connections: Record<string, SourceConnection>): string[] {
  const secrets: string[] = [];
  for (const connection of Object.values(connections)) {
    const { auth } = connection;
    if (auth.type === 'bearer') secrets.push(auth.token);
    if (auth.type === 'clientCredentials') secrets.push(auth.clientSecret);
    if (auth.type === 'basic') {
      secrets.push(auth.password, Buffer.from(`${auth.username}:${auth.password}`).toString('base64'));
    }
  }
  return secrets;
}

function redactValue(input: unknown, text: (s: string) => string, seen: WeakSet<object>): unknown {
  if (typeof input === 'string') return text(input);
  if (typeof input !== 'object' || input === null) return input;
  if (seen.has(input)) return '[Circular]';
  seen.add(input);
  if (Array.isArray(input)) return input.map((item) => redactValue(item, text, seen));
  if (input instanceof Error) return { name: input.name, message: text(input.message) };
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(input)) {
    out[key] =
      SECRET_KEY.test(key) && item !== null && item !== undefined ? REDACTED : redactValue(item, text, seen);
  }
  return out;
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
