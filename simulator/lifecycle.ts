/**
 * The job lifecycle as pure data: a scenario is resolved once, at job creation, into a list of
 * phases; a job's status at any moment is a lookup in that list. No timers: thousands of jobs cost
 * only their records.
 */
import type { ClockMode, JobScenario, JobStatus, Outcome, RequestedJobType, Scenario } from './types.js';

export interface Phase {
  status: JobStatus;
  /** Length in the job's clock unit (ms or reads). */
  length: number;
}

export interface JobPlan {
  clock: ClockMode;
  /** Non-terminal phases in order; zero-length phases are dropped. */
  phases: Phase[];
  outcome: Outcome;
  rowsSynced: number | null;
  bytesSynced: number | null;
}

const WALL_DEFAULTS = { pending: 1000, queued: 0, running: 5000, incomplete: 2000 };
const POLL_DEFAULTS = { pending: 1, queued: 0, running: 3, incomplete: 1 };
const SYNC_STATS = { rowsSynced: 100, bytesSynced: 10_240 };

const MS_FIELDS = ['pendingMs', 'queuedMs', 'runningMs', 'incompleteMs'] as const;
const POLL_FIELDS = ['pendingPolls', 'queuedPolls', 'runningPolls', 'incompletePolls'] as const;

/** The clock a scenario asks for; the `…Polls`/`…Ms` fields disambiguate when `clock` is omitted. */
export function scenarioClock(scenario: JobScenario, fallback: ClockMode): ClockMode {
  if (scenario.clock) return scenario.clock;
  const hasMs = MS_FIELDS.some((f) => scenario[f] !== undefined);
  const hasPolls = POLL_FIELDS.some((f) => scenario[f] !== undefined);
  if (hasPolls && !hasMs) return 'polls';
  if (hasMs && !hasPolls) return 'wall';
  return fallback;
}

function nonNegative(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback;
}

/**
 * Resolves the plan of a new job.
 * @param index 0-based number of earlier jobs of the same reported type on the connection (picks `outcomes[index]`).
 */
export function resolveJobPlan(
  scenario: Scenario,
  jobType: Exclude<RequestedJobType, 'refresh'>,
  index: number,
  defaultClock: ClockMode,
): JobPlan {
  const isReset = jobType !== 'sync';
  // A reset writes nothing, so its stats default to absent; its other settings inherit the sync's.
  const base: JobScenario = isReset ? { ...scenario, rowsSynced: null, bytesSynced: null } : scenario;
  const merged: JobScenario = isReset && scenario.reset ? { ...base, ...scenario.reset } : base;
  const clock = scenarioClock(merged, defaultClock);
  const lengths =
    clock === 'wall'
      ? {
          pending: nonNegative(merged.pendingMs, WALL_DEFAULTS.pending),
          queued: nonNegative(merged.queuedMs, WALL_DEFAULTS.queued),
          running: nonNegative(merged.runningMs, WALL_DEFAULTS.running),
          incomplete: nonNegative(merged.incompleteMs, WALL_DEFAULTS.incomplete),
        }
      : {
          pending: Math.floor(nonNegative(merged.pendingPolls, POLL_DEFAULTS.pending)),
          queued: Math.floor(nonNegative(merged.queuedPolls, POLL_DEFAULTS.queued)),
          running: Math.floor(nonNegative(merged.runningPolls, POLL_DEFAULTS.running)),
          incomplete: Math.floor(nonNegative(merged.incompletePolls, POLL_DEFAULTS.incomplete)),
        };
  const phases: Phase[] = [
    { status: 'pending', length: lengths.pending },
    { status: 'queued', length: lengths.queued },
    { status: 'running', length: lengths.running },
  ];
  const failedAttempts = Math.floor(nonNegative(merged.failedAttempts, 0));
  for (let i = 0; i < failedAttempts; i += 1) {
    phases.push(
      { status: 'incomplete', length: lengths.incomplete },
      { status: 'running', length: lengths.running },
    );
  }
  return {
    clock,
    phases: phases.filter((p) => p.length > 0),
    outcome: merged.outcomes?.[index] ?? merged.outcome ?? 'succeeded',
    rowsSynced: merged.rowsSynced === undefined ? SYNC_STATS.rowsSynced : merged.rowsSynced,
    bytesSynced: merged.bytesSynced === undefined ? SYNC_STATS.bytesSynced : merged.bytesSynced,
  };
}

/** Total length of the non-terminal phases. */
export function planLength(plan: JobPlan): number {
  return plan.phases.reduce((sum, p) => sum + p.length, 0);
}

/** Status at `position` (elapsed ms or reads so far) and where the current phase began. */
export function phaseAt(plan: JobPlan, position: number): { status: JobStatus; phaseStart: number } {
  let start = 0;
  for (const phase of plan.phases) {
    if (position < start + phase.length) return { status: phase.status, phaseStart: start };
    start += phase.length;
  }
  return { status: plan.outcome, phaseStart: start };
}
