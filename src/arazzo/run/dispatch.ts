/**
 * Which kind of activity runs a request.
 */
import type { RunOptions } from '../plan.js';
import type { HttpRequestSpec } from '../request/index.js';

/**
 * Safe reads (GET, HEAD) run as local activities when the run says so: the call is one marker in
 * the workflow task that also starts the next timer (6 history events per poll instead of 11).
 */
export function runsAsLocalActivity(
  request: Pick<HttpRequestSpec, 'method'>,
  options: Pick<RunOptions, 'readActivity'>,
): boolean {
  const safe = request.method === 'GET' || request.method === 'HEAD';
  return safe && options.readActivity === 'local';
}
