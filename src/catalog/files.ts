/**
 * Reading referenced files: turning a `url` written in a document (relative path, absolute path,
 * `file:` URL) into a local path. Remote URLs are never fetched: a catalog must not depend on the
 * network at worker start, so http(s) sources need an override.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Where a reference points: a local file, or a remote URL we refuse to fetch. */
export type ResolvedLocation =
  { kind: 'file'; path: string } | { kind: 'remote'; url: string } | { kind: 'invalid'; reason: string };

/** Resolves `reference` relative to the file `fromFile` (or to the working directory when absent). */
export function resolveLocation(reference: string, fromFile?: string): ResolvedLocation {
  if (/^https?:\/\//i.test(reference)) return { kind: 'remote', url: reference };
  try {
    if (/^file:/i.test(reference)) return { kind: 'file', path: fileURLToPath(reference) };
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(reference))
      return { kind: 'invalid', reason: `unsupported URL scheme in "${reference}"` };
    const base = fromFile === undefined ? pathToFileURL(resolve('.') + '/') : pathToFileURL(fromFile);
    // URL resolution, not path joining: a url may be percent-encoded ("my%20api.yml").
    return { kind: 'file', path: fileURLToPath(new URL(reference, base)) };
  } catch (error) {
    return { kind: 'invalid', reason: `cannot resolve "${reference}": ${(error as Error).message}` };
  }
}

/** Reads a file's bytes, returning the error message instead of throwing. */
export async function readBytes(path: string): Promise<{ bytes: Uint8Array } | { error: string }> {
  try {
    return { bytes: await readFile(path) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      error:
        code === 'ENOENT' ? `file not found: ${path}` : `cannot read ${path}: ${(error as Error).message}`,
    };
  }
}
