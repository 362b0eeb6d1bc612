/** A refused worker start, in a module of its own: the process entry points load it at once. */
import type { Diagnostic } from '../catalog/diagnostic.js';

/** Worker start refused: the problems, each on its own line. */
export class WorkerSetupError extends Error {
  constructor(
    readonly problems: string[],
    readonly diagnostics: Diagnostic[] = [],
  ) {
    super(`the worker cannot start:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'WorkerSetupError';
  }
}
