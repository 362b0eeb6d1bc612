/** Where the project is on disk, for the defaults that name its own files. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The nearest folder above `file` with a package.json. Found by looking rather than by counting
 * folders, because the compiled worker runs as one bundled file (dist/src/worker.js), whose place
 * differs from each source file's.
 */
export function projectRootOf(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${file}`);
  }
}

/** The project's root folder: the one with its package.json, above src/ and dist/src/. */
export const projectRoot = projectRootOf(fileURLToPath(import.meta.url));
