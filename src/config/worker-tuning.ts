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
  reuseV8Context?: boolean;
}

const TUNING_KEYS: Record<keyof WorkerTuning, 'count' | 'ratio' | 'boolean'> = {
  maxCachedWorkflows: 'count',
  maxConcurrentWorkflowTaskExecutions: 'count',
  maxConcurrentActivityTaskExecutions: 'count',
  maxConcurrentLocalActivityExecutions: 'count',
  maxConcurrentWorkflowTaskPolls: 'count',
  maxConcurrentActivityTaskPolls: 'count',
  nonStickyToStickyPollRatio: 'ratio',
  reuseV8Context: 'boolean',
};

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
    const kind = (TUNING_KEYS as Record<string, 'count' | 'ratio' | 'boolean' | undefined>)[key];
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
    } else if (kind === 'boolean' && typeof v !== 'boolean') {
      errors.push(`ARAZZO_WORKER_OPTIONS.${key}: must be true or false, got ${JSON.stringify(v)}`);
    } else tuning[key] = v;
  }
  return tuning as WorkerTuning;
}
