/**
 * The control API under `/_sim/` (no auth): set up connections and faults, look at jobs without
 * advancing them, read the request log, move time, reset. Tests and benchmarks drive it through
 * `control-client.ts`.
 */
import type { SimulatorCore } from './core.js';
import { jsonReply } from './http-io.js';
import type { Reply } from './http-io.js';
import { isUuid } from './list-jobs-query.js';
import type { ClockMode, ConnectionState, FaultSettings, Scenario, ScriptedFault } from './types.js';

export const CONTROL_PREFIX = '/_sim';

const CONNECTION_STATES: readonly ConnectionState[] = [
  'active',
  'inactive',
  'deprecated',
  'workflow-deleted',
  'creation-times-out',
];

const SCRIPTED_KINDS = new Set(['status', 'reset', 'rateLimit', 'latency', 'slow']);

function error(status: number, message: string): Reply {
  return jsonReply(status, { error: message });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validScript(value: unknown): value is ScriptedFault[] {
  return Array.isArray(value) && value.every((f) => isObject(f) && SCRIPTED_KINDS.has(String(f['fault'])));
}

/** Handles `/_sim/...`; `body` is the parsed JSON body (undefined when none). */
export function handleControlRequest(
  core: SimulatorCore,
  method: string,
  path: string,
  query: URLSearchParams,
  body: unknown,
): Reply {
  const parts = path.slice(CONTROL_PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
  const [resource, id, sub] = parts;
  // Only connections and jobs have ids in their paths; other segments are literal.
  const hasId = resource === 'connections' || resource === 'jobs';
  const key = hasId
    ? `${method} ${resource}${id === undefined ? '' : '/:id'}${sub === undefined ? '' : `/${sub}`}`
    : `${method} ${parts.join('/')}`;
  switch (key) {
    case 'GET ':
      return jsonReply(200, { time: core.time(), auth: core.auth.mode, counts: core.store.counts() });
    case 'POST connections': {
      const input = body === undefined ? {} : body;
      if (!isObject(input)) return error(400, 'Expected a JSON object');
      const { connectionId, workspaceId, scenario, faults, state } = input;
      if (connectionId !== undefined && (typeof connectionId !== 'string' || !isUuid(connectionId))) {
        return error(400, 'connectionId must be a UUID');
      }
      if (workspaceId !== undefined && (typeof workspaceId !== 'string' || !isUuid(workspaceId))) {
        return error(400, 'workspaceId must be a UUID');
      }
      if (scenario !== undefined && !isObject(scenario)) return error(400, 'scenario must be an object');
      if (faults !== undefined && !isObject(faults)) return error(400, 'faults must be an object');
      if (state !== undefined && !CONNECTION_STATES.includes(state as ConnectionState)) {
        return error(400, `state must be one of ${CONNECTION_STATES.join(', ')}`);
      }
      return jsonReply(
        201,
        core.store.addConnection({
          ...(connectionId === undefined ? {} : { connectionId }),
          ...(workspaceId === undefined ? {} : { workspaceId }),
          ...(scenario === undefined ? {} : { scenario: scenario as Scenario }),
          ...(faults === undefined ? {} : { faults }),
          ...(state === undefined ? {} : { state: state as ConnectionState }),
        }),
      );
    }
    case 'GET connections':
      return jsonReply(
        200,
        core.store.listConnections().map((c) => ({ ...c, counts: core.store.counts(c.connectionId) })),
      );
    case 'GET connections/:id': {
      const connection = core.store.connection(id ?? '');
      return connection
        ? jsonReply(200, { ...connection, counts: core.store.counts(connection.connectionId) })
        : error(404, 'Unknown connection');
    }
    case 'PUT connections/:id/scenario': {
      if (!core.store.connection(id ?? '')) return error(404, 'Unknown connection');
      if (!isObject(body)) return error(400, 'Expected a scenario object');
      return jsonReply(200, core.store.addConnection({ connectionId: id ?? '', scenario: body as Scenario }));
    }
    case 'GET jobs':
      return jsonReply(200, core.store.jobs(query.get('connectionId') ?? undefined));
    case 'GET jobs/:id': {
      const job = /^\d+$/.test(id ?? '') ? core.store.peekJob(Number(id)) : undefined;
      return job ? jsonReply(200, job) : error(404, 'Unknown job');
    }
    case 'GET counts':
      return jsonReply(200, core.store.counts(query.get('connectionId') ?? undefined));
    case 'GET requests':
      return jsonReply(200, core.log.list(Number(query.get('after') ?? 0) || 0));
    case 'DELETE requests':
      core.log.clear();
      return { status: 204 };
    case 'GET faults':
      return jsonReply(200, core.faultsSnapshot());
    case 'PUT faults': {
      if (!isObject(body)) return error(400, 'Expected fault settings');
      if (body['script'] !== undefined && !validScript(body['script'])) return error(400, 'Invalid script');
      try {
        core.setFaults(body as FaultSettings);
      } catch (e) {
        return error(400, (e as Error).message);
      }
      return jsonReply(200, core.faultsSnapshot());
    }
    case 'POST faults/script': {
      if (!validScript(body)) return error(400, 'Expected an array of scripted faults');
      core.scriptFaults(body);
      return jsonReply(200, core.faultsSnapshot());
    }
    case 'GET time':
      return jsonReply(200, core.time());
    case 'PUT time': {
      if (!isObject(body)) return error(400, 'Expected { clock?, advanceMs? }');
      const { clock, advanceMs } = body;
      if (clock !== undefined && clock !== 'wall' && clock !== 'polls')
        return error(400, 'clock must be wall or polls');
      if (advanceMs !== undefined && (typeof advanceMs !== 'number' || advanceMs < 0)) {
        return error(400, 'advanceMs must be a non-negative number');
      }
      return jsonReply(
        200,
        core.setTime({
          ...(clock === undefined ? {} : { clock: clock as ClockMode }),
          ...(advanceMs === undefined ? {} : { advanceMs }),
        }),
      );
    }
    case 'GET notifications':
      return jsonReply(200, core.notifier.snapshot());
    case 'PUT notifications': {
      if (!isObject(body)) return error(400, 'Expected { webhooks?, drop?, duplicate?, delayMs? }');
      const { webhooks, drop, duplicate, delayMs } = body;
      if (
        webhooks !== undefined &&
        !(Array.isArray(webhooks) && webhooks.every((w) => typeof w === 'string' && /^https?:\/\//.test(w)))
      )
        return error(400, 'webhooks must be a list of http(s) URLs');
      for (const [name, value] of Object.entries({ drop, duplicate, delayMs })) {
        if (value !== undefined && !(typeof value === 'number' && Number.isInteger(value) && value >= 0))
          return error(400, `${name} must be a whole number ≥ 0`);
      }
      return jsonReply(
        200,
        core.notifier.configure({
          ...(webhooks === undefined ? {} : { webhooks: webhooks as string[] }),
          ...(drop === undefined ? {} : { drop: drop as number }),
          ...(duplicate === undefined ? {} : { duplicate: duplicate as number }),
          ...(delayMs === undefined ? {} : { delayMs: delayMs as number }),
        }),
      );
    }
    case 'POST reset':
      core.reset();
      return { status: 204 };
    default:
      return error(404, `No control route ${method} ${path}`);
  }
}
