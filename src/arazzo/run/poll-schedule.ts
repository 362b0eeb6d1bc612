/**
 * The poll schedule: how long a run waits before it asks again whether a job has ended. Pure
 * (workflow code and the polling activity both call it), so the same rule holds in both designs.
 *
 * `constant`: the machine's delay as it is (`pollIntervalSeconds`, with `pollBackoff`).
 * `age`: the wait grows with the age of the run, so the delay before a job's end is noticed stays
 * below max(interval, fraction × age), capped at `maxPollIntervalSeconds`. A sync that runs for
 * an hour is then asked 87 times in that hour instead of 720, and 60 times in each later hour (see docs/benchmarks.md,
 * "The cost of waiting").
 */
import type { DelayedMove } from '../machine/index.js';
import type { RunOptions } from '../plan.js';

/** How the wait between polls is chosen (the run option `pollSchedule`). */
export type PollSchedule = { kind: 'constant' } | { kind: 'age'; fraction: number };

/** The default: a poll within 10 % of the run's age (at least the poll interval, at most the cap). */
export const DEFAULT_POLL_SCHEDULE: PollSchedule = { kind: 'age', fraction: 0.1 };

/**
 * The wait before a poll, in seconds.
 *
 * @param schedule the run's schedule; undefined (plans recorded before the option) is `constant`
 * @param delaySeconds the machine's delay for this poll (interval and backoff): the floor
 * @param ageSeconds how long the run has been running when the wait starts
 * @param maxSeconds the cap (`maxPollIntervalSeconds`); a longer machine delay is kept as it is
 */
export function scheduledPollSeconds(
  schedule: PollSchedule | undefined,
  delaySeconds: number,
  ageSeconds: number,
  maxSeconds: number,
): number {
  // 0 means back to back (tests, benchmarks): no schedule applies.
  if (schedule === undefined || schedule.kind === 'constant' || delaySeconds <= 0) return delaySeconds;
  const grown = Math.min(maxSeconds, schedule.fraction * Math.max(0, ageSeconds));
  // Whole seconds: the server fires timers on whole seconds anyway, and the UI shows round waits.
  return Math.max(delaySeconds, Math.floor(grown));
}

/**
 * The move as the driver waits for it: a poll's delay stretched by the run's schedule (`ageSeconds`:
 * how long the run has been running); any other move as it is.
 */
export function scheduledMove<M extends DelayedMove>(
  move: M,
  options: Pick<RunOptions, 'pollSchedule' | 'maxPollIntervalSeconds'>,
  ageSeconds: number,
): M {
  if (move.type !== 'call' || move.reason !== 'poll') return move;
  const { pollSchedule, maxPollIntervalSeconds } = options;
  const seconds = scheduledPollSeconds(pollSchedule, move.delaySeconds, ageSeconds, maxPollIntervalSeconds);
  return seconds === move.delaySeconds ? move : { ...move, delaySeconds: seconds };
}

/** Checks a `pollSchedule` run option; the problem in words, or undefined when it is valid. */
export function pollScheduleProblem(value: unknown): string | undefined {
  const expected = "{ kind: 'constant' } or { kind: 'age', fraction: a number in (0, 1] }";
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return expected;
  const record = value as Record<string, unknown>;
  if (record['kind'] === 'constant') return Object.keys(record).length === 1 ? undefined : expected;
  if (record['kind'] !== 'age') return expected;
  const fraction = record['fraction'];
  const extra = Object.keys(record).filter((k) => k !== 'kind' && k !== 'fraction');
  return typeof fraction === 'number' &&
    Number.isFinite(fraction) &&
    fraction > 0 &&
    fraction <= 1 &&
    extra.length === 0
    ? undefined
    : expected;
}

/**
 * The polls a schedule makes while a job runs from `fromSeconds` to `toSeconds` of the run's age
 * (the first poll at `fromSeconds`), for the cost figures: each poll costs the design's events and
 * actions.
 */
export function pollsBetween(
  schedule: PollSchedule,
  intervalSeconds: number,
  maxSeconds: number,
  fromSeconds: number,
  toSeconds: number,
): number {
  let polls = 0;
  for (let t = fromSeconds; t < toSeconds; polls++) {
    t += Math.max(1, scheduledPollSeconds(schedule, intervalSeconds, t, maxSeconds));
  }
  return polls;
}
