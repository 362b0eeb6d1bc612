/**
 * Which credential profile each source uses: `x-temporal-credentials` on the OpenAPI
 * `info` object (the Airbyte description says `airbyte`, so the worker applies AIRBYTE_* settings).
 */
import { CREDENTIALS_EXTENSION, extensionValue } from '../arazzo/extensions.js';
import type { LoadedArazzoDocument } from './load.js';

/** The OpenAPI `info` extension naming a credential profile. */
export { CREDENTIALS_EXTENSION };

/** Credential profile by source name, for the OpenAPI sources that declare one. */
export function sourceCredentialProfiles(loaded: LoadedArazzoDocument): Record<string, string> {
  const out: Record<string, string> = {};
  for (const source of loaded.sources.values()) {
    if (source.kind !== 'openapi') continue;
    const info = source.api.document.info;
    const profile = extensionValue(info, CREDENTIALS_EXTENSION);
    if (typeof profile === 'string' && profile !== '') out[source.name] = profile;
  }
  return out;
}
