/**
 * History accounting: events by type, and Temporal Cloud billable actions counted from the history
 * with the rule of https://docs.temporal.io/cloud/actions (read for this benchmark):
 *  - Workflow started: 1 per run (client start, continue-as-new, child start).
 *  - Activity started or retried: 1 per attempt. History keeps only the last attempt of an activity,
 *    so attempts are read from ActivityTaskStarted.attempt (retries are otherwise invisible).
 *  - Local activities: "all Local Activities associated with one Workflow Task count as a single
 *    Action" (all RecordMarker commands of a workflow task are one action; a workflow task heartbeat
 *    counts again): 1 per WorkflowTaskCompleted that is followed by at least one MarkerRecorded.
 *  - Timer started: 1 each (a `condition` with a timeout is a timer).
 *  - Signal: 1 per WorkflowExecutionSignaled; search attribute upsert: 1 each.
 *  - Not counted: workflow tasks, memo upserts (WorkflowPropertiesModified, not on the list),
 *    queries, and activity heartbeats (billed when they reach the server, but not in history).
 */
import type { Client } from '@temporalio/client';

type HistoryEvent = Record<string, unknown> & { eventId?: unknown };

/** A history event's time, in epoch milliseconds. */
export function eventTimeMs(event: {
  eventTime?: { seconds?: unknown; nanos?: number | null } | null;
}): number {
  return Number(event.eventTime?.seconds ?? 0) * 1000 + Math.floor((event.eventTime?.nanos ?? 0) / 1e6);
}

/** The event type from whichever `…EventAttributes` field is set: `TimerStarted`, … */
export function eventTypeOf(event: HistoryEvent): string {
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith('EventAttributes') && value) {
      const name = key.slice(0, -'EventAttributes'.length);
      return name.charAt(0).toUpperCase() + name.slice(1);
    }
  }
  return 'Unknown';
}

export interface HistoryCount {
  events: number;
  byType: Record<string, number>;
  actions: number;
  actionsByKind: Record<string, number>;
  activityAttempts: number;
  /** bytes of the run's history as the server reports it (describe → historySizeBytes) */
  sizeBytes?: number;
  /** runId of the next run when this run continued as new */
  continuedAs?: string;
}

export function countHistory(events: HistoryEvent[]): HistoryCount {
  const byType: Record<string, number> = {};
  const actionsByKind: Record<string, number> = {
    workflowStarted: 0,
    activityAttempts: 0,
    localActivityTasks: 0,
    timersStarted: 0,
    signals: 0,
    searchAttributeUpserts: 0,
  };
  let pendingWftWithMarker = false;
  let continuedAs: string | undefined;
  for (const event of events) {
    const type = eventTypeOf(event);
    byType[type] = (byType[type] ?? 0) + 1;
    switch (type) {
      case 'WorkflowExecutionStarted':
        actionsByKind.workflowStarted! += 1;
        break;
      case 'ActivityTaskStarted': {
        const attrs = event.activityTaskStartedEventAttributes as { attempt?: number } | undefined;
        actionsByKind.activityAttempts! += Math.max(1, Number(attrs?.attempt ?? 1));
        break;
      }
      case 'WorkflowTaskCompleted':
        pendingWftWithMarker = true;
        break;
      case 'MarkerRecorded':
        if (pendingWftWithMarker) {
          actionsByKind.localActivityTasks! += 1;
          pendingWftWithMarker = false;
        }
        break;
      case 'TimerStarted':
        actionsByKind.timersStarted! += 1;
        break;
      case 'WorkflowExecutionSignaled':
        actionsByKind.signals! += 1;
        break;
      case 'UpsertWorkflowSearchAttributes':
        actionsByKind.searchAttributeUpserts! += 1;
        break;
      case 'WorkflowExecutionContinuedAsNew': {
        const attrs = event.workflowExecutionContinuedAsNewEventAttributes as
          { newExecutionRunId?: string } | undefined;
        continuedAs = attrs?.newExecutionRunId ?? undefined;
        break;
      }
      default:
        break;
    }
  }
  const actions = Object.values(actionsByKind).reduce((a, b) => a + b, 0);
  return {
    events: events.length,
    byType,
    actions,
    actionsByKind,
    activityAttempts: actionsByKind.activityAttempts!,
    ...(continuedAs ? { continuedAs } : {}),
  };
}

export async function fetchHistoryCount(
  client: Client,
  workflowId: string,
  runId?: string,
): Promise<HistoryCount> {
  const handle = client.workflow.getHandle(workflowId, runId);
  const history = await handle.fetchHistory();
  const count = countHistory((history.events ?? []) as unknown as HistoryEvent[]);
  const sizeBytes = await handle.describe().then(
    (d) => d.historySize,
    () => undefined,
  );
  return sizeBytes !== undefined ? { ...count, sizeBytes } : count;
}

/** Follows a continue-as-new chain from its first run: one count per run. */
export async function fetchChain(
  client: Client,
  workflowId: string,
  firstRunId: string,
  maxRuns = 1000,
): Promise<HistoryCount[]> {
  const runs: HistoryCount[] = [];
  let runId: string | undefined = firstRunId;
  while (runId && runs.length < maxRuns) {
    const count = await fetchHistoryCount(client, workflowId, runId);
    runs.push(count);
    runId = count.continuedAs;
  }
  return runs;
}

/** Sums counts (e.g. over the runs of a chain). */
export function addCounts(counts: HistoryCount[]): HistoryCount {
  const byType: Record<string, number> = {};
  const actionsByKind: Record<string, number> = {};
  for (const c of counts) {
    for (const [k, v] of Object.entries(c.byType)) byType[k] = (byType[k] ?? 0) + v;
    for (const [k, v] of Object.entries(c.actionsByKind)) actionsByKind[k] = (actionsByKind[k] ?? 0) + v;
  }
  return {
    events: counts.reduce((a, c) => a + c.events, 0),
    byType,
    actions: counts.reduce((a, c) => a + c.actions, 0),
    actionsByKind,
    activityAttempts: counts.reduce((a, c) => a + c.activityAttempts, 0),
    sizeBytes: counts.reduce((a, c) => a + (c.sizeBytes ?? 0), 0),
  };
}
