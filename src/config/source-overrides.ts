/**
 * Where source descriptions are, over the documents' own urls: ARAZZO_SOURCE_DESCRIPTIONS for the
 * worker and `validate`, `--source` for `validate`. The bundled Airbyte description is the base.
 */
import { resolve } from 'node:path';
import { BUNDLED_SOURCE_NAME, bundledAirbyteDescription } from './defaults.js';

/** A location as given: a URL (any scheme) stays as it is, a path is made absolute. */
export function sourceLocation(location: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(location) ? location : resolve(location);
}

/** ARAZZO_SOURCE_DESCRIPTIONS (`name=path-or-url[,name=...]`) over the bundled description; problems go to `errors`. */
export function parseSourceOverrides(value: string | undefined, errors: string[]): Record<string, string> {
  // The bundled Airbyte description serves every document whose Airbyte source is named airbyteApi
  // (the seeds point at a file that does not exist next to them).
  const overrides: Record<string, string> = { [BUNDLED_SOURCE_NAME]: bundledAirbyteDescription };
  for (const entry of (value ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const eq = entry.indexOf('=');
    const name = entry.slice(0, eq).trim();
    const location = entry.slice(eq + 1).trim();
    if (eq <= 0 || !name || !location) {
      errors.push(`ARAZZO_SOURCE_DESCRIPTIONS: expected name=path-or-url[,name=...], got '${entry}'`);
      continue;
    }
    overrides[name] = sourceLocation(location);
  }
  return overrides;
}
