/**
 * Choosing the server resource to adopt instead of creating a duplicate: after a create call whose
 * outcome is unknown (a timeout while the server kept working) or after a conflict answer (Airbyte:
 * 409 while a sync runs). Pure: the activity runs the lookup request and hands the body here.
 */
import { getByPointer } from '../arazzo/json-pointer.js';
import { isActiveStatus } from '../arazzo/machine/index.js';
import type { AdoptRequest } from '../contract/index.js';
import type { JsonValue } from '../arazzo/model.js';

/** A candidate chosen for adoption. */
export interface AdoptionChoice {
  item: JsonValue;
  resourceId: JsonValue;
}

/**
 * Picks the newest active candidate from a lookup response body.
 *
 * @param notBeforeMs when set, only candidates created at or after this time qualify (and a
 *   candidate without a readable creation time does not), so a retry adopts its own resource, not
 *   an older one. Ignored when the spec has no `createdAtPointer`.
 * @returns the choice, or a reason why nothing qualified
 */
export function chooseAdoptable(
  body: JsonValue | undefined,
  spec: AdoptRequest,
  notBeforeMs?: number,
): { ok: true; choice: AdoptionChoice } | { ok: false; reason: string } {
  const items = lookupItems(body, spec);
  if (!items.ok) return items;
  return chooseAmong(items.value, spec, notBeforeMs);
}

/** The candidate array of a lookup response. */
export function lookupItems(
  body: JsonValue | undefined,
  spec: AdoptRequest,
): { ok: true; value: JsonValue[] } | { ok: false; reason: string } {
  const items = getByPointer(body, spec.itemsPointer);
  if (!items.ok) return { ok: false, reason: items.reason };
  if (!Array.isArray(items.value))
    return { ok: false, reason: `"${spec.itemsPointer}" in the lookup response is not an array` };
  return { ok: true, value: items.value };
}

/** Picks the newest active, matching candidate among `list` (see chooseAdoptable). */
export function chooseAmong(
  list: JsonValue[],
  spec: AdoptRequest,
  notBeforeMs?: number,
): { ok: true; choice: AdoptionChoice } | { ok: false; reason: string } {
  const items = { value: list };

  const candidates: Array<{
    item: JsonValue;
    resourceId: JsonValue;
    createdAtMs: number | undefined;
    index: number;
  }> = [];
  items.value.forEach((item, index) => {
    if (!isActive(item, spec) || !matches(item, spec.match)) return;
    const id = getByPointer(item, spec.idPointer);
    if (!id.ok) return;
    const createdAtMs =
      spec.createdAtPointer === undefined ? undefined : readTime(item, spec.createdAtPointer);
    if (notBeforeMs !== undefined && spec.createdAtPointer !== undefined) {
      if (createdAtMs === undefined || createdAtMs < notBeforeMs) return;
    }
    candidates.push({ item, resourceId: id.value, createdAtMs, index });
  });
  // Newest first by creation time; without one, the lookup's own order (asked newest first) decides.
  candidates.sort((a, b) => (b.createdAtMs ?? -Infinity) - (a.createdAtMs ?? -Infinity) || a.index - b.index);
  const [newest] = candidates;
  if (newest === undefined) {
    return {
      ok: false,
      reason: `none of the ${items.value.length} listed items is active${spec.match ? ` with ${JSON.stringify(spec.match)}` : ''}${notBeforeMs === undefined ? '' : ' and recent enough'}`,
    };
  }
  return { ok: true, choice: { item: newest.item, resourceId: newest.resourceId } };
}

function isActive(item: JsonValue, spec: AdoptRequest): boolean {
  const status = getByPointer(item, spec.statusPointer);
  if (!status.ok || typeof status.value !== 'string') return false;
  return isActiveStatus(status.value, spec);
}

function matches(item: JsonValue, match: Record<string, JsonValue> | undefined): boolean {
  for (const [pointer, expected] of Object.entries(match ?? {})) {
    const actual = getByPointer(item, pointer);
    if (!actual.ok || JSON.stringify(actual.value) !== JSON.stringify(expected)) return false;
  }
  return true;
}

/** A candidate's creation time by the spec's `createdAtPointer`, in epoch milliseconds. */
export function createdAtMs(item: JsonValue | undefined, spec: AdoptRequest): number | undefined {
  return spec.createdAtPointer === undefined || item === undefined
    ? undefined
    : readTime(item, spec.createdAtPointer);
}

/** Epoch milliseconds of an ISO string or an epoch number (seconds when below 10^11). */
function readTime(item: JsonValue, pointer: string): number | undefined {
  const value = getByPointer(item, pointer);
  if (!value.ok) return undefined;
  if (typeof value.value === 'number') return value.value < 1e11 ? value.value * 1000 : value.value;
  if (typeof value.value !== 'string') return undefined;
  const ms = Date.parse(value.value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The human message of an error body: Airbyte puts it in `data.message`, else `detail`, else `message`. */
export function serverMessage(body: JsonValue | undefined): string | undefined {
  for (const pointer of ['/data/message', '/detail', '/message', '/title']) {
    const value = getByPointer(body, pointer);
    if (value.ok && typeof value.value === 'string' && value.value !== '') return value.value;
  }
  return typeof body === 'string' && body !== '' ? body.slice(0, 500) : undefined;
}

/**
 * Whether a conflict answer means "one is already running" (Airbyte: 409 try-again-later "A sync is
 * already running for: …"), by the spec's `conflictMatch` (every pointer's value must match its
 * regular expression). Without `conflictMatch`, every conflict status does.
 */
export function isRunningConflict(body: JsonValue | undefined, spec: AdoptRequest): boolean {
  for (const [pointer, pattern] of Object.entries(spec.conflictMatch ?? {})) {
    const value = getByPointer(body, pointer);
    if (!value.ok || typeof value.value !== 'string') return false;
    let matcher: RegExp;
    try {
      matcher = new RegExp(pattern);
    } catch {
      return false;
    }
    if (!matcher.test(value.value)) return false;
  }
  return true;
}
