/**
 * When a long run starts a fresh history (continue-as-new) before its history grows too large.
 */

/** History events of one poll iteration with its own workflow task (local activity + timer). */
export const EVENTS_PER_LOCAL_CALL = 6;

/**
 * Whether to continue as new now. `historyLength` only moves at workflow-task boundaries, and
 * back-to-back local activities (poll interval 0) share one task, so the calls made in this run
 * bound the estimate too.
 */
export function shouldContinueAsNew(
  history: { historyLength: number; continueAsNewSuggested: boolean; callsThisRun: number },
  historyEventLimit: number,
): boolean {
  const estimate = Math.max(history.historyLength, history.callsThisRun * EVENTS_PER_LOCAL_CALL);
  return history.continueAsNewSuggested || estimate >= historyEventLimit;
}
