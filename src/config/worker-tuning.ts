/** ARAZZO_WORKER_OPTIONS: the Temporal Worker options an operator may tune. */

/** The Temporal Worker options an operator may tune; see docs/benchmarks.md for what they change. */
export interface WorkerTuning {
  maxCachedWorkflows?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
  maxConcurrentActivityTaskExecutions?: number;
  maxConcurrentLocalActivityExecutions?: number;
  maxConcurrentWorkflowTaskPolls?: number;
  maxConcurrentActivityTaskPolls?: number;
  /** Share of the workflow-task pollers on the normal queue (new runs) against the sticky one (0 < r ≤ 1). */
  nonStickyToStickyPollRatio?: number;
  /**
   * How many workflow-task polls are open: `{"type": "autoscaling"}` lets the server's backlog
   * hints scale them (between `minimum` and `maximum`, starting at `initial`); `{"type":
   * "simple-maximum", "maximum": n}` is the SDK default's fixed maximum.
   */
  workflowTaskPollerBehavior?: PollerBehavior;
  activityTaskPollerBehavior?: PollerBehavior;
  reuseV8Context?: boolean;
}

/** The SDK's poller behaviours (@temporalio/worker `PollerBehavior`), as JSON. */
export type PollerBehavior =
  | { type: 'autoscaling'; minimum?: number; maximum?: number; initial?: number }
  | { type: 'simple-maximum'; maximum?: number };

type Kind = 'count' | 'ratio' | 'boolean' | 'poller';

const TUNING_KEYS: Record<keyof WorkerTuning, Kind> = {
  maxCachedWorkflows: 'count',
  maxConcurrentWorkflowTaskExecutions: 'count',
  maxConcurrentActivityTaskExecutions: 'count',
  maxConcurrentLocalActivityExecutions: 'count',
  maxConcurrentWorkflowTaskPolls: 'count',
  maxConcurrentActivityTaskPolls: 'count',
  nonStickyToStickyPollRatio: 'ratio',
  workflowTaskPollerBehavior: 'poller',
  activityTaskPollerBehavior: 'poller',
  reuseV8Context: 'boolean',
};

/** Why `v` is not a poller behaviour, or undefined when it is one. */
function pollerProblem(v: unknown): string | undefined {
  const shape = 'an object such as {"type": "autoscaling"} or {"type": "simple-maximum", "maximum": 10}';
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `must be ${shape}`;
  const { type, ...rest } = v as Record<string, unknown>;
  const allowed =
    type === 'autoscaling'
      ? ['minimum', 'maximum', 'initial']
      : type === 'simple-maximum'
        ? ['maximum']
        : undefined;
  if (!allowed) return `type must be "autoscaling" or "simple-maximum", got ${JSON.stringify(type)}`;
  for (const [key, n] of Object.entries(rest)) {
    if (!allowed.includes(key))
      return `${key}: unknown for type "${String(type)}" (known: ${allowed.join(', ')})`;
    if (!(Number.isInteger(n) && (n as number) >= 1))
      return `${key}: must be a whole number ≥ 1, got ${JSON.stringify(n)}`;
  }
  const { minimum = 1, maximum = 100, initial = 5 } = rest as Record<string, number>;
  if (type === 'autoscaling' && !(minimum <= initial && initial <= maximum))
    return `needs minimum ≤ initial ≤ maximum (defaults 1, 5, 100), got ${minimum}, ${initial}, ${maximum}`;
  return undefined;
}

/** Reads ARAZZO_WORKER_OPTIONS (JSON); problems go to `errors`, each naming the option. */
export function parseWorkerTuning(value: string | undefined, errors: string[]): WorkerTuning {
  if (!value) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    errors.push('ARAZZO_WORKER_OPTIONS: expected a JSON object such as {"maxCachedWorkflows": 2000}');
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    errors.push('ARAZZO_WORKER_OPTIONS: expected a JSON object');
    return {};
  }
  const tuning: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(parsed)) {
    const kind = (TUNING_KEYS as Record<string, Kind | undefined>)[key];
    const poller = kind === 'poller' ? pollerProblem(v) : undefined;
    if (!kind)
      errors.push(
        `ARAZZO_WORKER_OPTIONS.${key}: unknown option (known: ${Object.keys(TUNING_KEYS).join(', ')})`,
      );
    else if (kind === 'count' && !(Number.isInteger(v) && (v as number) >= 1)) {
      errors.push(`ARAZZO_WORKER_OPTIONS.${key}: must be a whole number ≥ 1, got ${JSON.stringify(v)}`);
    } else if (kind === 'ratio' && !(typeof v === 'number' && v > 0 && v <= 1)) {
      errors.push(
        `ARAZZO_WORKER_OPTIONS.${key}: must be a number above 0 and at most 1, got ${JSON.stringify(v)}`,
      );
    } else if (poller) {
      errors.push(`ARAZZO_WORKER_OPTIONS.${key}: ${poller}`);
    } else if (kind === 'boolean' && typeof v !== 'boolean') {
      errors.push(`ARAZZO_WORKER_OPTIONS.${key}: must be true or false, got ${JSON.stringify(v)}`);
    } else tuning[key] = v;
  }
  return tuning as WorkerTuning;
}
