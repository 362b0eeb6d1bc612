/**
 * `npm run build` (last step): the compiled worker as one file. esbuild bundles dist/src/worker.js
 * with the project's code and its libraries (got, Ajv, yaml, the XPath and JSONPath engines) in
 * place, so `node dist/src/worker.js` reads one file instead of resolving and loading some 400
 * modules: 0.3 s of a 2-core machine's start-up (docs/benchmarks.md §14).
 *
 * The Temporal SDK stays outside: it finds its workflow thread's files and its native module by
 * path, and the workflow bundle (dist/workflow-bundle.js) is built on its own.
 */
import { build, type Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/config/project-root.js';

const entry = join(projectRoot, 'dist', 'src', 'worker.js');

/**
 * The SDK's packages, outside the bundle, are loaded with `require()`: an ES module `import` of a
 * CommonJS package makes Node scan its source, and every module it re-exports, for export names
 * (0.1 s at start-up for @temporalio/worker, client and common). esbuild reads the names off the
 * required object where they are used.
 */
const sdkByRequire: Plugin = {
  name: 'sdk-by-require',
  setup(build) {
    build.onResolve({ filter: /^@temporalio\// }, (args) =>
      args.namespace === 'sdk-by-require'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'sdk-by-require' },
    );
    build.onLoad({ filter: /.*/, namespace: 'sdk-by-require' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

const BANNER =
  "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);";
// The bundle replaces tsc's output in place, so it is made from a fresh `tsc` run only.
if (readFileSync(entry, 'utf8').startsWith(BANNER))
  throw new Error(`${entry} is a bundle already: run \`npm run build\`, which compiles it again first`);

const result = await build({
  entryPoints: [entry],
  outfile: entry,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  plugins: [sdkByRequire],
  // CommonJS libraries inside an ES module bundle still call require() for Node's own modules.
  banner: { js: BANNER },
  logLevel: 'warning',
  metafile: true,
});
const inputs = Object.keys(result.metafile.inputs).length;
const bytes =
  result.metafile.outputs[Object.keys(result.metafile.outputs).find((f) => f.endsWith('.js'))!]!.bytes;
process.stdout.write(`worker bundle: ${entry} (${inputs} modules, ${Math.round(bytes / 1024)} KiB)\n`);
