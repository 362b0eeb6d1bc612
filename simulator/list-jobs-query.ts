/**
 * `GET /jobs` query parsing and page links, with Airbyte's quirks: oldest first by default, and
 * `next`/`previous` links that keep only connectionId, jobType, workspaceIds, limit and offset
 * (status, orderBy and the date filters are dropped).
 */
import type { JobListFilter } from './store.js';
import { parseDateTime } from './time-format.js';
import type { JobStatus } from './types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUSES: ReadonlySet<string> = new Set([
  'pending',
  'queued',
  'running',
  'incomplete',
  'failed',
  'succeeded',
  'cancelled',
]);
const JOB_TYPES: ReadonlySet<string> = new Set(['sync', 'reset', 'refresh', 'clear']);

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export type ParsedListQuery = { ok: true; filter: JobListFilter } | { ok: false; message: string };

function integer(
  value: string | null,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number | string {
  if (value === null) return fallback;
  if (!/^-?\d+$/.test(value)) return `${name} must be an integer`;
  const n = Number(value);
  return n < min || n > max ? `${name} must be between ${min} and ${max}` : n;
}

/** Parses and validates the query; invalid values are a 400 on Airbyte too. */
export function parseListJobsQuery(query: URLSearchParams): ParsedListQuery {
  const filter: JobListFilter = {
    orderBy: { field: 'createdAt', direction: 'ASC' },
    limit: 20,
    offset: 0,
  };
  const limit = integer(query.get('limit'), 'limit', 1, 100, 20);
  if (typeof limit === 'string') return { ok: false, message: limit };
  const offset = integer(query.get('offset'), 'offset', 0, 2 ** 31 - 1, 0);
  if (typeof offset === 'string') return { ok: false, message: offset };
  filter.limit = limit;
  filter.offset = offset;

  const connectionId = query.get('connectionId');
  if (connectionId !== null) {
    if (!isUuid(connectionId))
      return { ok: false, message: `Invalid UUID for connectionId: ${connectionId}` };
    filter.connectionId = connectionId;
  }
  const workspaceIds = query
    .getAll('workspaceIds')
    .flatMap((v) => v.split(','))
    .filter((v) => v !== '');
  const badWorkspace = workspaceIds.find((w) => !isUuid(w));
  if (badWorkspace !== undefined)
    return { ok: false, message: `Invalid UUID for workspaceIds: ${badWorkspace}` };
  if (workspaceIds.length) filter.workspaceIds = workspaceIds;

  const jobType = query.get('jobType');
  if (jobType !== null) {
    if (!JOB_TYPES.has(jobType)) return { ok: false, message: `Invalid jobType: ${jobType}` };
    // A clear is stored and reported as a reset; no refresh job can exist through this API.
    filter.jobType = jobType === 'clear' ? 'reset' : (jobType as 'sync' | 'reset' | 'refresh');
  }
  const status = query.get('status');
  if (status !== null) {
    if (!STATUSES.has(status)) return { ok: false, message: `Invalid status: ${status}` };
    filter.status = status as JobStatus;
  }
  for (const name of ['createdAtStart', 'createdAtEnd', 'updatedAtStart', 'updatedAtEnd'] as const) {
    const raw = query.get(name);
    if (raw === null) continue;
    const ms = parseDateTime(raw);
    if (ms === undefined) return { ok: false, message: `Invalid date-time for ${name}: ${raw}` };
    filter[name] = ms;
  }
  const orderBy = query.get('orderBy');
  if (orderBy !== null) {
    // JobsHelper.orderByToFieldAndMethod: the field is matched loosely, the direction only as
    // upper-case ASC or DESC (`([a-zA-Z0-9]+)\|(ASC|DESC)`).
    const match = /^(createdAt|updatedAt)\|(ASC|DESC)$/i.exec(orderBy);
    if (match && match[2] !== 'ASC' && match[2] !== 'DESC')
      return { ok: false, message: `Invalid order by clause provided: ${orderBy}` };
    if (!match)
      return {
        ok: false,
        message: `Invalid orderBy: ${orderBy} (expected createdAt|ASC, updatedAt|DESC, ...)`,
      };
    filter.orderBy = {
      field: match[1]?.toLowerCase() === 'updatedat' ? 'updatedAt' : 'createdAt',
      direction: match[2]?.toUpperCase() === 'DESC' ? 'DESC' : 'ASC',
    };
  }
  return { ok: true, filter };
}

/**
 * Page links as Airbyte builds them (`PaginationMapper.getNextUrl/getPreviousUrl`): `next` whenever
 * the page is not empty (even if nothing follows), `previous` whenever the offset is past 0, and a
 * missing link as `""`.
 */
export function pageLinks(
  jobsUrl: string,
  query: URLSearchParams,
  filter: JobListFilter,
  pageSize: number,
): { next: string; previous: string } {
  const link = (offset: number): string => {
    const kept = new URLSearchParams();
    for (const name of ['connectionId', 'jobType', 'workspaceIds']) {
      for (const value of query.getAll(name)) kept.append(name, value);
    }
    kept.set('limit', String(filter.limit));
    kept.set('offset', String(offset));
    return `${jobsUrl}?${kept.toString()}`;
  };
  return {
    next: pageSize > 0 ? link(filter.offset + filter.limit) : '',
    previous: filter.offset > 0 ? link(Math.max(0, filter.offset - filter.limit)) : '',
  };
}
