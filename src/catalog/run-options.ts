/**
 * Run options at the edge: reading `x-temporal` (document, workflow, reserved input field)
 * into checked partial options, and layering them. The option set, defaults and value checks are
 * the core's (`src/arazzo/options.ts`); this module only adds per-key problems for diagnostics.
 */
import { RUN_OPTIONS_EXTENSION } from '../arazzo/extensions.js';
import { DEFAULT_RUN_OPTIONS, mergeRunOptions } from '../arazzo/options.js';
import type { RunOptions } from '../arazzo/plan.js';

/** The extension name (on documents and workflows) and the reserved input key. */
export const RUN_OPTIONS_KEY = RUN_OPTIONS_EXTENSION;

/** A problem with one run option, with the key it concerns (undefined: the whole value). */
export interface RunOptionProblem {
  key?: string;
  message: string;
}

/**
 * Reads a partial set of run options, checked by the core's rules. Unknown keys and wrong values
 * are problems, never silently ignored.
 */
export function parseRunOptions(value: unknown): {
  options: Partial<RunOptions>;
  problems: RunOptionProblem[];
} {
  const merged = mergeRunOptions(DEFAULT_RUN_OPTIONS, value, RUN_OPTIONS_KEY);
  if (merged.ok)
    return {
      options: value === undefined || value === null ? {} : { ...(value as Partial<RunOptions>) },
      problems: [],
    };
  const prefix = `${RUN_OPTIONS_KEY}.`;
  return {
    options: {},
    problems: merged.errors.map((message) => {
      const key = message.startsWith(prefix) ? message.slice(prefix.length).split(':')[0] : undefined;
      return key !== undefined ? { key, message } : { message };
    }),
  };
}

/** Layers checked partial options over the core defaults (later layers win). */
export function layerRunOptions(...layers: Array<Partial<RunOptions> | undefined>): RunOptions {
  let options: RunOptions = {
    ...DEFAULT_RUN_OPTIONS,
    failOnStatuses: [...DEFAULT_RUN_OPTIONS.failOnStatuses],
  };
  for (const layer of layers) {
    const merged = mergeRunOptions(options, layer, RUN_OPTIONS_KEY);
    // Layers come from parseRunOptions, so they are valid; a bad one is skipped rather than half-applied.
    if (merged.ok) options = merged.options;
  }
  return options;
}
