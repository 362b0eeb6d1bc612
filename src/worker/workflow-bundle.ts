/**
 * The workflow bundle as this project ships it: the SDK's bundle (inline source map included, for
 * readable stack traces), with the stack depth of workflow code limited.
 *
 * Why the limit: the SDK's promise hook (@temporalio/worker lib/workflow/vm-shared.js) captures an
 * Error stack for every promise workflow code creates (26 per poll iteration) and maps each frame
 * through the source map. V8 captures 10 frames by default; 4 still show where a run waits
 * (sleep ← condition ← runArazzoWorkflow) and cut the workflow side's CPU per poll iteration by
 * about a fifth (docs/benchmarks.md, `activations` scenario).
 */
import { bundleWorkflowCode, type BundleOptions } from '@temporalio/worker';

/** Stack frames V8 captures for an Error (or a promise's creation site) in workflow code. */
export const WORKFLOW_STACK_FRAMES = 4;

/**
 * Modules evaluated once per worker thread and shared by every workflow in it, instead of once per
 * workflow. In the SDK's reusable V8 context (@temporalio/worker lib/workflow/reusable-vm.js) each
 * workflow gets its own module cache, so without this every run, and every replay after a cache
 * eviction, re-runs the module code of the XPath and JSONPath engines and of the Arazzo core.
 *
 * Safe to share because none of them keeps per-run state: the Arazzo core is pure functions and
 * constant tables (its folder may import nothing from Temporal; an ESLint wall enforces it), and
 * the engines only keep caches of compiled expressions, whose answers do not depend on which run
 * filled them. The SDK deep-freezes what they export.
 */
export const SHARED_WORKFLOW_MODULES = [
  'fontoxpath',
  '@xmldom/xmldom',
  'jsonpath-plus',
  '../arazzo/machine/index.js',
  '../arazzo/run/index.js',
  '../arazzo/criteria/index.js',
  '../arazzo/expressions/index.js',
  '../arazzo/request/index.js',
];

const INLINE_SOURCE_MAP = '\n//# sourceMappingURL=data:';

/** Where the bundle's inline source map starts; the SDK needs one, so a bundle without it is refused. */
function inlineSourceMapAt(code: string): number {
  const at = code.lastIndexOf(INLINE_SOURCE_MAP);
  if (at < 0) throw new Error('the workflow bundle has no inline source map');
  return at;
}

/**
 * Sets `Error.stackTraceLimit` in the workflow context, at the end of the bundle's code: before
 * its inline source map, which the SDK requires to stay last, and after every mapped line.
 */
export function limitWorkflowStacks(code: string, frames = WORKFLOW_STACK_FRAMES): string {
  const at = inlineSourceMapAt(code);
  return `${code.slice(0, at)}\n;Error.stackTraceLimit = ${frames};${code.slice(at)}`;
}

/**
 * Leaves the original sources out of the bundle's inline source map (`sourcesContent`, 1.7 of its
 * 2.4 MB). Stack traces still name the source file, line and column, from the mappings; the SDK
 * reads the sources only to show them in an enhanced stack trace (`showStackTraceSources`), which
 * this worker does not turn on. A smaller map is less for a worker to decode, parse and copy to
 * its workflow thread at every start (docs/benchmarks.md §14).
 */
export function dropSourcesFromMap(code: string): string {
  const base64 = code.indexOf('base64,', inlineSourceMapAt(code));
  const map = JSON.parse(
    Buffer.from(code.slice(base64 + 'base64,'.length).trimEnd(), 'base64').toString(),
  ) as {
    sourcesContent?: unknown;
  };
  delete map.sourcesContent;
  return `${code.slice(0, base64 + 'base64,'.length)}${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
}

/** Bundles the workflow code at `workflowsPath` with the stack limit applied and a lean source map. */
export async function bundleWorkflows(
  options: Pick<BundleOptions, 'workflowsPath' | 'logger'>,
): Promise<{ code: string }> {
  const { code } = await bundleWorkflowCode({ ...options, preloadModules: SHARED_WORKFLOW_MODULES });
  return { code: dropSourcesFromMap(limitWorkflowStacks(code)) };
}
