/**
 * The workflow's own second argument, as the core sees it: the run a continue-as-new carries into
 * the next one, or a parent's plan. Structural, so the core needs nothing from src/contract
 * (which names these `CarriedRun` and `ChildRun`).
 */
import { Failure } from '../failures.js';
import type { Move, RunState } from '../machine/index.js';
import type { ExecutionPlan } from '../plan.js';
import type { Blocking } from './conflict-wait.js';
import type { RunFailure } from './ending.js';

/** What continue-as-new carries into the next run (recorded in history: the shape must stay readable). */
export interface CarriedRunData {
  plan: ExecutionPlan;
  state: RunState;
  move: Move;
  startedAtMs: number;
  continuedAsNew: number;
  /** Set while `onConflict: wait` waits for another resource to end. */
  blocking?: Blocking;
}

/** A run under way: what the driver holds once the plan is known, fresh or carried over (the same shape). */
export type RunStart = CarriedRunData;

/**
 * The second argument is this code's own (continue-as-new, a parent's plan): a client that passes
 * one must not skip the catalog, so it is honoured only where Temporal vouches for it.
 */
export function reservedArgumentProblem(
  kind: 'carried' | 'plan' | undefined,
  context: { continuedAsNew: boolean; startedByParent: boolean },
): RunFailure | undefined {
  if (kind === 'carried' && !context.continuedAsNew) {
    return {
      message: 'the second workflow argument is reserved for continue-as-new',
      type: Failure.invalidInput,
    };
  }
  if (kind === 'plan' && !context.startedByParent) {
    return {
      message: 'the second workflow argument is reserved for sub-workflows started by a parent run',
      type: Failure.invalidInput,
    };
  }
  return undefined;
}

/** The run a continue-as-new carried: one more continuation, the cancel request still pending. */
export function resumeRun(carried: CarriedRunData): RunStart & { cancelRequested?: { reason: string } } {
  const { plan, state, move, startedAtMs, blocking } = carried;
  return {
    plan,
    state,
    move,
    startedAtMs,
    continuedAsNew: carried.continuedAsNew + 1,
    ...(blocking ? { blocking } : {}),
    ...(state.cancelRequested ? { cancelRequested: state.cancelRequested } : {}),
  };
}

/** A child run's workflow id: unique per parent, child workflow and step count. */
export function childWorkflowId(
  parentWorkflowId: string,
  childWorkflowId: string,
  stepsExecuted: number,
): string {
  return `${parentWorkflowId}/${childWorkflowId}/${stepsExecuted}`;
}
