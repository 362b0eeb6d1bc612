/**
 * Compiling a workflow's `inputs` JSON Schema (2020-12) with Ajv, with `$ref`s to
 * `#/components/inputs/...` resolvable: the components are placed at the same location in the
 * compiled root schema, so the document's own pointers work unchanged.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import type { ArazzoDocument, Workflow } from '../../arazzo/model.js';
import { componentMap } from '../components.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsPlugin as unknown as { default?: unknown }).default ?? addFormatsPlugin) as (
  ajv: Ajv2020,
) => void;

/**
 * Validators by schema text. Keyed by content, not object identity: every run hands in its own copy
 * of the document (plans travel through workflow history), and compiling is the expensive part
 * (about 20 ms each; the benchmark saw it dominate the worker's main thread under load).
 */
const cache = new Map<string, ValidateFunction>();
const MAX_CACHED = 500;

let metaChecker: Ajv2020 | undefined;

/** The instance that validates inputs schemas against their meta-schema; it compiles no inputs schema. */
function metaSchemaChecker(): Ajv2020 {
  if (!metaChecker) {
    metaChecker = new Ajv2020({ strict: false, allErrors: true });
    addFormats(metaChecker);
  }
  return metaChecker;
}

/**
 * Compiles (once per distinct schema) a validator that applies `default`s. Throws when the
 * schema itself is invalid or a `$ref` does not resolve; callers report that.
 */
export function compileInputsValidator(doc: ArazzoDocument, workflow: Workflow): ValidateFunction {
  const inputs = componentMap(doc, 'inputs');
  const schema = { ...(workflow.inputs ?? {}), ...(inputs ? { components: { inputs } } : {}) };
  const key = JSON.stringify(schema);
  const cached = cache.get(key);
  if (cached) return cached;
  // The schema is checked against the 2020-12 meta-schema by one shared instance, which compiles
  // the meta-schema once (about 50 ms, each time a new instance would) and throws Ajv's own
  // "schema is invalid: ..." error.
  void metaSchemaChecker().validateSchema(schema, true);
  // A fresh Ajv per schema: schemas are keyed by `$id` in an instance, and documents may reuse ids.
  const ajv = new Ajv2020({ strict: false, allErrors: true, useDefaults: true, validateSchema: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, validate);
  return validate;
}
