/**
 * `$ref` resolution inside an OpenAPI description: local (`#/components/...`) and relative-file
 * (`schemas.yml#/Job`) references, over files loaded up front, with cycle protection.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { decodePercentLenient } from '../../arazzo/http-text.js';
import { parsePointer } from '../../arazzo/json-pointer.js';
import type { PathSegments } from '../json-path.js';
import type { ParsedSource } from '../parsed-source.js';

/** A value inside one of the loaded files, with where it is (for diagnostics and further refs). */
export interface Located {
  value: unknown;
  file: string;
  segments: PathSegments;
}

/**
 * The files of one OpenAPI description, by absolute path or (remote) http(s) URL; the root file
 * is `root`. Only the files that the workflows' `$ref`s reach are loaded.
 */
export interface RefFiles {
  root: string;
  files: ReadonlyMap<string, ParsedSource>;
  /** Files that were needed but could not be read or parsed, with the reason. */
  failed?: ReadonlyMap<string, string>;
  /** Remote files known by their retrieval URL: requested URL → retrieval URL. */
  aliases?: ReadonlyMap<string, string>;
}

/** Chains of `$ref` longer than this are treated as cycles. */
const MAX_REF_HOPS = 64;

/** Splits a `$ref` into its file part (maybe empty) and its fragment pointer. */
export function splitRef(ref: string): { file: string; pointer: string } {
  const hash = ref.indexOf('#');
  return hash < 0
    ? { file: ref, pointer: '' }
    : { file: ref.slice(0, hash), pointer: decodePercentLenient(ref.slice(hash + 1)) };
}

/**
 * Resolves a file part of a `$ref` relative to the referring file: an absolute path, or an
 * http(s) URL when the ref or the referring file is remote (RFC 3986 resolution against the
 * referring document, OpenAPI "Relative References in API Description URIs").
 *
 * @throws TypeError for a ref that is not a valid URI reference
 */
export function refTargetFile(filePart: string, fromFile: string): string {
  if (filePart === '') return fromFile;
  if (/^https?:\/\//i.test(fromFile) || /^https?:\/\//i.test(filePart)) {
    const url = new URL(filePart, fromFile);
    url.hash = '';
    // A remote description may only refer to remote files, never to this machine's (file:, ...).
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new TypeError(`not an http(s) URL: ${url.href}`);
    return url.href;
  }
  return fileURLToPath(new URL(filePart, pathToFileURL(fromFile)));
}

/** Reads a JSON Pointer inside a parsed value; undefined when it does not exist. */
export function readPointer(
  root: unknown,
  pointer: string,
): { value: unknown; segments: Array<string | number> } | undefined {
  let tokens: string[];
  try {
    tokens = parsePointer(pointer);
  } catch {
    return undefined;
  }
  let node = root;
  const segments: Array<string | number> = [];
  for (const token of tokens) {
    if (Array.isArray(node) && /^(0|[1-9]\d*)$/.test(token)) {
      node = node[Number(token)];
      segments.push(Number(token));
    } else if (
      typeof node === 'object' &&
      node !== null &&
      !Array.isArray(node) &&
      Object.hasOwn(node, token)
    ) {
      node = (node as Record<string, unknown>)[token];
      segments.push(token);
    } else {
      return undefined;
    }
    if (node === undefined) return undefined;
  }
  return { value: node, segments };
}

/** The outcome of following `$ref`s: the target, or why it cannot be reached. */
export type Deref = { ok: true; target: Located } | { ok: false; reason: string; at: Located };

/**
 * Follows `$ref` until a value without one. Cycles (a ref chain coming back to itself) and very
 * long chains are reported, never looped on.
 */
export function deref(files: RefFiles, start: Located): Deref {
  let current = start;
  const visited = new Set<string>();
  for (let hop = 0; hop <= MAX_REF_HOPS; hop++) {
    const ref = refOf(current.value);
    if (ref === undefined) return { ok: true, target: current };
    const { file, pointer } = splitRef(ref);
    let targetFile: string;
    try {
      targetFile = refTargetFile(file, current.file);
      targetFile = files.aliases?.get(targetFile) ?? targetFile;
    } catch {
      return { ok: false, reason: `$ref "${ref}" is not a usable URI reference`, at: current };
    }
    const key = `${targetFile}#${pointer}`;
    if (visited.has(key)) return { ok: false, reason: `$ref cycle through "${ref}"`, at: current };
    visited.add(key);
    const parsed = files.files.get(targetFile);
    if (!parsed) {
      const why = files.failed?.get(targetFile);
      return { ok: false, reason: `$ref "${ref}": ${why ?? 'file not loaded'}`, at: current };
    }
    const found = readPointer(parsed.value, pointer);
    if (!found) return { ok: false, reason: `$ref "${ref}" does not resolve`, at: current };
    current = { value: found.value, file: targetFile, segments: found.segments };
  }
  return { ok: false, reason: `$ref chain longer than ${MAX_REF_HOPS}`, at: current };
}

/** The `$ref` string of an object, if it has one. */
export function refOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const ref = (value as Record<string, unknown>).$ref;
  return typeof ref === 'string' ? ref : undefined;
}

/** A property of a located object (not dereferenced), or undefined when absent. */
export function child(parent: Located, key: string | number): Located | undefined {
  const value = parent.value;
  if (typeof value !== 'object' || value === null) return undefined;
  const next = (value as Record<string | number, unknown>)[key];
  if (next === undefined) return undefined;
  return { value: next, file: parent.file, segments: [...parent.segments, key] };
}

/** Dereferences, returning undefined for unresolvable refs (callers that report use {@link deref}). */
export function derefValue(files: RefFiles, located: Located | undefined): Located | undefined {
  if (!located) return undefined;
  const result = deref(files, located);
  return result.ok ? result.target : undefined;
}

/** True for a plain (non-array) object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
