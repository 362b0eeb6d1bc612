/**
 * Which OpenAPI operation a step calls: `operationId` (plain, or qualified as
 * `$sourceDescriptions.<name>.<operationId>`) or `operationPath`
 * (`{$sourceDescriptions.<name>.url}#/paths/~1jobs/post`).
 */
import { decodePercentLenient } from '../../arazzo/http-text.js';
import { parsePointer } from '../../arazzo/json-pointer.js';
import type { LoadedArazzoDocument } from '../load.js';
import { findOperationByPointer, listOperations } from './openapi-operations.js';
import type { OpenApiOperation } from './openapi-operations.js';
import type { OpenApiDescription } from './openapi-source.js';

/** A resolved operation with the name of the source it belongs to. */
export interface StepOperation {
  sourceName: string;
  operation: OpenApiOperation;
}

/**
 * The result of resolving; `unavailable` means the source could not be loaded (already reported),
 * so callers should not add a second diagnostic.
 */
export type OperationResolution =
  | { ok: true; value: StepOperation }
  | { ok: false; code: string; message: string }
  | { ok: false; unavailable: true };

const QUALIFIED = /^\$sourceDescriptions\.([^.]+)\.(.+)$/;
const OPERATION_PATH = /^\{\$sourceDescriptions\.([^.}]+)\.url\}#(.*)$/;

function openApiSources(loaded: LoadedArazzoDocument): Array<{ name: string; api?: OpenApiDescription }> {
  return [...loaded.sources.values()]
    .filter((s) => s.kind !== 'arazzo')
    .map((s) => (s.kind === 'openapi' ? { name: s.name, api: s.api } : { name: s.name }));
}

/** Resolves a step's `operationId`. */
export function resolveOperationId(loaded: LoadedArazzoDocument, operationId: string): OperationResolution {
  const qualified = QUALIFIED.exec(operationId);
  if (qualified) {
    const [, sourceName = '', id = ''] = qualified;
    const source = loaded.sources.get(sourceName);
    if (!source)
      return {
        ok: false,
        code: 'arazzo/source-missing',
        message: `operationId "${operationId}" names source "${sourceName}", which is not declared`,
      };
    // An AsyncAPI step is checked by check-receive.ts (or refused by check-versions.ts), not here.
    if (source.kind === 'unavailable' || source.kind === 'asyncapi') return { ok: false, unavailable: true };
    if (source.kind !== 'openapi')
      return {
        ok: false,
        code: 'arazzo/source-not-openapi',
        message: `operationId "${operationId}" names source "${sourceName}", which is not an OpenAPI description`,
      };
    const operation = listOperations(source.api).find((op) => op.operationId === id);
    return operation
      ? { ok: true, value: { sourceName, operation } }
      : {
          ok: false,
          code: 'arazzo/operation-not-found',
          message: `operation "${id}" not found in source "${sourceName}"`,
        };
  }
  const sources = openApiSources(loaded);
  const matches: StepOperation[] = [];
  for (const source of sources) {
    if (!source.api) continue;
    for (const operation of listOperations(source.api)) {
      if (operation.operationId === operationId) matches.push({ sourceName: source.name, operation });
    }
  }
  const [first] = matches;
  if (first && matches.length === 1) return { ok: true, value: first };
  if (matches.length > 1) {
    return {
      ok: false,
      code: 'arazzo/operation-ambiguous',
      message: `operationId "${operationId}" exists in sources ${matches.map((m) => `"${m.sourceName}"`).join(', ')}; qualify it as $sourceDescriptions.<name>.${operationId}`,
    };
  }
  if (sources.some((s) => !s.api)) return { ok: false, unavailable: true };
  return {
    ok: false,
    code: 'arazzo/operation-not-found',
    message: `operation "${operationId}" not found in any OpenAPI source (${sources.map((s) => `"${s.name}"`).join(', ') || 'none declared'})`,
  };
}

/** Resolves a step's `operationPath`. */
export function resolveOperationPath(
  loaded: LoadedArazzoDocument,
  operationPath: string,
): OperationResolution {
  const match = OPERATION_PATH.exec(operationPath);
  const invalid = { ok: false as const, code: 'arazzo/operation-path-invalid' };
  if (!match) {
    return {
      ...invalid,
      message: `operationPath "${operationPath}" must look like {$sourceDescriptions.<name>.url}#/paths/<escaped path>/<method>`,
    };
  }
  const [, sourceName = '', pointer = ''] = match;
  const source = loaded.sources.get(sourceName);
  if (!source)
    return {
      ok: false,
      code: 'arazzo/source-missing',
      message: `operationPath names source "${sourceName}", which is not declared`,
    };
  // An AsyncAPI step is checked by check-receive.ts (or refused by check-versions.ts), not here.
  if (source.kind === 'unavailable' || source.kind === 'asyncapi') return { ok: false, unavailable: true };
  if (source.kind !== 'openapi')
    return {
      ok: false,
      code: 'arazzo/source-not-openapi',
      message: `operationPath names source "${sourceName}", which is not an OpenAPI description`,
    };
  let tokens: string[];
  try {
    tokens = parsePointer(decodePercentLenient(pointer));
  } catch (error) {
    return { ...invalid, message: `operationPath "${operationPath}": ${(error as Error).message}` };
  }
  const operation = findOperationByPointer(source.api, tokens);
  return operation
    ? { ok: true, value: { sourceName, operation } }
    : {
        ok: false,
        code: 'arazzo/operation-not-found',
        message: `operationPath "${operationPath}" does not point at an operation (#/paths/<path>/<method>) in source "${sourceName}"`,
      };
}

/** Resolves whichever of `operationId` / `operationPath` a step has; undefined for workflow steps. */
export function resolveStepOperation(
  loaded: LoadedArazzoDocument,
  step: { operationId?: string; operationPath?: string },
): OperationResolution | undefined {
  if (typeof step.operationId === 'string') return resolveOperationId(loaded, step.operationId);
  if (typeof step.operationPath === 'string') return resolveOperationPath(loaded, step.operationPath);
  return undefined;
}
