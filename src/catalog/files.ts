/**
 * Reading referenced files: turning a `url` written in a document (relative path, absolute path,
 * `file:` URL, http(s) URL) into a local path or a remote URL. Remote URLs are fetched only under
 * the configured allow-list (remote.ts); inside a remote document, relative references resolve
 * against its URL and may not reach local files.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RemoteSettings } from './remote.js';
import { fetchRemote, isRemote } from './remote.js';

/** Where a reference points: a local file, a remote URL, or nowhere usable. */
export type ResolvedLocation =
  { kind: 'file'; path: string } | { kind: 'remote'; url: string } | { kind: 'invalid'; reason: string };

/**
 * Resolves `reference` relative to `fromFile` (a path or an http(s) URL; the working directory when
 * absent). The fragment, if any, is dropped.
 */
export function resolveLocation(reference: string, fromFile?: string): ResolvedLocation {
  try {
    if (fromFile !== undefined && isRemote(fromFile)) {
      const url = new URL(reference, fromFile);
      url.hash = '';
      return isRemote(url.href)
        ? { kind: 'remote', url: url.href }
        : {
            kind: 'invalid',
            reason: `"${reference}" in a remote document does not resolve to an http(s) URL`,
          };
    }
    if (isRemote(reference)) {
      const url = new URL(reference);
      url.hash = '';
      return { kind: 'remote', url: url.href };
    }
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

/** Reads a local file or fetches an http(s) URL (under `remote`), returning the reason instead of throwing. */
export async function readDocument(
  location: string,
  remote: RemoteSettings | undefined,
): Promise<{ bytes: Uint8Array; url?: string } | { error: string; remote?: true }> {
  if (!isRemote(location)) return readBytes(location);
  const fetched = await fetchRemote(location, remote);
  // `url` is the retrieval URL after redirects: the base for the document's relative references (RFC 3986 5.1.3).
  return fetched.ok
    ? { bytes: fetched.bytes, url: fetched.url }
    : { error: `${location}: ${fetched.reason}`, remote: true };
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
