/**
 * The workflow's own arguments, as the core sees them: the run a continue-as-new carries into the
 * next one. Structural, so the core needs nothing from src/contract (which names it `CarriedRun`).
 */
import type { Move, RunState } from '../machine/index.js';
import type { ExecutionPlan } from '../plan.js';
import type { Blocking } from './conflict-wait.js';

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
