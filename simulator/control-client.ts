/**
 * A typed client for the simulator's control API (`/_sim/`), for tests and benchmarks that run the
 * simulator out of process. Uses the global `fetch` of Node 20.
 */
import type { FaultsSnapshot } from './core.js';
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
  TimeSettings,
} from './types.js';

export type { FaultsSnapshot };

export interface ControlClient {
  addConnection(input?: {
    connectionId?: string;
    workspaceId?: string;
    scenario?: Scenario;
    faults?: FaultConfig;
    state?: ConnectionState;
  }): Promise<ConnectionInfo>;
  connection(connectionId: string): Promise<(ConnectionInfo & { counts: JobCounts }) | undefined>;
  connections(): Promise<Array<ConnectionInfo & { counts: JobCounts }>>;
  setScenario(connectionId: string, scenario: Scenario): Promise<ConnectionInfo>;
  jobs(connectionId?: string): Promise<SimJob[]>;
  job(jobId: number): Promise<SimJob | undefined>;
  counts(connectionId?: string): Promise<JobCounts>;
  requests(afterSeq?: number): Promise<RequestLogEntry[]>;
  clearRequests(): Promise<void>;
  faults(): Promise<FaultsSnapshot>;
  setFaults(settings: FaultSettings): Promise<FaultsSnapshot>;
  scriptFaults(faults: ScriptedFault[]): Promise<FaultsSnapshot>;
  time(): Promise<TimeSettings>;
  setTime(input: { clock?: ClockMode; advanceMs?: number }): Promise<TimeSettings>;
  reset(): Promise<void>;
}

export class ControlApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ControlApiError';
  }
}

/** @param controlUrl the simulator's `controlUrl`, e.g. `http://127.0.0.1:8090/_sim`. */
export function createControlClient(controlUrl: string): ControlClient {
  const base = controlUrl.replace(/\/+$/, '');

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${base}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await response.text();
    if (!response.ok)
      throw new ControlApiError(response.status, `${method} ${path}: ${response.status} ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  async function optional<T>(path: string): Promise<T | undefined> {
    try {
      return await call<T>('GET', path);
    } catch (err) {
      if (err instanceof ControlApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  const withQuery = (path: string, name: string, value: string | number | undefined): string =>
    value === undefined ? path : `${path}?${name}=${encodeURIComponent(String(value))}`;

  return {
    addConnection: (input = {}) => call('POST', '/connections', input),
    connection: (id) => optional(`/connections/${encodeURIComponent(id)}`),
    connections: () => call('GET', '/connections'),
    setScenario: (id, scenario) => call('PUT', `/connections/${encodeURIComponent(id)}/scenario`, scenario),
    jobs: (connectionId) => call('GET', withQuery('/jobs', 'connectionId', connectionId)),
    job: (jobId) => optional(`/jobs/${jobId}`),
    counts: (connectionId) => call('GET', withQuery('/counts', 'connectionId', connectionId)),
    requests: (afterSeq) => call('GET', withQuery('/requests', 'after', afterSeq)),
    clearRequests: () => call('DELETE', '/requests'),
    faults: () => call('GET', '/faults'),
    setFaults: (settings) => call('PUT', '/faults', settings),
    scriptFaults: (faults) => call('POST', '/faults/script', faults),
    time: () => call('GET', '/time'),
    setTime: (input) => call('PUT', '/time', input),
    reset: () => call('POST', '/reset'),
  };
}
