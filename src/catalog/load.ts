/**
 * Loading an Arazzo document and the source descriptions it names. Never throws: every problem
 * (unreadable file, syntax, a source that cannot be loaded) becomes a diagnostic.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { ArazzoDocument } from '../arazzo/model.js';
import { loadAsyncApi, type AsyncApiDescription } from './asyncapi/asyncapi-source.js';
import type { Diagnostic } from './diagnostic.js';
import { readDocument, resolveLocation } from './files.js';
import { listOperations } from './openapi/openapi-operations.js';
import type { OpenApiOperation } from './openapi/openapi-operations.js';
import { child, isRecord } from './openapi/openapi-refs.js';
import { loadOpenApi, loadReached, unreachedBrokenRefs } from './openapi/openapi-source.js';
import type { OpenApiDescription, ReachedFrom } from './openapi/openapi-source.js';
import { isRemote, refusal } from './remote.js';
import type { RemoteSettings } from './remote.js';
import { resolveStepOperation } from './openapi/resolve-operation.js';
import { parseSource } from './parsed-source.js';
import type { ParsedSource } from './parsed-source.js';

/** Options for {@link loadArazzoDocument}. */
export interface LoadOptions {
  /**
   * Replace a source description's `url` by name (a path, relative to the working directory, a
   * `file:` URL or an http(s) URL).
   */
  sourceOverrides?: Record<string, string>;
  /**
   * How http(s) sources (and `$ref`s inside them) are fetched: an allow-list of hosts and limits,
   * from configuration. Absent: remote sources are refused with a diagnostic.
   */
  remote?: RemoteSettings;
}

/** A source description after loading. */
export type LoadedSource =
  | { kind: 'openapi'; name: string; url: string; file: string; api: OpenApiDescription }
  | { kind: 'arazzo'; name: string; url: string; file: string; document: LoadedArazzoDocument }
  /** Arazzo 1.1 `type: asyncapi`: read so that receive steps can be checked against it. */
  | { kind: 'asyncapi'; name: string; url: string; file: string; api: AsyncApiDescription }
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
  return load(isRemote(file) ? file : resolve(file), options, new Map());
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
  const read = await readDocument(file, options.remote);
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
  loaded.diagnostics.push(...(await loadReachedRefs(loaded)));
  return loaded;
}

/** Every string inside the `x-` fields of an object (deep). */
function extensionStrings(value: unknown): Set<string> {
  const out = new Set<string>();
  if (!isRecord(value)) return out;
  const stack: unknown[] = Object.entries(value)
    .filter(([key]) => key.startsWith('x-'))
    .map(([, v]) => v);
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === 'string') out.add(node);
    else if (typeof node === 'object' && node !== null) stack.push(...Object.values(node));
  }
  return out;
}

/**
 * Loads what the operations the workflows call reach through `$ref` (their parameters, request
 * body and responses, and the Path Item's parameters), never `x-` extensions. A broken ref reached
 * is an error at the ref; a broken local ref elsewhere is a warning.
 */
async function loadReachedRefs(loaded: LoadedArazzoDocument): Promise<Diagnostic[]> {
  const starts = new Map<OpenApiDescription, ReachedFrom[]>();
  // Keyed by the operation's own object: listOperations builds new Located wrappers on each call,
  // and operations name each other (createJob's extension names getJob, getJob's names createJob).
  const added = new Set<unknown>();
  const add = (op: OpenApiOperation, ids: { workflowId: string; stepId: string }): void => {
    if (added.has(op.operation.value)) return;
    added.add(op.operation.value);
    const list = starts.get(op.api) ?? [];
    starts.set(op.api, list);
    for (const field of ['parameters', 'requestBody', 'responses']) {
      const at = child(op.operation, field);
      if (at) list.push({ at, ...ids });
    }
    const pathParameters = child(op.pathItem, 'parameters');
    if (pathParameters) list.push({ at: pathParameters, ...ids });
    // The project's extensions on an operation name other operations of the same description by
    // operationId (cancel, adopt, observes); those go into the plan too, so their refs are reached.
    const named = extensionStrings(op.operation.value);
    for (const related of listOperations(op.api))
      if (related.operationId !== undefined && named.has(related.operationId)) add(related, ids);
  };
  const workflows = Array.isArray(loaded.document?.workflows) ? (loaded.document.workflows as unknown[]) : [];
  for (const workflow of workflows) {
    if (!isRecord(workflow) || !Array.isArray(workflow.steps)) continue;
    for (const step of workflow.steps as unknown[]) {
      if (!isRecord(step)) continue;
      const target = {
        ...(typeof step.operationId === 'string' ? { operationId: step.operationId } : {}),
        ...(typeof step.operationPath === 'string' ? { operationPath: step.operationPath } : {}),
      };
      const resolution = resolveStepOperation(loaded, target);
      if (!resolution?.ok) continue;
      const ids = { workflowId: String(workflow.workflowId), stepId: String(step.stepId) };
      add(resolution.value.operation, ids);
    }
  }
  const diagnostics: Diagnostic[] = [];
  const apis = new Set<OpenApiDescription>();
  for (const source of loaded.sources.values()) if (source.kind === 'openapi') apis.add(source.api);
  for (const api of apis) {
    const reported = new Set<string>();
    diagnostics.push(...(await loadReached(api, starts.get(api) ?? [], reported)));
    diagnostics.push(...unreachedBrokenRefs(api, reported));
  }
  return diagnostics;
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
  if (location.kind === 'invalid')
    return report('arazzo/source-unreadable', `source "${name}": ${location.reason}`);
  const via = override !== undefined ? ` (override for "${name}")` : '';
  const target = location.kind === 'remote' ? location.url : location.path;
  if (location.kind === 'remote') {
    const refused = refusal(location.url, options.remote);
    if (refused !== undefined)
      return report(
        'arazzo/source-remote',
        `source "${name}"${via}: ${location.url} is not fetched: ${refused}`,
      );
  }
  if (description.type === 'asyncapi') {
    const read = await loadAsyncApi(target, options.remote);
    if (read.ok) return { kind: 'asyncapi', name, url, file: read.api.file, api: read.api };
    if (read.unreadable)
      return report(
        location.kind === 'remote' ? 'arazzo/source-fetch-failed' : 'arazzo/source-unreadable',
        `source "${name}"${via}: ${read.message}`,
      );
    return report('arazzo/source-content-invalid', `source "${name}"${via}: ${read.message}`);
  }
  if (description.type === 'arazzo') {
    const document = await load(target, options, loading);
    if (document.hash === '')
      return report(
        location.kind === 'remote' ? 'arazzo/source-fetch-failed' : 'arazzo/source-unreadable',
        `source "${name}"${via}: ${document.diagnostics[0]?.message ?? 'unreadable'}`,
      );
    return { kind: 'arazzo', name, url, file: target, document };
  }
  // `type` is optional; anything that is not declared arazzo is read as OpenAPI.
  const { api, diagnostics } = await loadOpenApi(target, options.remote);
  const unreadable = diagnostics.find((d) => d.code === 'openapi/unreadable');
  if (unreadable)
    return report(
      location.kind === 'remote' ? 'arazzo/source-fetch-failed' : 'arazzo/source-unreadable',
      `source "${name}"${via}: ${unreadable.message}`,
    );
  if (location.kind === 'remote' && !api) {
    // The answer is not an OpenAPI 3.x description (HTML was refused while fetching; this is
    // JSON or YAML of another kind, or not parseable): say so where the document names the URL.
    const [first] = diagnostics;
    if (first)
      return report(
        'arazzo/source-content-invalid',
        `source "${name}"${via}: ${first.file} is not an OpenAPI 3.x description: ${first.message} (line ${first.line} of the answer)`,
      );
  }
  loaded.diagnostics.push(...diagnostics);
  return api ? { kind: 'openapi', name, url, file: api.root, api } : { kind: 'unavailable', name, url };
}
