/**
 * Run options: defaults, the one check of overrides from a document's `x-temporal` extension,
 * worker configuration or the reserved `x-temporal` field of a run's input, and their layering.
 */
import type { RunOptions } from './plan.js';
import { RUN_OPTIONS_EXTENSION } from './extensions.js';
import { Failure } from './failures.js';
import { DEFAULT_POLL_SCHEDULE, pollScheduleProblem } from './run/poll-schedule.js';

/** Defaults chosen to match what Airbyte users know from Airflow and Dagster (see README). */
export const DEFAULT_RUN_OPTIONS: RunOptions = {
  pollIntervalSeconds: 5,
  pollBackoff: 1,
  maxPollIntervalSeconds: 60,
  waitTimeoutSeconds: 0,
  executionTimeoutSeconds: 0,
  onConflict: 'attach',
  failOnStatuses: [],
  failErrorType: Failure.resourceFailed,
  maxSteps: 1_000_000,
  historyEventLimit: 5_000,
  callRetryWindowSeconds: 1_800,
  readActivity: 'local',
  cancelAdoptedJobs: false,
  createSettleSeconds: 0,
  pollSchedule: DEFAULT_POLL_SCHEDULE,
  pollIn: 'workflow',
};

type Check = (value: unknown) => string | undefined;

const nonNegative: Check = (v) =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? undefined : 'a number ≥ 0';
const positive: Check = (v) =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? undefined : 'a number > 0';
const atLeastOne: Check = (v) =>
  typeof v === 'number' && Number.isFinite(v) && v >= 1 ? undefined : 'a number ≥ 1';
const wholeAtLeast =
  (min: number): Check =>
  (v) =>
    Number.isInteger(v) && (v as number) >= min ? undefined : `a whole number ≥ ${min}`;
const stringList: Check = (v) =>
  Array.isArray(v) && v.every((s) => typeof s === 'string') ? undefined : 'a list of strings';
const identifier: Check = (v) =>
  typeof v === 'string' && /^[A-Za-z][\w.-]{0,99}$/.test(v) ? undefined : 'an identifier';

const CHECKS: { [K in keyof RunOptions]: Check } = {
  // 0 polls back to back: for tests and benchmarks; real APIs want seconds.
  pollIntervalSeconds: nonNegative,
  pollBackoff: atLeastOne,
  maxPollIntervalSeconds: positive,
  waitTimeoutSeconds: nonNegative,
  executionTimeoutSeconds: nonNegative,
  onConflict: (v) =>
    v === 'attach' || v === 'wait' || v === 'fail' ? undefined : "'attach', 'wait' or 'fail'",
  failOnStatuses: stringList,
  failErrorType: identifier,
  maxSteps: wholeAtLeast(1),
  historyEventLimit: wholeAtLeast(100),
  callRetryWindowSeconds: positive,
  readActivity: (v) => (v === 'local' || v === 'regular' ? undefined : "'local' or 'regular'"),
  cancelAdoptedJobs: (v) => (typeof v === 'boolean' ? undefined : 'true or false'),
  createSettleSeconds: nonNegative,
  pollSchedule: pollScheduleProblem,
  pollIn: (v) => (v === 'workflow' || v === 'activity' ? undefined : "'workflow' or 'activity'"),
};

/** Names of the options, for help texts and error messages. */
export const RUN_OPTION_NAMES = Object.keys(CHECKS) as Array<keyof RunOptions>;

/** The extension name (on documents, workflows and steps) and the reserved input key. */
export const RUN_OPTIONS_KEY = RUN_OPTIONS_EXTENSION;

/** A problem with one run option, with the key it concerns (undefined: the whole value). */
export interface RunOptionProblem {
  key?: string;
  message: string;
}

/**
 * Checks a partial set of run options (messages name the key as `x-temporal.<option>`). Unknown keys and bad values
 * are problems, never silently ignored: a typo in a timeout must not mean "no timeout". With any
 * problem, `options` is empty: a bad value is refused whole rather than half-applied.
 */
export function checkRunOptions(value: unknown): {
  options: Partial<RunOptions>;
  problems: RunOptionProblem[];
} {
  if (value === undefined || value === null) return { options: {}, problems: [] };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { options: {}, problems: [{ message: `${RUN_OPTIONS_KEY}: must be an object of run options` }] };
  }
  const problems: RunOptionProblem[] = [];
  for (const [key, option] of Object.entries(value)) {
    const check = (CHECKS as Record<string, Check | undefined>)[key];
    if (!check) {
      problems.push({
        key,
        message: `${RUN_OPTIONS_KEY}.${key}: unknown run option (known: ${RUN_OPTION_NAMES.join(', ')})`,
      });
      continue;
    }
    const problem = check(option);
    if (problem)
      problems.push({
        key,
        message: `${RUN_OPTIONS_KEY}.${key}: must be ${problem}, got ${JSON.stringify(option)}`,
      });
  }
  return problems.length > 0
    ? { options: {}, problems }
    : { options: { ...(value as Partial<RunOptions>) }, problems: [] };
}

/**
 * Layers run options over the defaults (later layers win). Layers are checked partials (from
 * `checkRunOptions`), so they are not checked again.
 */
export function layerRunOptions(...layers: Array<Partial<RunOptions> | undefined>): RunOptions {
  const options: RunOptions = {
    ...DEFAULT_RUN_OPTIONS,
    failOnStatuses: [...DEFAULT_RUN_OPTIONS.failOnStatuses],
  };
  for (const layer of layers) Object.assign(options, layer);
  return options;
}
