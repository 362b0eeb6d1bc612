/**
 * The error the request builder throws when a step's parameters cannot make a safe HTTP request.
 * Pure (no Node built-ins): the builder runs in workflow code, which turns this into a
 * non-retryable `ApplicationFailure`.
 */
import { ArazzoError } from './errors.js';

/** A request that cannot be built: a missing path parameter, a value that would alter the path, a header with CR/LF. */
export class ArazzoRequestError extends ArazzoError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('ARAZZO_REQUEST', message, details);
    this.name = 'ArazzoRequestError';
  }
}
