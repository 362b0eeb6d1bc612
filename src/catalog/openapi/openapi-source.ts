/**
 * Loading an OpenAPI 3.0/3.1/3.2 description. The root file is loaded first, with the files its
 * Path Item `$ref`s name (needed to list operations); then {@link loadReached} loads only the
 * files that the operations the workflows call reach, so later lookups are synchronous. `$ref`s
 * inside `x-` extensions are never followed, and a broken `$ref` that no workflow reaches is a
 * warning, not an error.
 */
import type { Diagnostic } from '../diagnostic.js';
import { readDocument } from '../files.js';
import { formatJsonPath } from '../json-path.js';
import type { Located, RefFiles } from './openapi-refs.js';
import { isRecord, readPointer, refOf, refTargetFile, splitRef } from './openapi-refs.js';
import { parseSource } from '../parsed-source.js';
import type { ParsedSource } from '../parsed-source.js';
import type { RemoteSettings } from '../remote.js';

/** A loaded OpenAPI description. */
export interface OpenApiDescription extends RefFiles {
  /** The root object (`openapi`, `info`, `paths`, ...). */
  document: Record<string, unknown>;
  /** `3.0`, `3.1` or `3.2`, from the `openapi` field. */
  version: string;
  files: Map<string, ParsedSource>;
  failed: Map<string, string>;
  /** A remote file's requested URL → its retrieval URL, when a redirect made them differ. */
  aliases: Map<string, string>;
  /** Where remote files come from (the settings the root was loaded with). */
  remote?: RemoteSettings;
}

/** Files reachable through `$ref` beyond this many are not loaded (a runaway or hostile description). */
const MAX_REF_FILES = 200;
/** Path Item `$ref` chains longer than this are not followed while listing operations. */
const MAX_PATH_ITEM_HOPS = 8;

function loadError(file: string, code: string, message: string): Diagnostic {
  return { severity: 'error', code, message, file, line: 1, column: 1, path: '$' };
}

/**
 * Loads an OpenAPI description from a local file or (under `remote`) an http(s) URL. Problems
 * inside the description (syntax, wrong version) come back as diagnostics against that file.
 */
export async function loadOpenApi(
  file: string,
  remote?: RemoteSettings,
): Promise<{ api?: OpenApiDescription; diagnostics: Diagnostic[] }> {
  const read = await readDocument(file, remote);
  if ('error' in read) return { diagnostics: [loadError(file, 'openapi/unreadable', read.error)] };
  // A remote description is known by its retrieval URL (after redirects): its relative refs resolve against it.
  file = read.url ?? file;
  const parsed = parseSource(file, read.bytes);
  if (parsed.diagnostics.length > 0) return { diagnostics: parsed.diagnostics.map(asOpenApi) };
  const root = parsed.source.value;
  if (!isRecord(root))
    return { diagnostics: [loadError(file, 'openapi/not-object', 'OpenAPI description is not an object')] };
  const version = typeof root.openapi === 'string' ? /^3\.(0|1|2)\.\d+/.exec(root.openapi)?.[0] : undefined;
  if (version === undefined) {
    const pos = parsed.source.positionOf(['openapi']);
    return {
      diagnostics: [
        {
          ...loadError(
            file,
            'openapi/unsupported-version',
            `"openapi" must be 3.0.x, 3.1.x or 3.2.x (got ${JSON.stringify(root.openapi ?? null)})`,
          ),
          ...pos,
          path: '$.openapi',
        },
      ],
    };
  }
  const api: OpenApiDescription = {
    root: file,
    files: new Map([[file, parsed.source]]),
    failed: new Map(),
    aliases: new Map(),
    document: root,
    version: version.slice(0, 3),
    ...(remote ? { remote } : {}),
  };
  return { api, diagnostics: await loadPathItems(api) };
}

/**
 * Loads the files that Path Item `$ref`s under `paths` name, so that every operation can be
 * listed. A broken one is a warning here: it is an error only for a step that needs an operation
 * behind it (reported as operation-not-found).
 */
async function loadPathItems(api: OpenApiDescription): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  const paths = api.document.paths;
  if (!isRecord(paths)) return diagnostics;
  for (const path of Object.keys(paths)) {
    let at: Located = { value: paths[path], file: api.root, segments: ['paths', path] };
    for (let hop = 0; hop < MAX_PATH_ITEM_HOPS && refOf(at.value) !== undefined; hop++) {
      const target = await followRef(api, at);
      if (!target.ok) {
        diagnostics.push(
          refDiagnostic(api, at, 'warning', `path item $ref "${refOf(at.value)}": ${target.reason}`),
        );
        break;
      }
      at = target.target;
    }
  }
  return diagnostics;
}

/** Loads (once) the file a `$ref` names and finds its target, without following further refs. */
async function followRef(
  api: OpenApiDescription,
  at: Located,
): Promise<{ ok: true; target: Located } | { ok: false; reason: string }> {
  const ref = refOf(at.value)!;
  const { file, pointer } = splitRef(ref);
  let target: string;
  try {
    target = refTargetFile(file, at.file);
  } catch {
    return { ok: false, reason: 'not a usable URI reference' };
  }
  target = api.aliases.get(target) ?? target;
  if (!api.files.has(target)) {
    const failed = api.failed.get(target);
    if (failed !== undefined) return { ok: false, reason: failed };
    if (api.files.size >= MAX_REF_FILES)
      return { ok: false, reason: `more than ${MAX_REF_FILES} files referenced` };
    const read = await readDocument(target, api.remote);
    if ('error' in read) {
      api.failed.set(target, read.error);
      return { ok: false, reason: read.error };
    }
    if (read.url !== undefined && read.url !== target) {
      api.aliases.set(target, read.url);
      target = read.url;
    }
    const parsed = parseSource(target, read.bytes);
    const [problem] = parsed.diagnostics;
    if (problem) {
      const reason = `${target}:${problem.line}: ${problem.message}`;
      api.failed.set(target, reason);
      return { ok: false, reason };
    }
    api.files.set(target, parsed.source);
  }
  const found = readPointer(api.files.get(target)!.value, pointer);
  if (!found) return { ok: false, reason: 'does not resolve' };
  return { ok: true, target: { value: found.value, file: target, segments: found.segments } };
}

/** Why a value is reached: shown in messages and carried on diagnostics. */
export interface ReachedFrom {
  at: Located;
  workflowId?: string;
  stepId?: string;
}

/**
 * Loads every file that the `$ref`s under `starts` reach, transitively, skipping `x-` extension
 * fields. Each broken ref reached is an error located at the `$ref` in its file; refs already
 * reported are listed in `reported` (by `file#path`) so a later scan does not repeat them.
 */
export async function loadReached(
  api: OpenApiDescription,
  starts: readonly ReachedFrom[],
  reported: Set<string>,
): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  const visited = new Set<string>();
  const stack = starts.map((s) => ({ ...s }));
  while (stack.length > 0) {
    const { at, workflowId, stepId } = stack.pop()!;
    const key = `${at.file}#${formatJsonPath(at.segments)}`;
    if (visited.has(key)) continue;
    visited.add(key);
    for (const node of refNodes(at)) {
      const target = await followRef(api, node);
      const nodeKey = `${node.file}#${formatJsonPath(node.segments)}`;
      if (!target.ok) {
        if (reported.has(nodeKey)) continue;
        reported.add(nodeKey);
        const d = refDiagnostic(api, node, 'error', `$ref "${refOf(node.value)}": ${target.reason}`);
        diagnostics.push({
          ...d,
          ...(workflowId !== undefined ? { workflowId } : {}),
          ...(stepId !== undefined ? { stepId } : {}),
        });
        continue;
      }
      stack.push({
        at: target.target,
        ...(workflowId !== undefined ? { workflowId } : {}),
        ...(stepId !== undefined ? { stepId } : {}),
      });
    }
  }
  return diagnostics;
}

/** Every object with a `$ref` inside `at` (itself included), not descending into `x-` fields. */
function refNodes(at: Located): Located[] {
  const out: Located[] = [];
  const stack: Array<{ value: unknown; segments: ReadonlyArray<string | number> }> = [
    { value: at.value, segments: at.segments },
  ];
  while (stack.length > 0) {
    const { value, segments } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, segments: [...segments, i] }));
      continue;
    }
    if (typeof (value as Record<string, unknown>).$ref === 'string')
      out.push({ value, file: at.file, segments });
    for (const [key, item] of Object.entries(value)) {
      if (key.startsWith('x-') || key === '$ref') continue;
      stack.push({ value: item, segments: [...segments, key] });
    }
  }
  return out;
}

/**
 * Local `$ref`s (`#/...`) in the loaded files that do not resolve and that no workflow reached:
 * warnings (`x-` extension fields are not looked into).
 */
export function unreachedBrokenRefs(api: OpenApiDescription, reported: ReadonlySet<string>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const [file, source] of api.files) {
    for (const node of refNodes({ value: source.value, file, segments: [] })) {
      const ref = refOf(node.value)!;
      const { file: filePart, pointer } = splitRef(ref);
      if (filePart !== '' || reported.has(`${file}#${formatJsonPath(node.segments)}`)) continue;
      if (readPointer(source.value, pointer) === undefined)
        diagnostics.push(
          refDiagnostic(api, node, 'warning', `$ref "${ref}" does not resolve (no workflow uses it)`),
        );
    }
  }
  return diagnostics;
}

function refDiagnostic(
  api: OpenApiDescription,
  at: Located,
  severity: Diagnostic['severity'],
  message: string,
): Diagnostic {
  const source = api.files.get(at.file);
  return {
    severity,
    code: 'openapi/ref-unresolved',
    message,
    file: at.file,
    ...(source?.positionOf(at.segments) ?? { line: 1, column: 1 }),
    path: formatJsonPath(at.segments),
  };
}

/** Parse problems in an OpenAPI file keep their position but get an `openapi/` code. */
function asOpenApi(d: Diagnostic): Diagnostic {
  return { ...d, code: d.code.replace(/^arazzo\//, 'openapi/') };
}
