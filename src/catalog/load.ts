/**
 * Loading an Arazzo document and the source descriptions it names. Never throws: every problem
 * (unreadable file, syntax, a source that cannot be loaded) becomes a diagnostic.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { ArazzoDocument } from '../arazzo/model.js';
import type { Diagnostic } from './diagnostic.js';
import { readBytes, resolveLocation } from './files.js';
import { isRecord } from './openapi-refs.js';
import { loadOpenApi } from './openapi-source.js';
import type { OpenApiDescription } from './openapi-source.js';
import { parseSource } from './parsed-source.js';
import type { ParsedSource } from './parsed-source.js';

/** Options for {@link loadArazzoDocument}. */
export interface LoadOptions {
  /**
   * Replace a source description's `url` by name (a path, relative to the working directory, or a
   * `file:` URL). Needed for http(s) sources, which are never fetched.
   */
  sourceOverrides?: Record<string, string>;
}

/** A source description after loading. */
export type LoadedSource =
  | { kind: 'openapi'; name: string; url: string; file: string; api: OpenApiDescription }
  | { kind: 'arazzo'; name: string; url: string; file: string; document: LoadedArazzoDocument }
  /** Could not be loaded; the reason is among the diagnostics. */
  | { kind: 'unavailable'; name: string; url: string };

/** An Arazzo document with everything validation and plan building need. */
export interface LoadedArazzoDocument {
  /** Absolute path. */
  file: string;
  /** sha256 (hex) of the file's bytes. */
  hash: string;
  source: ParsedSource;
  /** The parsed root when it is an object; not yet validated against the schema. */
  document?: ArazzoDocument;
  /** Source descriptions by name (first one wins on duplicate names; validation reports those). */
  sources: Map<string, LoadedSource>;
  /** Problems found while loading (reading, parsing, loading sources). */
  diagnostics: Diagnostic[];
}

/** Loads an Arazzo document (YAML or JSON) and, recursively, its source descriptions. */
export async function loadArazzoDocument(
  file: string,
  options: LoadOptions = {},
): Promise<LoadedArazzoDocument> {
  return load(resolve(file), options, new Map());
}

async function load(
  file: string,
  options: LoadOptions,
  loading: Map<string, Promise<LoadedArazzoDocument>>,
): Promise<LoadedArazzoDocument> {
  // Arazzo sources may refer to each other; share one load per file so cycles terminate.
  const existing = loading.get(file);
  if (existing) return existing;
  const promise = loadUncached(file, options, loading);
  loading.set(file, promise);
  return promise;
}

async function loadUncached(
  file: string,
  options: LoadOptions,
  loading: Map<string, Promise<LoadedArazzoDocument>>,
): Promise<LoadedArazzoDocument> {
  const read = await readBytes(file);
  if ('error' in read) {
    return {
      file,
      hash: '',
      source: { file, value: undefined, positionOf: () => ({ line: 1, column: 1 }) },
      sources: new Map(),
      diagnostics: [
        {
          severity: 'error',
          code: 'arazzo/unreadable',
          message: read.error,
          file,
          line: 1,
          column: 1,
          path: '$',
        },
      ],
    };
  }
  const hash = createHash('sha256').update(read.bytes).digest('hex');
  const parsed = parseSource(file, read.bytes);
  const loaded: LoadedArazzoDocument = {
    file,
    hash,
    source: parsed.source,
    sources: new Map(),
    diagnostics: [...parsed.diagnostics],
  };
  if (parsed.diagnostics.length > 0) return loaded;
  const root = parsed.source.value;
  if (!isRecord(root)) {
    loaded.diagnostics.push({
      severity: 'error',
      code: 'arazzo/root-not-object',
      message: `document root must be an object, got ${Array.isArray(root) ? 'an array' : root === null ? 'null' : typeof root}`,
      file,
      ...parsed.source.positionOf([]),
      path: '$',
    });
    return loaded;
  }
  loaded.document = root as unknown as ArazzoDocument;
  const descriptions = Array.isArray(root.sourceDescriptions) ? (root.sourceDescriptions as unknown[]) : [];
  for (const [index, description] of descriptions.entries()) {
    if (!isRecord(description) || typeof description.name !== 'string' || typeof description.url !== 'string')
      continue;
    if (loaded.sources.has(description.name)) continue;
    const source = await loadSource(loaded, index, description, options, loading);
    loaded.sources.set(description.name, source);
  }
  return loaded;
}

async function loadSource(
  loaded: LoadedArazzoDocument,
  index: number,
  description: Record<string, unknown>,
  options: LoadOptions,
  loading: Map<string, Promise<LoadedArazzoDocument>>,
): Promise<LoadedSource> {
  const name = description.name as string;
  const url = description.url as string;
  // Arazzo 1.1.0 AsyncAPI sources are not loaded: the steps that use them are refused, each by
  // name, with arazzo/asyncapi-unsupported (check-versions.ts); an unused one is harmless.
  if (description.type === 'asyncapi') return { kind: 'unavailable', name, url };
  const override = options.sourceOverrides?.[name];
  const location = override !== undefined ? resolveLocation(override) : resolveLocation(url, loaded.file);
  const report = (code: string, message: string): LoadedSource => {
    const segments =
      override !== undefined ? ['sourceDescriptions', index, 'name'] : ['sourceDescriptions', index, 'url'];
    loaded.diagnostics.push({
      severity: 'error',
      code,
      message,
      file: loaded.file,
      ...loaded.source.positionOf(segments),
      path: `$.sourceDescriptions[${index}].${override !== undefined ? 'name' : 'url'}`,
    });
    return { kind: 'unavailable', name, url };
  };
  if (location.kind === 'remote') {
    return report(
      'arazzo/source-remote',
      `source "${name}" is remote (${location.url}); remote sources are not fetched, supply a source override`,
    );
  }
  if (location.kind === 'invalid')
    return report('arazzo/source-unreadable', `source "${name}": ${location.reason}`);
  const via = override !== undefined ? ` (override for "${name}")` : '';
  if (description.type === 'arazzo') {
    const document = await load(location.path, options, loading);
    if (document.hash === '')
      return report(
        'arazzo/source-unreadable',
        `source "${name}"${via}: ${document.diagnostics[0]?.message ?? 'unreadable'}`,
      );
    return { kind: 'arazzo', name, url, file: location.path, document };
  }
  // `type` is optional; anything that is not declared arazzo is read as OpenAPI.
  const { api, diagnostics } = await loadOpenApi(location.path);
  const unreadable = diagnostics.find((d) => d.code === 'openapi/unreadable');
  if (unreadable) return report('arazzo/source-unreadable', `source "${name}"${via}: ${unreadable.message}`);
  loaded.diagnostics.push(...diagnostics);
  return api ? { kind: 'openapi', name, url, file: location.path, api } : { kind: 'unavailable', name, url };
}
