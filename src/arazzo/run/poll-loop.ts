/**
 * Polling inside one heartbeating activity (`pollIn: 'activity'`, Temporal's pattern for frequent
 * polling): the messages between the workflow and that activity, and the pure rule that says
 * whether the loop goes on. The activity judges each response with the same state machine the
 * workflow runs (`afterCall`); it returns the response that ends the loop (or the last one when
 * its window elapses), and the workflow feeds that response to `afterCall` itself, as for any call.
 */
import { afterCall, type Move, type RunState, type StepResponse, type Transition } from '../machine/index.js';
import type { ExecutionPlan } from '../plan.js';

/** Input of the polling activity (recorded in history once per window). */
export interface PollLoopInput {
  plan: ExecutionPlan;
  /** The run's state with the poll step in flight (the state that came with `call`). */
  state: RunState;
  /** The poll move: its request is sent after its delay (the poll schedule applies). */
  call: Extract<Move, { type: 'call' }>;
  /** When the run started (epoch ms): the age the poll schedule grows with. */
  startedAtMs: number;
  /** Return after this long even if the loop goes on, with the last response seen. */
  windowSeconds: number;
}

/** What the polling activity returns. */
export interface PollLoopResult {
  /** The response that ends the loop, or the last one seen when the window elapsed; none when the window ended before the first poll. */
  response?: StepResponse;
  /** Requests sent by this activity, across its attempts. */
  polls: number;
  /** `loop-ends`: the machine would leave the poll loop after `response`; `window`: it would poll again. */
  ended: 'loop-ends' | 'window';
}

/**
 * After `response` to the step in flight: the next transition when the machine would poll that
 * same step again (a `goto` back to it), undefined when the loop ends (success, failure, another
 * step, a retry action).
 */
export function nextPoll(
  plan: ExecutionPlan,
  state: RunState,
  response: StepResponse,
  nowMs: number,
): (Transition & { move: Extract<Move, { type: 'call' }> }) | undefined {
  const stepId = state.current?.stepId;
  const transition = afterCall(plan, state, response, nowMs);
  const { move } = transition;
  return move.type === 'call' && move.reason === 'poll' && move.stepId === stepId
    ? { ...transition, move }
    : undefined;
}
