/**
 * Structural validation of an Arazzo document against the Arazzo schema (arazzo-schema.ts), with Ajv's
 * errors turned into diagnostics that carry a JSON path and a source position.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { validate as generatedValidator } from './arazzo-schema-validator.generated.js';
import type { Diagnostic } from '../diagnostic.js';
import { formatJsonPath, instancePointerToSegments } from '../json-path.js';
import type { ParsedSource } from '../parsed-source.js';

/**
 * The Arazzo schema's validator, compiled ahead of time by Ajv (scripts/generate-arazzo-validator.ts):
 * compiling it at start-up cost a worker 0.2 s.
 */
const validate = generatedValidator as unknown as ValidateFunction;

/** Keywords whose errors only say "a branch failed"; the branch's own errors are reported instead. */
const WRAPPER_KEYWORDS = new Set(['if', 'then', 'else', 'anyOf', 'oneOf', 'allOf', 'not', '$ref']);

/** Validates `source.value` against the Arazzo 1.0.x schema. */
export function checkArazzoSchema(source: ParsedSource): Diagnostic[] {
  if (validate(source.value)) return [];
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const error of validate.errors ?? []) {
    if (WRAPPER_KEYWORDS.has(error.keyword)) continue;
    const diagnostic = toDiagnostic(source, error);
    const key = `${diagnostic.code} ${diagnostic.path} ${diagnostic.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(diagnostic);
  }
  return out;
}

function toDiagnostic(source: ParsedSource, error: ErrorObject): Diagnostic {
  const segments: Array<string | number> = instancePointerToSegments(error.instancePath, source.value);
  let message = error.message ?? 'is invalid';
  let preferKey = false;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      message = `missing required field "${String(params.missingProperty)}"`;
      break;
    case 'additionalProperties':
      // Point at the unknown key itself: that is the line to fix.
      segments.push(String(params.additionalProperty));
      preferKey = true;
      message = 'is not a field of this object (only fixed fields and x- extensions are allowed)';
      break;
    case 'enum':
      message = `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    case 'propertyNames':
      message = `has an invalid name "${String(params.propertyName)}" (allowed: letters, digits, ".", "-", "_")`;
      break;
    case 'pattern':
      message = `must match ${String(params.pattern)}`;
      break;
  }
  const { line, column } = source.positionOf(segments, preferKey);
  return {
    severity: 'error',
    code:
      error.keyword === 'additionalProperties'
        ? 'arazzo/schema-unknown-field'
        : `arazzo/schema-${error.keyword.toLowerCase()}`,
    message: `${subject(segments)} ${message}`,
    file: source.file,
    line,
    column,
    path: formatJsonPath(segments),
  };
}

/** Names what is wrong in words: the field name, or "document" for the root. */
function subject(segments: ReadonlyArray<string | number>): string {
  const last = segments[segments.length - 1];
  if (last === undefined) return 'document';
  if (typeof last === 'number')
    return `item ${last} of ${String(segments[segments.length - 2] ?? 'document')}`;
  return `"${last}"`;
}
