/** Where the project is on disk, for the defaults that name its own files. */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root folder (two levels above this file in src/ and in dist/src/). */
export const projectRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..').replace(
  /[/\\]dist$/,
  '',
);
