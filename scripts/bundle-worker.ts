/**
 * `npm run build` (last step): the compiled worker as one file. esbuild bundles dist/src/worker.js
 * with the project's code and its libraries (got, Ajv, yaml, the XPath and JSONPath engines) in
 * place, so `node dist/src/worker.js` reads one file instead of resolving and loading some 400
 * modules: 0.3 s of a 2-core machine's start-up (docs/benchmarks.md §14).
 *
 * The Temporal SDK stays outside: it finds its workflow thread's files and its native module by
 * path, and the workflow bundle (dist/workflow-bundle.js) is built on its own.
 */
import { build } from 'esbuild';
import { join } from 'node:path';
import { projectRoot } from '../src/config/project-root.js';

const entry = join(projectRoot, 'dist', 'src', 'worker.js');

const result = await build({
  entryPoints: [entry],
  outfile: entry,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['@temporalio/*'],
  // CommonJS libraries inside an ES module bundle still call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
  metafile: true,
});
const inputs = Object.keys(result.metafile.inputs).length;
const bytes =
  result.metafile.outputs[Object.keys(result.metafile.outputs).find((f) => f.endsWith('.js'))!]!.bytes;
process.stdout.write(`worker bundle: ${entry} (${inputs} modules, ${Math.round(bytes / 1024)} KiB)\n`);
