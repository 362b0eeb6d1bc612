/**
 * A request as one line of text, for the Web UI's current details and for logs.
 */
import type { HttpRequestSpec } from './serialize.js';

/** The request of a move, resolved for display (the run's details and tests). */
export function describeRequest(request: HttpRequestSpec): string {
  const query = request.query.map(([k, v]) => `${k}=${v}`).join('&');
  return `${request.method} ${request.path}${query ? `?${query}` : ''}`;
}
