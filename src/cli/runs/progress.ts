/**
 * One line that says where a run is, from its `status` query: phase, current step and poll
 * count, the jobs and their statuses, elapsed time and the next poll.
 */
import type { RunStatus } from '../../contract/index.js';
import { formatDuration } from '../output.js';

export interface ProgressLine {
  /** The line without the parts that change every second: a new key is a change worth a line. */
  key: string;
  line: string;
}

/** The jobs (resources) of a run: `job 12: running (cancel sent)`. */
export function describeResources(status: Pick<RunStatus, 'resources'>): string {
  if (status.resources.length === 0) return 'no job yet';
  return status.resources
    .map((r) => `${r.kind} ${String(r.id)}: ${r.status ?? 'unknown'}${r.cancelSent ? ' (cancel sent)' : ''}`)
    .join(', ');
}

/** Describes the step being run: `step pollJob, poll 3`. */
function describeStep(status: RunStatus): string | undefined {
  if (!status.currentStep) return undefined;
  return status.iteration > 1
    ? `step ${status.currentStep}, poll ${status.iteration}`
    : `step ${status.currentStep}`;
}

/** The progress line at `nowMs`. */
export function describeProgress(status: RunStatus, nowMs: number): ProgressLine {
  const parts = [status.phase, describeStep(status), describeResources(status)].filter((p): p is string =>
    Boolean(p),
  );
  if (status.cancelRequested) parts.push(`cancel requested: ${status.cancelRequested}`);
  if (status.continuedAsNew > 0) parts.push(`continued as new ×${status.continuedAsNew}`);
  const key = parts.join(' · ');
  const elapsed = formatDuration(nowMs - Date.parse(status.startedAt));
  // Sub-second waits (tests, short polls) are not worth a countdown.
  const untilPoll = status.nextPollAt ? Date.parse(status.nextPollAt) - nowMs : 0;
  const nextPoll =
    status.phase === 'waiting' && untilPoll >= 1000
      ? ` (next poll in ${formatDuration(untilPoll + 999)})`
      : '';
  return { key, line: `[${elapsed}] ${key}${nextPoll}` };
}
