/**
 * Validation of a loaded Arazzo document: load problems, then the schema, then (only for a
 * schema-valid document, whose shape the checks rely on) the semantic and OpenAPI-aware checks.
 */
import type { ArazzoDocument } from '../../arazzo/model.js';
import { checkActions } from './check-actions.js';
import type { CheckContext } from './check-context.js';
import { checkCriteria } from './check-criteria.js';
import { checkDependsOn } from './check-depends-on.js';
import { checkExpressions } from './check-expressions.js';
import { checkExtensions } from './check-extensions.js';
import { checkIds } from './check-ids.js';
import { checkInputsSchemas } from './check-inputs.js';
import { checkPollCoverage } from './check-poll-coverage.js';
import { checkStepMusts } from './check-step-musts.js';
import { checkSteps } from './check-steps.js';
import { checkVersions } from './check-versions.js';
import type { Diagnostic } from '../diagnostic.js';
import { sortDiagnostics } from '../diagnostic.js';
import type { LoadedArazzoDocument } from '../load.js';
import { Reporter } from '../reporter.js';
import { checkArazzoSchema } from './schema-check.js';

const SEMANTIC_CHECKS: ReadonlyArray<(ctx: CheckContext) => void> = [
  checkVersions,
  checkIds,
  checkSteps,
  checkStepMusts,
  checkActions,
  checkDependsOn,
  checkInputsSchemas,
  checkExpressions,
  checkCriteria,
  checkExtensions,
  checkPollCoverage,
];

/**
 * Validates a loaded document and the Arazzo documents it uses as sources. Never throws: a bug
 * in a check is reported as an `arazzo/internal-error` diagnostic rather than crashing a worker.
 */
export function validateDocument(loaded: LoadedArazzoDocument): Diagnostic[] {
  const out: Diagnostic[] = [];
  validateInto(loaded, out, new Set());
  return sortDiagnostics(dedupe(out));
}

function validateInto(loaded: LoadedArazzoDocument, out: Diagnostic[], seen: Set<string>): void {
  if (seen.has(loaded.file)) return;
  seen.add(loaded.file);
  out.push(...loaded.diagnostics);
  if (!loaded.document) return;
  const schemaProblems = checkArazzoSchema(loaded.source);
  out.push(...schemaProblems);
  if (schemaProblems.length > 0) return;
  const ctx: CheckContext = {
    loaded,
    doc: loaded.document as ArazzoDocument,
    reporter: new Reporter(loaded.source),
  };
  for (const check of SEMANTIC_CHECKS) {
    try {
      check(ctx);
    } catch (error) {
      ctx.reporter.error(
        'arazzo/internal-error',
        `validation check ${check.name} failed: ${(error as Error).message}`,
        { segments: [] },
      );
    }
  }
  out.push(...ctx.reporter.diagnostics);
  for (const source of loaded.sources.values()) {
    if (source.kind === 'arazzo') validateInto(source.document, out, seen);
  }
}

/** The same problem can be found twice (an OpenAPI file shared by two sources). */
function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}:${d.line}:${d.column}:${d.code}:${d.path}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
