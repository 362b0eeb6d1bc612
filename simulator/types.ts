/**
 * Public types of the Airbyte API simulator: scenarios, faults, the request log and the views the
 * control API returns. Shared by the server, the control client and tests; no runtime code here.
 */

/** Operation ids as Airbyte names them (plus the health check). */
export type OperationId =
  'createJob' | 'getJob' | 'cancelJob' | 'listJobs' | 'createAccessToken' | 'getHealthCheck';

export type JobStatus =
  'pending' | 'queued' | 'running' | 'incomplete' | 'failed' | 'succeeded' | 'cancelled';
/** What a job type is reported as: `clear` is reported back as `reset`, `refresh` is refused. */
export type ReportedJobType = 'sync' | 'reset';
export type RequestedJobType = 'sync' | 'reset' | 'clear' | 'refresh';
export type Outcome = 'succeeded' | 'failed' | 'cancelled';

/**
 * How time passes for a job: `wall` = milliseconds of the simulator clock (real time plus any
 * offset added with `advanceTime`); `polls` = each `GET /jobs/{id}` of that job is one tick.
 */
export type ClockMode = 'wall' | 'polls';

/**
 * The lifecycle of the jobs of one connection:
 * `pending → queued? → running → (incomplete → running)×failedAttempts → outcome`.
 * Phase lengths are in milliseconds (`…Ms`, wall clock) or in reads of the job (`…Polls`, poll
 * clock); only the set matching the job's clock is used.
 */
export interface JobScenario {
  /** Omitted: `polls` when only `…Polls` fields are given, `wall` when only `…Ms` fields are, else the simulator default. */
  clock?: ClockMode;
  pendingMs?: number;
  queuedMs?: number;
  runningMs?: number;
  incompleteMs?: number;
  pendingPolls?: number;
  queuedPolls?: number;
  runningPolls?: number;
  incompletePolls?: number;
  /** Attempts that fail and are retried (each shows as an `incomplete` phase). */
  failedAttempts?: number;
  outcome?: Outcome;
  /** Outcome of the n-th job of this type on the connection (0-based); later jobs use `outcome`. */
  outcomes?: Outcome[];
  /** Committed rows/bytes reported once succeeded; `null` = field absent ("succeeded with no stats"). */
  rowsSynced?: number | null;
  bytesSynced?: number | null;
}

/** A connection's scenario: the sync lifecycle, with optional overrides for reset/clear jobs. */
export interface Scenario extends JobScenario {
  reset?: JobScenario;
}

/** Random faults; every rate is a probability in [0, 1] drawn from the seeded PRNG. */
export interface FaultConfig {
  /** Operations these faults apply to; default: every operation except `getHealthCheck`. */
  ops?: OperationId[];
  /** Probability of answering with one of `errorStatuses` instead of handling the request. */
  errorRate?: number;
  /** Default `[500, 502, 503, 504]`. */
  errorStatuses?: number[];
  /** Probability of destroying the socket without an answer (the request is not handled). */
  resetRate?: number;
  /** Added latency before handling; a client that leaves meanwhile is dropped unhandled. */
  latencyMs?: number;
  /** Probability that `latencyMs` applies; default 1. */
  latencyRate?: number;
  /** Probability of a 429 `{"message":"You are being rate limited."}`. */
  rateLimitRate?: number;
  /** `Retry-After` on random 429s, in seconds; `null` = no header. Default 1. */
  retryAfterSeconds?: number | null;
  /** Probability that `createJob` is slow: handled after `slowCreateMs` even if the client left. */
  slowCreateRate?: number;
  /** Default 3000. */
  slowCreateMs?: number;
}

interface ScriptedFaultBase {
  /** Only requests of this operation consume the fault; omitted = any operation. */
  op?: OperationId;
  /** Only requests about this connection consume the fault. */
  connectionId?: string;
  /** How many matching requests it applies to; default 1. */
  count?: number;
}

/**
 * One exact fault, applied to the next matching request(s). `when: 'after'` first handles the
 * request (a job is created or cancelled), then replaces the answer: the client cannot know.
 */
export type ScriptedFault = ScriptedFaultBase &
  (
    | { fault: 'status'; status: number; retryAfterSeconds?: number; when?: 'before' | 'after' }
    | { fault: 'reset'; when?: 'before' | 'after' }
    | { fault: 'rateLimit'; retryAfterSeconds?: number }
    /** Delay before handling; dropped unhandled if the client leaves. */
    | { fault: 'latency'; ms: number }
    /** Delay, then handle even if the client left, and answer late. */
    | { fault: 'slow'; ms: number }
  );

export interface FaultSettings {
  /** Reseeds the PRNG (default seed 1). */
  seed?: number;
  /** `null` clears. */
  global?: FaultConfig | null;
  /** Per-connection faults, merged over the global ones; `null` clears one connection. */
  connections?: Record<string, FaultConfig | null>;
  /** Replaces the scripted queue. */
  script?: ScriptedFault[];
}

export type AuthMode = 'none' | 'token' | 'client-credentials' | 'basic';

export interface AuthOptions {
  mode: AuthMode;
  /** Static bearer tokens (mode `token`; also accepted in `client-credentials`). */
  tokens?: string[];
  /** Applications for `POST /applications/token`; default one `sim-client`/`sim-secret`. */
  clients?: Array<{ clientId: string; clientSecret: string }>;
  /** Lifetime of minted tokens in seconds (simulator clock); default 900. */
  tokenTtlSeconds?: number;
  /** Users for basic auth; default `airbyte`/`password`. */
  users?: Array<{ username: string; password: string }>;
}

export interface SimulatorOptions {
  host?: string;
  /** 0 = any free port (default). */
  port?: number;
  auth?: AuthOptions;
  /** Clock of jobs whose scenario does not choose one; default `wall`. */
  clock?: ClockMode;
  /** Scenario of connections created without one (and of auto-created connections). */
  defaultScenario?: Scenario;
  /** Create unknown connections on `POST /jobs` instead of answering 404. */
  autoCreateConnections?: boolean;
  /** Status for unknown job and connection ids: 404 (default) or 403 (what Cloud usually answers). */
  notFoundStatus?: 404 | 403;
  /** Status for `DELETE` of a job that already ended: 409 state-conflict (default) or 500. */
  cancelTerminalStatus?: 409 | 500;
  /**
   * The Airbyte version to behave like, for behaviours that changed (default: current). Below
   * 0.53.1 the jobs list cannot parse `orderBy=createdAt|DESC` (`JobsController.orderByToFieldAndMethod`
   * used the regex `([a-zA-Z0-9]+)|(ASC|DESC)` until commit 8bff2c60df, "Fix jobs order by AGAIN"):
   * 0.53.0 answers 400 "Invalid order by clause provided: …", 0.50.18–0.52.x a 500.
   */
  airbyteVersion?: string;
  /** First job id handed out; default 1. */
  firstJobId?: number;
  /** Request log capacity (oldest entries dropped); default 100 000. */
  maxLogEntries?: number;
  /** Initial (and after-reset) faults; per-connection faults are set on connections. */
  faults?: Omit<FaultSettings, 'connections'>;
  /** Called once per logged request (for the CLI); never receives secrets. */
  onRequest?: (entry: RequestLogEntry) => void;
}

export interface RequestLogEntry {
  seq: number;
  /** ISO time the request arrived (real time). */
  time: string;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** `null` when no answer was sent (socket reset or client gone). */
  status: number | null;
  operationId?: OperationId;
  connectionId?: string;
  jobId?: number;
  /** The fault applied, e.g. `status:503`, `reset`, `rateLimit`, `latency:100`, `slow:3000`. */
  fault?: string;
  /** Whether the request carried credentials that were accepted, and which scheme; never the secret. */
  auth: { scheme: 'none' | 'bearer' | 'basic' | 'other'; authorized: boolean };
  /** The client closed the connection before the answer. */
  clientGone?: boolean;
  durationMs: number;
}

/**
 * Why Airbyte would refuse to start a job on a connection (default `active`: it starts). Each maps
 * to the answer Airbyte's server gives (see simulator/README.md, "Behaviours and their sources"):
 * - `inactive` / `deprecated`: `SchedulerHandler.submitManualSyncToWorker` checks the connection
 *   is active (an `IllegalStateException`), answered 409 state-conflict "Could not fulfill request";
 * - `workflow-deleted`: `TemporalClient.startNewManualSync` meets a `DeletedWorkflowException`
 *   (error code WORKFLOW_DELETED, a `ValueConflictKnownException`), answered 409 try-again-later
 *   with the exception's message;
 * - `creation-times-out`: `TemporalClient.startNewManualSyncAndWaitForJobId` gives up waiting for
 *   the job id ("Timed out waiting for a sync job to be created", code UNKNOWN), answered 409
 *   state-conflict "Could not fulfill request".
 */
export type ConnectionState =
  'active' | 'inactive' | 'deprecated' | 'workflow-deleted' | 'creation-times-out';

export interface ConnectionInfo {
  connectionId: string;
  workspaceId: string;
  scenario: Scenario;
  faults?: FaultConfig;
  /** Omitted when `active`. */
  state?: ConnectionState;
}

/** A job as the control API shows it: the public JobResponse plus internals. Reading it never advances a poll clock. */
export interface SimJob {
  jobId: number;
  connectionId: string;
  status: JobStatus;
  jobType: ReportedJobType;
  requestedJobType: RequestedJobType;
  clock: ClockMode;
  /** Reads of this job through `GET /jobs/{id}`. */
  reads: number;
  createdAt: string;
  endedAt?: string;
  cancelledByClient: boolean;
  response: JobResponse;
}

/** The public API's JobResponse. */
export interface JobResponse {
  jobId: number;
  status: JobStatus;
  jobType: ReportedJobType;
  startTime: string;
  connectionId: string;
  lastUpdatedAt?: string;
  duration?: string;
  bytesSynced?: number;
  rowsSynced?: number;
}

export interface JobCounts {
  total: number;
  byStatus: Partial<Record<JobStatus, number>>;
  byType: Partial<Record<ReportedJobType, number>>;
  /** `POST /jobs` answered 409 because a job was running. */
  conflicts: number;
  /** `DELETE /jobs/{id}` of a job that had already ended (an error on Airbyte's side). */
  cancelTerminalAttempts: number;
}

export interface TimeSettings {
  clock: ClockMode;
  offsetMs: number;
  /** Simulator time, ISO. */
  now: string;
}
