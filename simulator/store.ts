/**
 * Connections and jobs, in memory. Status is computed when a job is looked at, from its creation
 * time or its read count, so the store holds no timers and scales to many thousands of jobs.
 */
import { randomUUID } from 'node:crypto';
import { phaseAt, planLength, resolveJobPlan } from './lifecycle.js';
import type { JobPlan } from './lifecycle.js';
import { isoDuration, isoSeconds } from './time-format.js';
import type {
  ClockMode,
  ConnectionInfo,
  ConnectionState,
  FaultConfig,
  JobCounts,
  JobResponse,
  JobStatus,
  ReportedJobType,
  RequestedJobType,
  Scenario,
  SimJob,
} from './types.js';

export const TERMINAL_STATUSES: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'cancelled']);
export const DEFAULT_WORKSPACE_ID = '00000000-0000-4000-8000-000000000001';

interface JobRecord {
  jobId: number;
  connectionId: string;
  requestedJobType: Exclude<RequestedJobType, 'refresh'>;
  jobType: ReportedJobType;
  createdAtMs: number;
  plan: JobPlan;
  reads: number;
  cancelledAtMs?: number;
  cancelledByClient: boolean;
  /** Poll-clock jobs: when the job was first seen terminal (wall-clock jobs compute it). */
  settledAtMs?: number;
  /** Poll-clock jobs: last status seen and when it was first seen (their `updatedAt`). */
  lastStatus: JobStatus;
  lastChangeAtMs: number;
}

interface ConnectionRecord {
  connectionId: string;
  workspaceId: string;
  scenario: Scenario;
  faults?: FaultConfig;
  state: ConnectionState;
  jobIds: number[];
  /** The newest job; the only one that can be non-terminal. */
  latestJobId?: number;
  jobsOfType: Record<ReportedJobType, number>;
  conflicts: number;
  cancelTerminalAttempts: number;
}

interface JobState {
  status: JobStatus;
  endedAtMs?: number;
  updatedAtMs: number;
}

export interface JobListFilter {
  connectionId?: string;
  /** `refresh` matches nothing: such jobs cannot be created through the public API. */
  jobType?: ReportedJobType | 'refresh';
  status?: JobStatus;
  workspaceIds?: string[];
  createdAtStart?: number;
  createdAtEnd?: number;
  updatedAtStart?: number;
  updatedAtEnd?: number;
  orderBy: { field: 'createdAt' | 'updatedAt'; direction: 'ASC' | 'DESC' };
  limit: number;
  offset: number;
}

export type CreateJobResult =
  | { kind: 'created'; job: JobResponse }
  /** A sync asked for while one is queued: Airbyte answers 200 with that job (see createJob). */
  | { kind: 'existing'; job: JobResponse }
  | { kind: 'conflict' }
  /** The connection refuses jobs (see ConnectionState). */
  | { kind: 'refused'; state: Exclude<ConnectionState, 'active'> }
  | { kind: 'unknownConnection' };

export type CancelJobResult =
  /** `job` is the job asked for, read again after the connection's current job was cancelled. */
  | { kind: 'cancelled'; job: JobResponse; cancelledJobId: number }
  | { kind: 'notRunning'; connectionId: string }
  | { kind: 'notFound' };

export interface StoreOptions {
  clock: ClockMode;
  defaultScenario: Scenario;
  firstJobId: number;
}

export class SimulatorStore {
  private readonly connections = new Map<string, ConnectionRecord>();
  private readonly jobsById = new Map<number, JobRecord>();
  private nextJobId: number;
  private offsetMs = 0;
  private defaultClock: ClockMode;

  constructor(private readonly options: StoreOptions) {
    this.nextJobId = options.firstJobId;
    this.defaultClock = options.clock;
  }

  /** Simulator time: real time plus the offset added by `advanceTime`. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  advanceTime(ms: number): void {
    this.offsetMs += Math.max(0, ms);
  }

  get clock(): ClockMode {
    return this.defaultClock;
  }

  set clock(mode: ClockMode) {
    this.defaultClock = mode;
  }

  get timeOffsetMs(): number {
    return this.offsetMs;
  }

  /** Forgets every connection and job and the time offset. */
  clear(): void {
    this.connections.clear();
    this.jobsById.clear();
    this.nextJobId = this.options.firstJobId;
    this.offsetMs = 0;
    this.defaultClock = this.options.clock;
  }

  /** Creates a connection, or replaces the scenario (and faults, when given) of an existing one. */
  addConnection(input: {
    connectionId?: string;
    workspaceId?: string;
    scenario?: Scenario;
    faults?: FaultConfig;
    state?: ConnectionState;
  }): ConnectionInfo {
    const connectionId = (input.connectionId ?? randomUUID()).toLowerCase();
    const existing = this.connections.get(connectionId);
    if (existing) {
      if (input.scenario) existing.scenario = input.scenario;
      if (input.faults) existing.faults = input.faults;
      if (input.state) existing.state = input.state;
      return this.connectionInfo(existing);
    }
    const record: ConnectionRecord = {
      connectionId,
      workspaceId: input.workspaceId ?? DEFAULT_WORKSPACE_ID,
      scenario: input.scenario ?? this.options.defaultScenario,
      ...(input.faults ? { faults: input.faults } : {}),
      state: input.state ?? 'active',
      jobIds: [],
      jobsOfType: { sync: 0, reset: 0 },
      conflicts: 0,
      cancelTerminalAttempts: 0,
    };
    this.connections.set(connectionId, record);
    return this.connectionInfo(record);
  }

  connection(connectionId: string): ConnectionInfo | undefined {
    const record = this.connections.get(connectionId.toLowerCase());
    return record ? this.connectionInfo(record) : undefined;
  }

  listConnections(): ConnectionInfo[] {
    return [...this.connections.values()].map((c) => this.connectionInfo(c));
  }

  /** Returns false for an unknown connection. */
  setConnectionFaults(connectionId: string, faults: FaultConfig | null): boolean {
    const record = this.connections.get(connectionId.toLowerCase());
    if (!record) return false;
    if (faults) record.faults = faults;
    else delete record.faults;
    return true;
  }

  connectionFaults(connectionId: string | undefined): FaultConfig | undefined {
    return connectionId ? this.connections.get(connectionId.toLowerCase())?.faults : undefined;
  }

  /** Connection of a job, for logging and per-connection faults; does not observe the job. */
  jobConnectionId(jobId: number): string | undefined {
    return this.jobsById.get(jobId)?.connectionId;
  }

  /**
   * Airbyte's rules: one non-terminal job per connection; a sync while one runs is a conflict;
   * a sync while one is queued answers that job (`TemporalClient.startNewManualSyncAndWaitForJobId`:
   * "manual sync job already created"); a reset or clear cancels the running job and starts; a
   * clear is recorded as a reset. A sync on a connection that is not active is refused
   * (`SchedulerHandler.submitManualSyncToWorker`), and so is any job once its workflow is deleted.
   */
  createJob(connectionIdInput: string, requested: Exclude<RequestedJobType, 'refresh'>): CreateJobResult {
    const connection = this.connections.get(connectionIdInput.toLowerCase());
    if (!connection) return { kind: 'unknownConnection' };
    const refusal = refusalOf(connection.state, requested);
    if (refusal) {
      connection.conflicts += 1;
      return { kind: 'refused', state: refusal };
    }
    const now = this.now();
    const latest =
      connection.latestJobId === undefined ? undefined : this.jobsById.get(connection.latestJobId);
    const latestStatus = latest ? this.state(latest, now).status : undefined;
    if (latest && latestStatus !== undefined && !TERMINAL_STATUSES.has(latestStatus)) {
      if (requested === 'sync') {
        if (latestStatus === 'queued') return { kind: 'existing', job: this.response(latest, now) };
        connection.conflicts += 1;
        return { kind: 'conflict' };
      }
      latest.cancelledAtMs = now;
    }
    const jobType: ReportedJobType = requested === 'sync' ? 'sync' : 'reset';
    const plan = resolveJobPlan(
      connection.scenario,
      requested,
      connection.jobsOfType[jobType],
      this.defaultClock,
    );
    connection.jobsOfType[jobType] += 1;
    const job: JobRecord = {
      jobId: this.nextJobId,
      connectionId: connection.connectionId,
      requestedJobType: requested,
      jobType,
      createdAtMs: now,
      plan,
      reads: 0,
      cancelledByClient: false,
      lastStatus: 'pending',
      lastChangeAtMs: now,
    };
    this.nextJobId += 1;
    this.jobsById.set(job.jobId, job);
    connection.jobIds.push(job.jobId);
    connection.latestJobId = job.jobId;
    return { kind: 'created', job: this.response(job, now) };
  }

  /** `GET /jobs/{id}`: advances a poll-clock job by one tick, then answers. */
  readJob(jobId: number): JobResponse | undefined {
    const job = this.jobsById.get(jobId);
    if (!job) return undefined;
    job.reads += 1;
    return this.response(job, this.now());
  }

  /**
   * Cancel is connection-wide, as in Airbyte: `SchedulerHandler.submitCancellationToWorker` reads
   * the job only for its scope (the connection) and `TemporalClient.startNewCancellation` cancels
   * the connection's current job, whatever its id; the answer is the job asked for, read again.
   * With no job running on the connection the cancellation fails: "Job is not currently running".
   */
  cancelJob(jobId: number): CancelJobResult {
    const job = this.jobsById.get(jobId);
    if (!job) return { kind: 'notFound' };
    const now = this.now();
    const connection = this.connections.get(job.connectionId);
    const current =
      connection?.latestJobId === undefined ? undefined : this.jobsById.get(connection.latestJobId);
    if (!current || TERMINAL_STATUSES.has(this.state(current, now).status)) {
      if (connection) connection.cancelTerminalAttempts += 1;
      return { kind: 'notRunning', connectionId: job.connectionId };
    }
    current.cancelledAtMs = now;
    current.cancelledByClient = true;
    return { kind: 'cancelled', job: this.response(job, now), cancelledJobId: current.jobId };
  }

  /** Filters, orders and pages jobs (`GET /jobs`). */
  listJobs(filter: JobListFilter): JobResponse[] {
    const now = this.now();
    const source = filter.connectionId
      ? (this.connections.get(filter.connectionId.toLowerCase())?.jobIds ?? []).map((id) =>
          this.jobsById.get(id),
        )
      : [...this.jobsById.values()];
    const workspaces = filter.workspaceIds?.length
      ? new Set(filter.workspaceIds.map((w) => w.toLowerCase()))
      : undefined;
    const rows: Array<{ job: JobRecord; state: JobState }> = [];
    for (const job of source) {
      if (!job) continue;
      if (filter.jobType && job.jobType !== filter.jobType) continue;
      if (workspaces && !workspaces.has(this.connections.get(job.connectionId)?.workspaceId ?? '')) continue;
      const state = this.state(job, now);
      if (filter.status && state.status !== filter.status) continue;
      if (!inRange(job.createdAtMs, filter.createdAtStart, filter.createdAtEnd)) continue;
      if (!inRange(state.updatedAtMs, filter.updatedAtStart, filter.updatedAtEnd)) continue;
      rows.push({ job, state });
    }
    const sign = filter.orderBy.direction === 'ASC' ? 1 : -1;
    const key = (row: { job: JobRecord; state: JobState }): number =>
      filter.orderBy.field === 'createdAt' ? row.job.createdAtMs : row.state.updatedAtMs;
    rows.sort((a, b) => sign * (key(a) - key(b) || a.job.jobId - b.job.jobId));
    return rows
      .slice(filter.offset, filter.offset + filter.limit)
      .map((row) => this.toResponse(row.job, row.state, now));
  }

  /** A job as the control API shows it; never advances its poll clock. */
  peekJob(jobId: number): SimJob | undefined {
    const job = this.jobsById.get(jobId);
    if (!job) return undefined;
    const now = this.now();
    const state = this.state(job, now);
    return {
      jobId: job.jobId,
      connectionId: job.connectionId,
      status: state.status,
      jobType: job.jobType,
      requestedJobType: job.requestedJobType,
      clock: job.plan.clock,
      reads: job.reads,
      createdAt: new Date(job.createdAtMs).toISOString(),
      ...(state.endedAtMs === undefined ? {} : { endedAt: new Date(state.endedAtMs).toISOString() }),
      cancelledByClient: job.cancelledByClient,
      response: this.toResponse(job, state, now),
    };
  }

  /** Jobs oldest first, of one connection or of all. */
  jobs(connectionId?: string): SimJob[] {
    const ids = connectionId
      ? (this.connections.get(connectionId.toLowerCase())?.jobIds ?? [])
      : [...this.jobsById.keys()];
    return ids.map((id) => this.peekJob(id)).filter((j): j is SimJob => j !== undefined);
  }

  counts(connectionId?: string): JobCounts {
    const counts: JobCounts = { total: 0, byStatus: {}, byType: {}, conflicts: 0, cancelTerminalAttempts: 0 };
    const connections = connectionId
      ? [this.connections.get(connectionId.toLowerCase())].filter(
          (c): c is ConnectionRecord => c !== undefined,
        )
      : [...this.connections.values()];
    const now = this.now();
    for (const connection of connections) {
      counts.conflicts += connection.conflicts;
      counts.cancelTerminalAttempts += connection.cancelTerminalAttempts;
      for (const id of connection.jobIds) {
        const job = this.jobsById.get(id);
        if (!job) continue;
        const { status } = this.state(job, now);
        counts.total += 1;
        counts.byStatus[status] = (counts.byStatus[status] ?? 0) + 1;
        counts.byType[job.jobType] = (counts.byType[job.jobType] ?? 0) + 1;
      }
    }
    return counts;
  }

  private connectionInfo(record: ConnectionRecord): ConnectionInfo {
    return {
      connectionId: record.connectionId,
      workspaceId: record.workspaceId,
      scenario: record.scenario,
      ...(record.faults ? { faults: record.faults } : {}),
      ...(record.state === 'active' ? {} : { state: record.state }),
    };
  }

  private state(job: JobRecord, now: number): JobState {
    if (job.cancelledAtMs !== undefined) {
      return { status: 'cancelled', endedAtMs: job.cancelledAtMs, updatedAtMs: job.cancelledAtMs };
    }
    if (job.plan.clock === 'wall') {
      const { status, phaseStart } = phaseAt(job.plan, now - job.createdAtMs);
      const ended = TERMINAL_STATUSES.has(status);
      const updatedAtMs = job.createdAtMs + phaseStart;
      return ended
        ? { status, endedAtMs: job.createdAtMs + planLength(job.plan), updatedAtMs }
        : { status, updatedAtMs };
    }
    // Poll clock: the position is the number of reads; times are when a status was first seen.
    const { status } = phaseAt(job.plan, job.reads);
    if (status !== job.lastStatus) {
      job.lastStatus = status;
      job.lastChangeAtMs = now;
    }
    if (TERMINAL_STATUSES.has(status)) job.settledAtMs ??= now;
    return job.settledAtMs === undefined
      ? { status, updatedAtMs: job.lastChangeAtMs }
      : { status, endedAtMs: job.settledAtMs, updatedAtMs: job.settledAtMs };
  }

  private response(job: JobRecord, now: number): JobResponse {
    return this.toResponse(job, this.state(job, now), now);
  }

  /**
   * Airbyte's JobResponse (`JobResponseMapper.fromJobRead`): `lastUpdatedAt` only once terminal,
   * `duration` for every status but `pending` (updatedAt − createdAt), committed counts from the
   * job's aggregated stats whatever its status (a failed job reports what it committed).
   */
  private toResponse(job: JobRecord, state: JobState, now: number): JobResponse {
    const response: JobResponse = {
      jobId: job.jobId,
      status: state.status,
      jobType: job.jobType,
      startTime: isoSeconds(job.createdAtMs),
      connectionId: job.connectionId,
    };
    if (state.endedAtMs !== undefined) response.lastUpdatedAt = isoSeconds(state.endedAtMs);
    if (state.status !== 'pending') {
      response.duration = isoDuration((state.endedAtMs ?? now) - job.createdAtMs);
    }
    if (state.status === 'succeeded' || state.status === 'failed') {
      if (job.plan.bytesSynced !== null) response.bytesSynced = job.plan.bytesSynced;
      if (job.plan.rowsSynced !== null) response.rowsSynced = job.plan.rowsSynced;
    }
    return response;
  }
}

/** The refusal a connection in `state` gives to a job of `requested` type, if any. */
function refusalOf(
  state: ConnectionState,
  requested: Exclude<RequestedJobType, 'refresh'>,
): Exclude<ConnectionState, 'active'> | undefined {
  if (state === 'active') return undefined;
  // Only the sync path checks that the connection is active and waits for the job id; a reset of
  // an inactive connection goes through (SchedulerHandler.submitResetConnectionToWorker).
  if (requested !== 'sync' && state !== 'workflow-deleted') return undefined;
  return state;
}

function inRange(value: number, start: number | undefined, end: number | undefined): boolean {
  return (start === undefined || value >= start) && (end === undefined || value <= end);
}
