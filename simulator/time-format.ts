/** Time formats of the Airbyte public API. */

/**
 * UTC ISO date-time at second precision (`2023-03-25T01:30:50Z`), as Airbyte sends `startTime`:
 * `JobResponseMapper` formats it with `OffsetDateTime.toString()`, which leaves the seconds out
 * when they are zero (`2024-05-01T10:15Z`).
 */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z').replace(/:00Z$/, 'Z');
}

/** ISO-8601 duration at second precision (`PT8H6M12S`, `PT0S`), as Airbyte sends `duration`. */
export function isoDuration(ms: number): string {
  let seconds = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  const parts = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds || (!hours && !minutes) ? `${seconds}S` : ''}`;
  return `PT${parts}`;
}

/** Parses a date-time query value: ISO 8601, or epoch milliseconds (Airbyte's own examples use them). */
export function parseDateTime(value: string): number | undefined {
  if (/^\d{10,}$/.test(value)) return Number(value);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
