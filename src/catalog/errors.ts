/**
 * Errors thrown at the edge when a plan cannot be built. Validation itself never throws; these are
 * for callers that asked for a plan from a document with errors, or for an unknown workflow.
 */
import type { Diagnostic } from './diagnostic.js';
import { formatDiagnostic } from './diagnostic.js';

/** A plan was requested that cannot be built; `diagnostics` says why. */
export class CatalogError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly diagnostics: Diagnostic[] = [],
  ) {
    const details = diagnostics
      .filter((d) => d.severity === 'error')
      .slice(0, 5)
      .map(formatDiagnostic);
    super(details.length > 0 ? `${message}\n${details.join('\n')}` : message);
    this.name = 'CatalogError';
  }
}
