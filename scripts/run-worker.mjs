/**
 * `npm run worker`: the compiled worker (`node dist/src/worker.js`, with dist/workflow-bundle.js)
 * when `npm run build` is newer than every source file, as the Docker image runs it; otherwise
 * the TypeScript sources under tsx. Plain JavaScript, so the compiled path loads no TypeScript
 * tooling: it starts faster and spends less CPU per poll (docs/benchmarks.md, sections 1 and 5).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const built = [join(root, 'dist', 'src', 'worker.js'), join(root, 'dist', 'workflow-bundle.js')];

function buildIsFresh() {
  if (!built.every((file) => existsSync(file))) return false;
  const builtAt = Math.min(...built.map((file) => statSync(file).mtimeMs));
  const src = join(root, 'src');
  return readdirSync(src, { recursive: true })
    .filter((file) => file.endsWith('.ts'))
    .every((file) => statSync(join(src, file)).mtimeMs <= builtAt);
}

const fresh = buildIsFresh();
if (!fresh)
  process.stderr.write(
    'npm run worker: no build newer than src/ (npm run build); running the sources under tsx\n',
  );
const args = fresh ? [built[0]] : ['--import', 'tsx', join(root, 'src', 'worker.ts')];
const child = spawn(process.execPath, args, { stdio: 'inherit' });
// The worker stops gracefully on SIGINT/SIGTERM; this process only passes them on.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
