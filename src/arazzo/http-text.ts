/**
 * Small text rules of HTTP that both sides of the workflow–activity line apply: one definition
 * each, pure and deterministic, so workflow code (the machine, request building), the activities
 * and the catalog loader agree by construction.
 */

/**
 * Control characters (C0 except horizontal tab, plus DEL) end or split a header line, and have no
 * place in a path or query either.
 */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return true;
  }
  return false;
}

/** Percent-decodes `text`; a malformed escape (a lone `%`, broken UTF-8) leaves it unchanged. */
export function decodePercentLenient(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * A `Retry-After` value read by RFC 9110 §10.2.3: `delay-seconds` (`1*DIGIT`) or an `HTTP-date`
 * (IMF-fixdate, and the obsolete RFC 850 and asctime forms, which `Date.parse` reads too).
 * Surrounding blanks are ignored; anything else is no value.
 */
type RetryAfter = { seconds: number } | { atMs: number };

function parseRetryAfter(value: string | undefined): RetryAfter | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return { seconds: Number(text) };
  const atMs = Date.parse(text);
  return Number.isNaN(atMs) ? undefined : { atMs };
}

/** The delay a `Retry-After` value asks for, in milliseconds (0 for a date in the past). */
export function retryAfterDelayMs(value: string | undefined, nowMs: number): number | undefined {
  const parsed = parseRetryAfter(value);
  if (parsed === undefined) return undefined;
  return 'seconds' in parsed ? parsed.seconds * 1000 : Math.max(0, parsed.atMs - nowMs);
}

/** The delay a `Retry-After` value asks for, in whole seconds (a date rounds up; past is 0). */
export function retryAfterDelaySeconds(value: string | undefined, nowMs: number): number | undefined {
  const parsed = parseRetryAfter(value);
  if (parsed === undefined) return undefined;
  return 'seconds' in parsed ? parsed.seconds : Math.max(0, Math.ceil((parsed.atMs - nowMs) / 1000));
}
