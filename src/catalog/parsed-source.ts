/**
 * Parsing YAML or JSON text while remembering where every value came from, so a JSON path found
 * by validation can be reported as `file:line:column`.
 */
import { createHash } from 'node:crypto';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import type { Diagnostic } from './diagnostic.js';
import type { PathSegments } from './json-path.js';

/** Largest document accepted; larger input is refused before parsing. */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
/** Deepest nesting accepted; every later walk of the value relies on this bound. */
export const MAX_DOCUMENT_DEPTH = 128;

/** A parsed document with its source map. */
export interface ParsedSource {
  file: string;
  /** The plain JSON value (undefined when parsing failed). */
  value: unknown;
  /** 1-based line and column of the value (or key) at `segments`, or of its nearest existing ancestor. */
  positionOf(segments: PathSegments, preferKey?: boolean): { line: number; column: number };
}

/** The outcome of parsing: a source (possibly with no value) and the problems found. */
export interface ParseResult {
  source: ParsedSource;
  diagnostics: Diagnostic[];
}

function diagnostic(file: string, code: string, message: string, line = 1, column = 1): Diagnostic {
  return { severity: 'error', code, message, file, line, column, path: '$' };
}

function emptySource(file: string): ParsedSource {
  return { file, value: undefined, positionOf: () => ({ line: 1, column: 1 }) };
}

/** Measures nesting without recursion, stopping as soon as `limit` is exceeded. */
function depthExceeds(value: unknown, limit: number): boolean {
  const stack: Array<{ v: unknown; d: number }> = [{ v: value, d: 0 }];
  while (stack.length > 0) {
    const { v, d } = stack.pop()!;
    if (d > limit) return true;
    if (typeof v === 'object' && v !== null) {
      for (const child of Object.values(v)) stack.push({ v: child, d: d + 1 });
    }
  }
  return false;
}

/**
 * Decodes bytes as UTF-8 text, refusing binary content. A NUL byte or invalid UTF-8 means the
 * file is not a YAML or JSON document, and YAML would otherwise report confusing syntax errors.
 */
function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Parses kept by file and content; see {@link parseSource}. */
const parsed = new Map<string, ParseResult>();
const MAX_PARSED = 16;
/** Larger documents are parsed every time rather than kept. */
const MAX_KEPT_BYTES = 512 * 1024;

/**
 * Parses YAML (JSON is YAML) and never throws: binary, empty, oversized, deeply nested or
 * malformed input comes back as diagnostics with no value.
 *
 * The same file with the same bytes is parsed once: a catalog's documents name the same OpenAPI
 * description, and parsing it was most of a worker's catalog load (docs/benchmarks.md §14). Each
 * caller gets its own copy of the value.
 */
export function parseSource(file: string, bytes: Uint8Array): ParseResult {
  if (bytes.length > MAX_KEPT_BYTES) return parseText(file, bytes);
  const key = `${file}\n${createHash('sha256').update(bytes).digest('hex')}`;
  let result = parsed.get(key);
  if (!result) {
    result = parseText(file, bytes);
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(key, result);
  }
  return {
    source: { ...result.source, value: structuredClone(result.source.value) },
    diagnostics: [...result.diagnostics],
  };
}

function parseText(file: string, bytes: Uint8Array): ParseResult {
  if (bytes.length > MAX_DOCUMENT_BYTES) {
    return {
      source: emptySource(file),
      diagnostics: [
        diagnostic(
          file,
          'arazzo/file-too-large',
          `document is ${bytes.length} bytes; the limit is ${MAX_DOCUMENT_BYTES}`,
        ),
      ],
    };
  }
  const text = decodeText(bytes);
  if (text === undefined) {
    return {
      source: emptySource(file),
      diagnostics: [diagnostic(file, 'arazzo/not-text', 'document is not UTF-8 text (binary content)')],
    };
  }
  if (text.trim() === '') {
    return {
      source: emptySource(file),
      diagnostics: [diagnostic(file, 'arazzo/empty-document', 'document is empty')],
    };
  }
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  let value: unknown;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    const [first] = doc.errors;
    if (first) {
      // Only the first: after one YAML error the parser's recovery produces a cascade of noise.
      const pos = lineCounter.linePos(first.pos[0]);
      const more = doc.errors.length > 1 ? ` (${doc.errors.length - 1} more syntax errors after it)` : '';
      return {
        source: emptySource(file),
        diagnostics: [
          diagnostic(file, 'arazzo/syntax-error', `${firstLine(first.message)}${more}`, pos.line, pos.col),
        ],
      };
    }
    // Aliases are capped so a "billion laughs" document cannot expand without bound.
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    return {
      source: emptySource(file),
      diagnostics: [
        diagnostic(file, 'arazzo/syntax-error', `cannot parse document: ${firstLine(String(error))}`),
      ],
    };
  }
  if (depthExceeds(value, MAX_DOCUMENT_DEPTH)) {
    return {
      source: emptySource(file),
      diagnostics: [
        diagnostic(file, 'arazzo/too-deep', `document nests deeper than ${MAX_DOCUMENT_DEPTH} levels`),
      ],
    };
  }
  const contents = doc.contents;
  return {
    source: {
      file,
      value,
      positionOf: (segments, preferKey = false) => {
        const offset = locate(contents, segments, preferKey);
        const pos = lineCounter.linePos(offset);
        return { line: pos.line, column: pos.col };
      },
    },
    diagnostics: [],
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/**
 * Finds the source offset for a path. Map entries point at their value when it is a scalar (the
 * value is what is wrong) and at their key otherwise, or when `preferKey` asks (unknown fields).
 */
function locate(root: Node | null, segments: PathSegments, preferKey: boolean): number {
  let node: unknown = root;
  let offset = rangeStart(root) ?? 0;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const last = i === segments.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment),
      );
      if (!pair) return offset;
      const keyStart = rangeStart(pair.key as Node | null);
      const valueStart = rangeStart(pair.value as Node | null);
      if (last) {
        return (preferKey || !isScalar(pair.value) ? keyStart : valueStart) ?? keyStart ?? offset;
      }
      offset = keyStart ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) return offset;
      offset = rangeStart(item as Node | null) ?? offset;
      node = item;
    } else {
      return offset;
    }
  }
  return offset;
}

function rangeStart(node: Node | null | undefined): number | undefined {
  return node && 'range' in node && node.range ? node.range[0] : undefined;
}
