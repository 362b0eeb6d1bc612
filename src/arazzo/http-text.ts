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

const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const DAY_NAME = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
/** `Sun, 06 Nov 1994 08:49:37 GMT` */
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
/** `Sunday, 06-Nov-94 08:49:37 GMT` (obsolete) */
const RFC850_DATE = new RegExp(`^${DAY_NAME}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
/** `Sun Nov  6 08:49:37 1994` (obsolete; no zone written, and it means GMT) */
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`);

/**
 * An HTTP-date (RFC 9110 §5.6.7) in epoch milliseconds, always read as GMT: `Date.parse` would
 * read the asctime form in the process's local time zone, which workflow code must never depend
 * on (two workers in different zones would replay differently). A two-digit RFC 850 year is read
 * as `Date.parse` did: below 50 is 20xx.
 */
export function parseHttpDate(text: string): number | undefined {
  let day: string, month: string, year: number, time: string[];
  let m = IMF_FIXDATE.exec(text);
  if (m) [day, month, year, time] = [m[1]!, m[2]!, Number(m[3]), m.slice(4)];
  else if ((m = RFC850_DATE.exec(text))) {
    const yy = Number(m[3]);
    [day, month, year, time] = [m[1]!, m[2]!, yy < 50 ? 2000 + yy : 1900 + yy, m.slice(4)];
  } else if ((m = ASCTIME_DATE.exec(text)))
    [month, day, time, year] = [m[1]!, m[2]!, m.slice(3, 6), Number(m[6])];
  else return undefined;
  const [hours, minutes, seconds] = time.map(Number) as [number, number, number];
  return Date.UTC(year, MONTHS.indexOf(month), Number(day.trim()), hours, minutes, seconds);
}

/**
 * A `Retry-After` value read by RFC 9110 §10.2.3: `delay-seconds` (`1*DIGIT`) or an `HTTP-date`
 * (IMF-fixdate, and the obsolete RFC 850 and asctime forms). Surrounding blanks are ignored;
 * anything else is no value.
 */
type RetryAfter = { seconds: number } | { atMs: number };

function parseRetryAfter(value: string | undefined): RetryAfter | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return { seconds: Number(text) };
  const atMs = parseHttpDate(text);
  return atMs === undefined ? undefined : { atMs };
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
