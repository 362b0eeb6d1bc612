/**
 * Following a run to its end: the result is awaited while the `status` query is asked about once
 * a second and drawn as one progress line (redrawn in place on a terminal, printed on each change
 * otherwise). Ctrl-C (the context's abort signal) stops following, never the run.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { JsonObject } from '../../arazzo/model.js';
import { statusQuery, type RunStatus } from '../../contract/index.js';
import { summariseFailure, type FailureSummary } from './failure.js';
import type { CliContext } from '../output.js';
import { formatDuration } from '../output.js';
import { describeProgress } from './progress.js';

export type FollowOutcome =
  | { kind: 'completed'; outputs: JsonObject }
  | { kind: 'failed'; failure: FailureSummary }
  | { kind: 'interrupted'; last?: RunStatus };

/** A query that got no answer this long is reported as waiting for a worker. */
const QUERY_PATIENCE_MS = 3000;

const wait = (ms: number) => new Promise<'tick'>((resolve) => setTimeout(() => resolve('tick'), ms));

/** Resolves when `signal` aborts; never when it is absent. */
function aborted(signal: AbortSignal | undefined): Promise<'interrupted'> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve('interrupted');
    else signal.addEventListener('abort', () => resolve('interrupted'), { once: true });
  });
}

/** Follows `handle` until the run ends or the user interrupts; progress goes to `ctx.err`. */
export async function followRun(
  handle: WorkflowHandle,
  ctx: CliContext,
  taskQueue: string,
): Promise<FollowOutcome> {
  const intervalMs = ctx.progressIntervalMs ?? 1000;
  const tty = ctx.err.isTTY === true;
  const startedMs = Date.now();
  const result: Promise<FollowOutcome> = handle.result().then(
    (outputs: JsonObject) => ({ kind: 'completed', outputs }),
    (error: unknown) => ({ kind: 'failed', failure: summariseFailure(error) }),
  );
  const ended = result.then(() => 'ended' as const);
  const interrupted = aborted(ctx.signal);

  let lastKey: string | undefined;
  let drawn = false;
  let last: RunStatus | undefined;
  const draw = (key: string, line: string) => {
    if (tty) {
      const width = ctx.err.columns ?? 120;
      ctx.err.write(`\r\x1b[2K${line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line}`);
      drawn = true;
    } else if (key !== lastKey) {
      ctx.err.write(`${line}\n`);
    }
    lastKey = key;
  };

  for (;;) {
    const query = handle.query(statusQuery);
    query.catch(() => undefined); // a late failure of an abandoned query is of no interest
    const answer = await Promise.race([
      query.then(
        (status) => ({ status }),
        (error: unknown) => ({ error }),
      ),
      wait(QUERY_PATIENCE_MS),
      ended,
      interrupted,
    ]);
    if (answer === 'ended' || answer === 'interrupted') break;
    if (answer !== 'tick' && 'status' in answer) {
      last = answer.status;
      const { key, line } = describeProgress(answer.status, Date.now());
      draw(key, line);
    } else {
      // No answer yet: the first workflow task has not run, or no worker polls the queue.
      const line = `[${formatDuration(Date.now() - startedMs)}] waiting for a worker on task queue ${taskQueue}`;
      draw('no worker', line);
    }
    const next = await Promise.race([wait(intervalMs), ended, interrupted]);
    if (next !== 'tick') break;
  }
  if (drawn) ctx.err.write('\n');
  const outcome = await Promise.race([result, interrupted]);
  if (outcome === 'interrupted') return { kind: 'interrupted', ...(last ? { last } : {}) };
  return outcome;
}
