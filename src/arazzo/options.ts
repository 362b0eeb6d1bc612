/**
 * Run options: defaults, and the checked merge of overrides from a document's `x-temporal`
 * extension, worker configuration, or the reserved `x-temporal` field of a run's input.
 */
import type { RunOptions } from './plan.js';
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

/**
 * Merges `override` over `base`. Unknown keys and bad values are errors (named with `where`), never
 * silently ignored: a typo in a timeout must not mean "no timeout".
 */
export function mergeRunOptions(
  base: RunOptions,
  override: unknown,
  where: string,
): { ok: true; options: RunOptions } | { ok: false; errors: string[] } {
  if (override === undefined || override === null) return { ok: true, options: base };
  if (typeof override !== 'object' || Array.isArray(override)) {
    return { ok: false, errors: [`${where}: must be an object of run options`] };
  }
  const errors: string[] = [];
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const check = (CHECKS as Record<string, Check | undefined>)[key];
    if (!check) {
      errors.push(`${where}.${key}: unknown run option (known: ${RUN_OPTION_NAMES.join(', ')})`);
      continue;
    }
    const problem = check(value);
    if (problem) errors.push(`${where}.${key}: must be ${problem}, got ${JSON.stringify(value)}`);
    else merged[key] = value;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, options: merged as unknown as RunOptions };
}
