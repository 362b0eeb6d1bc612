/**
 * Choosing the server resource to adopt instead of creating a duplicate: after a create call whose
 * outcome is unknown (a timeout while the server kept working) or after a conflict answer (Airbyte:
 * 409 while a sync runs). Pure: the activity runs the lookup request and hands the body here.
 */
import { getByPointer } from '../arazzo/json-pointer.js';
import type { JsonValue } from '../arazzo/model.js';
import type { HttpRequestSpec } from '../arazzo/request.js';

/** How to find an existing resource, built by the workflow from `ResourceSpec.adopt` and run options. */
export interface AdoptSpec {
  /** The list request (Airbyte `listJobs` for the connection, newest first), already built. */
  lookup: HttpRequestSpec;
  /** JSON Pointer to the candidate array in the lookup response (`/data`). */
  itemsPointer: string;
  /** JSON Pointer to a candidate's id (`/jobId`). */
  idPointer: string;
  /** JSON Pointer to a candidate's status (`/status`). */
  statusPointer: string;
  /** Statuses of a resource still in progress. */
  activeStatuses: string[];
  /**
   * When given, a candidate is active unless its status is one of these, so statuses the server
   * added later (Airbyte's `queued`) still count as active.
   */
  terminalStatuses?: string[];
  /** JSON Pointer to a candidate's creation time (ISO string or epoch seconds/milliseconds). */
  createdAtPointer?: string;
  /** Candidate fields (JSON Pointer → value) that must equal the create request's, e.g. `/jobType`. */
  match?: Record<string, JsonValue>;
  /** Response statuses that mean "another resource is in the way" (Airbyte: 409). */
  conflictStatuses: number[];
  onConflict: 'attach' | 'wait' | 'fail';
}

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
  spec: AdoptSpec,
  notBeforeMs?: number,
): { ok: true; choice: AdoptionChoice } | { ok: false; reason: string } {
  const items = getByPointer(body, spec.itemsPointer);
  if (!items.ok) return { ok: false, reason: items.reason };
  if (!Array.isArray(items.value))
    return { ok: false, reason: `"${spec.itemsPointer}" in the lookup response is not an array` };

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
      reason: `none of the ${items.value.length} listed items is active${notBeforeMs === undefined ? '' : ' and recent enough'}`,
    };
  }
  return { ok: true, choice: { item: newest.item, resourceId: newest.resourceId } };
}

function isActive(item: JsonValue, spec: AdoptSpec): boolean {
  const status = getByPointer(item, spec.statusPointer);
  if (!status.ok || typeof status.value !== 'string') return false;
  if (spec.terminalStatuses !== undefined) return !spec.terminalStatuses.includes(status.value);
  return spec.activeStatuses.includes(status.value);
}

function matches(item: JsonValue, match: Record<string, JsonValue> | undefined): boolean {
  for (const [pointer, expected] of Object.entries(match ?? {})) {
    const actual = getByPointer(item, pointer);
    if (!actual.ok || JSON.stringify(actual.value) !== JSON.stringify(expected)) return false;
  }
  return true;
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
