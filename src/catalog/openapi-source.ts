/**
 * Loading an OpenAPI 3.0/3.1 description with every file its `$ref`s reach, so later lookups
 * are synchronous and cannot fail on I/O.
 */
import type { Diagnostic } from './diagnostic.js';
import { readBytes } from './files.js';
import type { RefFiles } from './openapi-refs.js';
import { isRecord, refTargetFile, splitRef } from './openapi-refs.js';
import { parseSource } from './parsed-source.js';
import type { ParsedSource } from './parsed-source.js';

/** A loaded OpenAPI description. */
export interface OpenApiDescription extends RefFiles {
  /** The root object (`openapi`, `info`, `paths`, ...). */
  document: Record<string, unknown>;
  /** `3.0` or `3.1`, from the `openapi` field. */
  version: string;
}

/** Files reachable through `$ref` beyond this many are not loaded (a runaway or hostile description). */
const MAX_REF_FILES = 200;

function loadError(file: string, code: string, message: string): Diagnostic {
  return { severity: 'error', code, message, file, line: 1, column: 1, path: '$' };
}

/**
 * Loads an OpenAPI description from a local file. Problems inside the description (syntax,
 * wrong version, unreadable referenced files) come back as diagnostics against that file.
 */
export async function loadOpenApi(
  file: string,
): Promise<{ api?: OpenApiDescription; diagnostics: Diagnostic[] }> {
  const read = await readBytes(file);
  if ('error' in read) return { diagnostics: [loadError(file, 'openapi/unreadable', read.error)] };
  const parsed = parseSource(file, read.bytes);
  if (parsed.diagnostics.length > 0) return { diagnostics: parsed.diagnostics.map(asOpenApi) };
  const root = parsed.source.value;
  if (!isRecord(root))
    return { diagnostics: [loadError(file, 'openapi/not-object', 'OpenAPI description is not an object')] };
  const version = typeof root.openapi === 'string' ? /^3\.(0|1)\.\d+/.exec(root.openapi)?.[0] : undefined;
  if (version === undefined) {
    const pos = parsed.source.positionOf(['openapi']);
    return {
      diagnostics: [
        {
          ...loadError(
            file,
            'openapi/unsupported-version',
            `"openapi" must be 3.0.x or 3.1.x (got ${JSON.stringify(root.openapi ?? null)})`,
          ),
          ...pos,
          path: '$.openapi',
        },
      ],
    };
  }
  const files = new Map<string, ParsedSource>([[file, parsed.source]]);
  const diagnostics = await loadReferencedFiles(files, file);
  return { api: { root: file, files, document: root, version: version.slice(0, 3) }, diagnostics };
}

/** Loads, breadth first, every file named by a `$ref` in the files loaded so far. */
async function loadReferencedFiles(
  files: Map<string, ParsedSource>,
  rootFile: string,
): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  const queue = [rootFile];
  while (queue.length > 0) {
    const current = queue.shift()!;
    const source = files.get(current);
    if (!source) continue;
    for (const ref of collectFileRefs(source.value)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) continue; // remote: reported where it is dereferenced
      const target = refTargetFile(ref, current);
      if (files.has(target)) continue;
      if (files.size >= MAX_REF_FILES) {
        diagnostics.push(
          loadError(current, 'openapi/too-many-files', `more than ${MAX_REF_FILES} files referenced`),
        );
        return diagnostics;
      }
      const read = await readBytes(target);
      if ('error' in read) {
        diagnostics.push(loadError(current, 'openapi/ref-file-unreadable', `$ref "${ref}": ${read.error}`));
        continue;
      }
      const parsed = parseSource(target, read.bytes);
      diagnostics.push(...parsed.diagnostics.map(asOpenApi));
      files.set(target, parsed.source);
      queue.push(target);
    }
  }
  return diagnostics;
}

/** File parts of every `$ref` in a value (iterative: the value's depth is bounded but large). */
function collectFileRefs(value: unknown): Set<string> {
  const out = new Set<string>();
  const stack = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (!Array.isArray(node)) {
      const ref = (node as Record<string, unknown>).$ref;
      if (typeof ref === 'string') {
        const { file } = splitRef(ref);
        if (file !== '') out.add(file);
      }
    }
    stack.push(...Object.values(node));
  }
  return out;
}

/** Parse problems in an OpenAPI file keep their position but get an `openapi/` code. */
function asOpenApi(d: Diagnostic): Diagnostic {
  return { ...d, code: d.code.replace(/^arazzo\//, 'openapi/') };
}
