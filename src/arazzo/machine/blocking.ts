/**
 * `onConflict: wait`: reading the adoption lookup (Airbyte `listJobs` for the connection, newest
 * first) to tell whether a job still blocks ours. Pure, so the workflow decides from the recorded
 * lookup response.
 *
 * Any active job of the connection blocks a new one, whatever its type: Airbyte refuses a manual
 * sync while the connection's manager workflow is running a job (airbyte-platform,
 * `TemporalClient.startNewManualSync`: "A sync is already running for: <connectionId>", mapped to a
 * 409 `try-again-later` by the public API's `ConfigClientErrorHandler`). So adoption's `match`
 * (same job type) does not apply here.
 */
import { getByPointer } from '../json-pointer.js';
import type { JsonValue } from '../model.js';
import { isActiveStatus } from './resources.js';
import type { AdoptRequest } from './state.js';

/** The newest active resource in a lookup response, or undefined when none is active. */
export function activeResourceIn(
  body: JsonValue | undefined,
  adopt: Pick<
    AdoptRequest,
    'itemsPointer' | 'idPointer' | 'statusPointer' | 'activeStatuses' | 'terminalStatuses'
  >,
): { id: JsonValue; status: string } | undefined {
  const items = getByPointer(body, adopt.itemsPointer);
  if (!items.ok || !Array.isArray(items.value)) return undefined;
  for (const item of items.value) {
    const status = getByPointer(item, adopt.statusPointer);
    const id = getByPointer(item, adopt.idPointer);
    if (!status.ok || typeof status.value !== 'string' || !id.ok) continue;
    if (isActiveStatus(status.value, adopt)) return { id: id.value, status: status.value };
  }
  return undefined;
}

/** Whether the lookup response can be read at all (an items array at the pointer). */
export function lookupReadable(body: JsonValue | undefined, itemsPointer: string): boolean {
  const items = getByPointer(body, itemsPointer);
  return items.ok && Array.isArray(items.value);
}
