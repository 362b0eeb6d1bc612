/**
 * Everything the driver changes while a run goes on, in one place: the plan, the machine's state
 * and next move, the phase the `status` query shows, the calls made in this run, a pending cancel
 * request, and an `onConflict: wait` in progress.
 */
import { log } from '@temporalio/workflow';
import type { DelayedMove, Move, RunState } from '../arazzo/machine/index.js';
import type { ExecutionPlan } from '../arazzo/plan.js';
import {
  resumeRun,
  runDeadlines,
  type Blocking,
  type CarriedRunData,
  type RunDeadlines,
  type RunStart,
  type RunStatus,
  type RunView,
} from '../arazzo/run/index.js';
import type { CancelRequest, CarriedRun } from '../contract/index.js';

export class RunRecord {
  plan!: ExecutionPlan;
  state!: RunState;
  move!: Move;
  startedAtMs = 0;
  continuedAsNew = 0;
  deadlines: RunDeadlines = {};
  phase: RunStatus['phase'] = 'starting';
  nextPollAtMs: number | undefined;
  /** When the receive wait in progress times out (for the `status` query). */
  messageTimeoutAtMs: number | undefined;
  /** Calls (and child runs) made in this run, for the history budget. */
  calls = 0;
  cancelRequested: { reason: string } | undefined;
  blocking: Blocking | undefined;
  /** Set by a cancel signal to end a durable wait early. */
  wake = false;
  private started = false;

  constructor(private readonly info: { workflowType: string; startTime: Date }) {}

  /** The `cancel` signal: the first reason wins; a wait in progress ends at once. */
  requestCancel(request: CancelRequest | undefined): void {
    if (this.cancelRequested) return;
    this.cancelRequested = { reason: request?.reason ?? 'cancelled by signal' };
    this.wake = true;
    log.info('cancel requested', { reason: this.cancelRequested.reason });
  }

  /** A fresh run, once its plan is resolved and the machine started. */
  begin(start: RunStart): void {
    ({ plan: this.plan, state: this.state, move: this.move, startedAtMs: this.startedAtMs } = start);
    this.continuedAsNew = start.continuedAsNew;
    this.blocking = start.blocking;
    this.deadlines = runDeadlines(this.plan.options, this.startedAtMs);
    this.started = true;
  }

  /** The run a continue-as-new carried; its cancel request (or none) replaces any signal seen so far. */
  resume(carried: CarriedRun): void {
    const resumed = resumeRun(carried);
    this.begin(resumed);
    this.cancelRequested = resumed.cancelRequested;
  }

  /** What continue-as-new carries into the next run. */
  carried(): CarriedRunData {
    const { plan, state, move, startedAtMs, continuedAsNew, blocking } = this;
    return { plan, state, move, startedAtMs, continuedAsNew, ...(blocking ? { blocking } : {}) };
  }

  /** The move in flight, a call or a workflow run (the driver has handled `end` and `fail`). */
  pendingMove(): DelayedMove {
    if (this.move.type === 'end' || this.move.type === 'fail')
      throw new Error(`no pending move: ${this.move.type}`);
    return this.move;
  }

  /** What the `status` query projects. */
  view(): RunView {
    const { phase, continuedAsNew, cancelRequested, nextPollAtMs, messageTimeoutAtMs, blocking } = this;
    return {
      workflowType: this.info.workflowType,
      startTimeMs: this.info.startTime.getTime(),
      phase,
      continuedAsNew,
      ...(cancelRequested ? { cancelRequested } : {}),
      ...(nextPollAtMs !== undefined ? { nextPollAtMs } : {}),
      ...(messageTimeoutAtMs !== undefined ? { messageTimeoutAtMs } : {}),
      ...(blocking ? { blocking } : {}),
      ...(this.started
        ? { run: { plan: this.plan, state: this.state, move: this.move, startedAtMs: this.startedAtMs } }
        : {}),
    };
  }
}
