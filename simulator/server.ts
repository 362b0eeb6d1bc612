/**
 * The Airbyte public API simulator as a real `node:http` server on loopback: the API under `/v1`
 * and `/api/public/v1`, `/health`, and the control API under `/_sim/`. Tests also get direct
 * in-process accessors to the same state.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTROL_PREFIX, handleControlRequest } from './control-api.js';
import { SimulatorCore } from './core.js';
import type { FaultsSnapshot } from './core.js';
import type { FaultPlan } from './faults.js';
import type { NotificationSettings, SentNotification } from './notifications.js';
import { jsonReply, readBody, sendReply } from './http-io.js';
import type { Reply } from './http-io.js';
import { problemReply, problems } from './problems.js';
import { handleApiRequest, requestTarget, routePublic } from './public-api.js';
import type { ApiRequest } from './public-api.js';
import type {
  ClockMode,
  ConnectionInfo,
  ConnectionState,
  FaultConfig,
  FaultSettings,
  JobCounts,
  RequestLogEntry,
  Scenario,
  ScriptedFault,
  SimJob,
  SimulatorOptions,
  TimeSettings,
} from './types.js';

export interface Simulator {
  /** Base URL of the public API as on Cloud: `http://127.0.0.1:PORT/v1`. */
  url: string;
  /** The same API as on self-managed installs: `http://127.0.0.1:PORT/api/public/v1`. */
  selfManagedUrl: string;
  /** `http://127.0.0.1:PORT` (`/health` is served there). */
  origin: string;
  /** `http://127.0.0.1:PORT/_sim`. */
  controlUrl: string;
  port: number;
  close(): Promise<void>;
  /** Request log entries after `afterSeq`, oldest first. */
  requests(afterSeq?: number): RequestLogEntry[];
  clearRequests(): void;
  /** Jobs oldest first, of one connection or all; looking never advances a poll clock. */
  jobs(connectionId?: string): SimJob[];
  job(jobId: number): SimJob | undefined;
  counts(connectionId?: string): JobCounts;
  /** Creates a connection (random UUID unless given), or updates an existing one's scenario/faults. */
  addConnection(input?: {
    connectionId?: string;
    workspaceId?: string;
    scenario?: Scenario;
    faults?: FaultConfig;
    /** Why Airbyte would refuse a job on it (default `active`). */
    state?: ConnectionState;
  }): ConnectionInfo;
  connections(): ConnectionInfo[];
  setFaults(settings: FaultSettings): void;
  /** Appends exact faults for the next matching requests. */
  scriptFaults(...faults: ScriptedFault[]): void;
  faults(): FaultsSnapshot;
  /** Default clock of jobs whose scenario does not pick one. */
  setClock(clock: ClockMode): void;
  /** Moves the simulator clock forward (wall-clock jobs and token expiry). */
  advanceTime(ms: number): void;
  time(): TimeSettings;
  /** Sets where and how job notifications are sent (webhooks; drop, duplicate, delay knobs). */
  configureNotifications(input: Partial<NotificationSettings>): NotificationSettings;
  /** Notifications sent so far, oldest first. */
  notifications(): SentNotification[];
  /** Forgets everything: connections, jobs, tokens, faults, log, time offset, notifications. */
  reset(): void;
}

/** Starts a simulator; resolves once it listens. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const core = new SimulatorCore(options);
  const delays = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let closed = false;

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          delays.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      delays.add(entry);
    });

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A bug in the simulator must show as a 500, not hang the client.
      sendReply(res, problemReply(problems.unexpected(err instanceof Error ? err.message : String(err))));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = Date.now();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
      const raw = (await readBody(req)) ?? '';
      let body: unknown;
      try {
        body = raw.trim() === '' ? undefined : (JSON.parse(raw) as unknown);
      } catch {
        sendReply(res, jsonReply(400, { error: 'Malformed JSON body' }));
        return;
      }
      sendReply(res, handleControlRequest(core, method, url.pathname, url.searchParams, body));
      return;
    }

    let clientGone = false;
    res.on('close', () => {
      if (!res.writableFinished) clientGone = true;
    });
    const routed = routePublic(method, url.pathname);
    const needsAuth =
      routed?.kind === 'route' &&
      routed.route.op !== 'getHealthCheck' &&
      routed.route.op !== 'createAccessToken';
    const checked = core.auth.check(req.headers.authorization);
    // Requests to endpoints without auth count as authorized whatever they carry.
    const authCheck = needsAuth ? checked : { scheme: checked.scheme, authorized: true };
    const base: Omit<RequestLogEntry, 'seq' | 'status' | 'durationMs'> = {
      time: new Date(startedAt).toISOString(),
      method,
      path: url.pathname,
      query: queryRecord(url.searchParams),
      auth: { scheme: authCheck.scheme, authorized: authCheck.authorized },
    };
    const finish = (status: number | null, extra: Partial<RequestLogEntry> = {}): void => {
      core.log.add({
        ...base,
        status,
        ...extra,
        ...(clientGone ? { clientGone } : {}),
        durationMs: Date.now() - startedAt,
      });
    };

    if (!routed || routed.kind === 'methodNotAllowed') {
      const reply: Reply = routed
        ? {
            ...problemReply({ ...problems.badRequest(`Method ${method} not allowed`), status: 405 }),
            headers: { Allow: routed.allow },
          }
        : problemReply({ ...problems.notFound('path', url.pathname) });
      sendReply(res, reply);
      finish(reply.status);
      return;
    }
    const { route } = routed;
    const rawBody = await readBody(req);
    if (rawBody === undefined) {
      sendReply(res, problemReply(problems.badRequest('Request body too large')));
      finish(400, { operationId: route.op });
      return;
    }
    const request: ApiRequest = {
      route,
      query: url.searchParams,
      rawBody,
      contentType: req.headers['content-type'],
      origin: `http://${req.headers.host ?? 'localhost'}`,
    };
    const target = requestTarget(core.api, request);
    const plan: FaultPlan = core.faults.decide(
      route.op,
      target.connectionId,
      core.store.connectionFaults(target.connectionId),
    );
    const logged = { operationId: route.op, ...target, ...(plan.label ? { fault: plan.label } : {}) };

    if (plan.delayMs > 0) await delay(plan.delayMs);
    if (closed || (clientGone && !plan.handleIfGone)) {
      finish(null, logged);
      return;
    }
    if (plan.replace?.when === 'before') {
      finish(applyReplacement(res, plan.replace.action), logged);
      return;
    }
    let reply: Reply;
    if (!authCheck.authorized) {
      reply = {
        ...problemReply(problems.invalidApiKey(authCheck.reason ?? 'Unauthorized')),
        headers: { 'WWW-Authenticate': core.auth.challenge() },
      };
    } else {
      reply = handleApiRequest(core.api, request);
    }
    const createdJobId = route.op === 'createJob' && reply.status === 200 ? jobIdOf(reply) : undefined;
    const withJob = createdJobId === undefined ? logged : { ...logged, jobId: createdJobId };
    if (plan.replace?.when === 'after') {
      finish(applyReplacement(res, plan.replace.action), withJob);
      return;
    }
    finish(sendReply(res, reply) ? reply.status : null, withJob);
  }

  function applyReplacement(
    res: ServerResponse,
    action: NonNullable<FaultPlan['replace']>['action'],
  ): number | null {
    if (action.kind === 'reset') {
      res.socket?.destroy();
      return null;
    }
    return sendReply(res, action.reply) ? action.reply.status : null;
  }

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  // Jobs end by the clock, not by a request: look for ended jobs often enough for a webhook to
  // come within a fraction of a second, as Airbyte's does.
  const notifying = setInterval(
    () =>
      core.notifier.tick(
        () => core.store.jobs(),
        (connectionId) => core.store.connection(connectionId)?.workspaceId ?? '',
      ),
    200,
  );
  notifying.unref();

  return {
    url: `${origin}/v1`,
    selfManagedUrl: `${origin}/api/public/v1`,
    origin,
    controlUrl: `${origin}${CONTROL_PREFIX}`,
    port,
    close: async () => {
      closed = true;
      clearInterval(notifying);
      await core.notifier.settle();
      for (const entry of delays) {
        clearTimeout(entry.timer);
        entry.resolve();
      }
      delays.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    requests: (afterSeq) => core.log.list(afterSeq),
    clearRequests: () => core.log.clear(),
    jobs: (connectionId) => core.store.jobs(connectionId),
    configureNotifications: (input) => core.notifier.configure(input),
    notifications: () => core.notifier.snapshot().sent,
    job: (jobId) => core.store.peekJob(jobId),
    counts: (connectionId) => core.store.counts(connectionId),
    addConnection: (input = {}) => core.store.addConnection(input),
    connections: () => core.store.listConnections(),
    setFaults: (settings) => core.setFaults(settings),
    scriptFaults: (...faults) => core.scriptFaults(faults),
    faults: () => core.faultsSnapshot(),
    setClock: (clock) => {
      core.setTime({ clock });
    },
    advanceTime: (ms) => {
      core.setTime({ advanceMs: ms });
    },
    time: () => core.time(),
    reset: () => core.reset(),
  };
}

function queryRecord(params: URLSearchParams): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    record[name] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return record;
}

function jobIdOf(reply: Reply): number | undefined {
  const parsed = JSON.parse(reply.body ?? '{}') as { jobId?: unknown };
  return typeof parsed.jobId === 'number' ? parsed.jobId : undefined;
}
