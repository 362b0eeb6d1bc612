/**
 * `npm run worker` (and the container's command): the worker alone, configured from the environment
 * (see README, Configuration). The worker itself is src/worker/; this file wires it to the process:
 * the message of a refusal on stderr and the exit code.
 */
import { runWorker } from './worker/run-worker.js';
import { WorkerSetupError } from './worker/setup-error.js';

// A refusal ends this process, so the worker may load its workflow code while the catalog is checked.
// The process is the worker's alone, so it also sets V8's heap growth (ARAZZO_HEAP_GROWING_PERCENT).
runWorker({ createWhileChecking: true, tuneHeap: true }).then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof WorkerSetupError) process.stderr.write(`${error.message}\n`);
    else process.stderr.write(`worker failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
