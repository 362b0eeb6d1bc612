/**
 * The poll schedule in a real run (dev server, simulator on its wall clock): with the age schedule
 * the run's poll timers grow with its age; with `constant` they stay at the interval.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(() => stack?.close());

/** The poll timers' durations of a finished run, in seconds. */
async function timerSeconds(schedule: unknown): Promise<number[]> {
  const { connectionId } = stack.simulator.addConnection({
    scenario: { clock: 'wall', pendingMs: 500, runningMs: 20_000 },
  });
  const handle = await stack.start('trigger-sync-and-poll', {
    connectionId,
    'x-temporal': { pollIntervalSeconds: 1, pollSchedule: schedule },
  });
  const result = await handle.result();
  assert.equal(result.finalStatus, 'succeeded');
  const events = (await handle.fetchHistory()).events ?? [];
  return events
    .map((e) => e.timerStartedEventAttributes?.startToFireTimeout)
    .filter((t) => t !== undefined && t !== null)
    .map((t) => Number(t.seconds ?? 0) + (t.nanos ?? 0) / 1e9);
}

describe('pollSchedule in a run', () => {
  it('age: the waits grow with the run’s age; constant: all at the interval', async () => {
    const [grown, constant] = await Promise.all([
      timerSeconds({ kind: 'age', fraction: 0.5 }),
      timerSeconds({ kind: 'constant' }),
    ]);
    assert.ok(constant.length >= 10, `constant: ${constant.join(', ')}`);
    assert.ok(
      constant.every((s) => s === 1),
      `constant: ${constant.join(', ')}`,
    );
    assert.ok(grown.length < constant.length, `age: ${grown.join(', ')}`);
    for (let i = 1; i < grown.length; i++) assert.ok(grown[i]! >= grown[i - 1]!, `age: ${grown.join(', ')}`);
    assert.ok(grown.at(-1)! >= 4, `age: ${grown.join(', ')}`);
  });
});
