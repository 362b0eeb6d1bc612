/**
 * Builds Go programs from the Go module proxy with `go install` and keeps a copy of the result in
 * a machine-wide cache, so a fresh clone on the same machine (CI) reuses the build instead of
 * spending minutes on it again. Shared by the Temporal CLI finder and the production stack's
 * server build (src/prod-stack/server-tools.ts).
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';

/** Runs `go install <packages…>` with GOBIN set to `binDir` (no cgo: static binaries). */
export async function goInstall(go: string, packages: string[], binDir: string): Promise<void> {
  await mkdir(binDir, { recursive: true });
  await new Promise<void>((resolvePromise, reject) => {
    const child = spawn(go, ['install', ...packages], {
      env: { ...process.env, GOBIN: binDir, CGO_ENABLED: '0' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolvePromise()
        : reject(new Error(`go install ${packages.join(' ')} exited with ${code}`)),
    );
  });
}

/** Copies `from` to `to`, then renames, so a concurrent reader never sees half a file. */
export async function copyAtomically(from: string, to: string): Promise<void> {
  await mkdir(join(to, '..'), { recursive: true });
  const partial = `${to}.${process.pid}.partial`;
  await copyFile(from, partial);
  await rename(partial, to);
}
