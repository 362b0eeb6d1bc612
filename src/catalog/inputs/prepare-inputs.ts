/**
 * Checking run inputs against a workflow's `inputs` schema before any request is sent, with the
 * schema's defaults applied (the seeds default `jobType` to `sync`).
 */
import type { ErrorObject } from 'ajv';
import type { ArazzoDocument, JsonObject, Workflow } from '../../arazzo/model.js';
import type { RunOptions } from '../../arazzo/plan.js';
import type { Diagnostic } from '../diagnostic.js';
import { formatJsonPath, instancePointerToSegments } from '../json-path.js';
import { declaredInputs } from './inputs-schema.js';
import { compileInputsValidator } from './inputs-validator.js';
import { isRecord } from '../openapi/openapi-refs.js';
import { legacyExtensionName } from '../../arazzo/extensions.js';
import { checkRunOptions, RUN_OPTIONS_KEY } from '../../arazzo/options.js';

/** Inputs ready for a run, or why they were refused. */
export type PreparedInputs =
  | { ok: true; inputs: JsonObject; runOptions: Partial<RunOptions> }
  | { ok: false; diagnostics: Diagnostic[] };

const emptyDocument: ArazzoDocument = {
  arazzo: '1.0.1',
  info: { title: '', version: '' },
  sourceDescriptions: [],
  workflows: [],
};

/** Inputs are not in a file: diagnostics name this pseudo-file and carry no line. */
export const INPUTS_FILE = '<inputs>';

/**
 * Validates `inputs` for `workflow`. The reserved key `x-temporal` (run options) is taken
 * out before validation and returned parsed as `runOptions`. Extra fields pass unless the schema
 * forbids them. Pass `document` when the schema uses `$ref: '#/components/inputs/...'`.
 */
export function prepareInputs(
  workflow: Workflow,
  inputs: unknown,
  document?: ArazzoDocument,
): PreparedInputs {
  const problem = (code: string, message: string, segments: Array<string | number> = []): Diagnostic => ({
    severity: 'error',
    code,
    message: `workflow ${workflow.workflowId}: ${message}`,
    file: INPUTS_FILE,
    line: 0,
    column: 0,
    path: formatJsonPath(segments),
    workflowId: workflow.workflowId,
  });
  if (!isRecord(inputs)) {
    const got = inputs === null ? 'null' : Array.isArray(inputs) ? 'an array' : typeof inputs;
    return { ok: false, diagnostics: [problem('inputs/not-object', `inputs must be an object, got ${got}`)] };
  }
  let data: Record<string, unknown>;
  try {
    // Inputs are recorded in workflow history as JSON: normalise now (drops undefined, rejects cycles/BigInt).
    data = JSON.parse(JSON.stringify(inputs)) as Record<string, unknown>;
  } catch (error) {
    return {
      ok: false,
      diagnostics: [problem('inputs/not-json', `inputs are not JSON: ${(error as Error).message}`)],
    };
  }
  // The old key (x-arazzo-temporal) is still read; the current one wins when both are given.
  const { [RUN_OPTIONS_KEY]: current, [legacyExtensionName(RUN_OPTIONS_KEY)]: legacy, ...rest } = data;
  const rawOptions = current ?? legacy;
  const parsedOptions = checkRunOptions(rawOptions);
  const diagnostics = parsedOptions.problems.map((p) =>
    problem('inputs/run-options-invalid', p.message, [
      RUN_OPTIONS_KEY,
      ...(p.key !== undefined ? [p.key] : []),
    ]),
  );
  let validate;
  try {
    validate = compileInputsValidator(document ?? emptyDocument, workflow);
  } catch (error) {
    return {
      ok: false,
      diagnostics: [
        problem('inputs/schema-invalid', `the inputs schema cannot be used: ${(error as Error).message}`),
      ],
    };
  }
  if (!validate(rest)) {
    for (const error of validate.errors ?? []) {
      if (
        ['if', 'then', 'else', 'anyOf', 'oneOf', 'allOf'].includes(error.keyword) &&
        (validate.errors?.length ?? 0) > 1
      )
        continue;
      const { segments, message } = describeError(error, rest);
      diagnostics.push(
        problem(`inputs/${error.keyword.toLowerCase()}`, `${spellField(segments)}: ${message}`, segments),
      );
    }
  }
  // A field the workflow does not declare is most likely a typo (`connectionID`) that would
  // otherwise be ignored silently; refuse it, unless the schema says what extra fields may be.
  const declared = declaredInputs(document ?? emptyDocument, workflow);
  const schema = isRecord(workflow.inputs) ? workflow.inputs : {};
  if (
    !declared.open &&
    schema.additionalProperties === undefined &&
    schema.unevaluatedProperties === undefined
  ) {
    for (const key of Object.keys(rest)) {
      if (declared.properties.has(key)) continue;
      const known = [...declared.properties].sort().join(', ') || 'none';
      diagnostics.push(
        problem(
          'inputs/unknown-field',
          `${spellField([key])}: not an input of this workflow (inputs: ${known})`,
          [key],
        ),
      );
    }
  }
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  return { ok: true, inputs: rest as JsonObject, runOptions: parsedOptions.options };
}

function describeError(
  error: ErrorObject,
  data: unknown,
): { segments: Array<string | number>; message: string } {
  const segments = instancePointerToSegments(error.instancePath, data);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { segments: [...segments, String(params.missingProperty)], message: 'is required' };
    case 'additionalProperties':
      return {
        segments: [...segments, String(params.additionalProperty)],
        message: 'is not allowed by the inputs schema',
      };
    case 'enum':
      return {
        segments,
        message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    default:
      return { segments, message: error.message ?? 'is invalid' };
  }
}

/** `inputs.connectionId`, `inputs.items[0].name`: how people write field paths. */
function spellField(segments: ReadonlyArray<string | number>): string {
  return `inputs${formatJsonPath(segments).slice(1)}`;
}
