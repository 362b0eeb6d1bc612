/**
 * Reading a workflow's `inputs` JSON Schema for the names it declares (to check `$inputs.<name>`
 * and sub-workflow parameters), following `$ref` to `#/components/inputs/...`.
 */
import type { ArazzoDocument, Workflow } from '../../arazzo/model.js';
import { resolveInputsRef } from '../components.js';
import { isRecord } from '../openapi/openapi-refs.js';

/** Declared input names and the required ones; `open` when the schema cannot be read fully. */
export interface DeclaredInputs {
  properties: Set<string>;
  required: Set<string>;
  /** True when the schema uses constructs we do not follow, so absence proves nothing. */
  open: boolean;
}

/** Collects `properties`/`required` through `$ref` and `allOf` (bounded: refs may loop). */
export function declaredInputs(doc: ArazzoDocument, workflow: Workflow): DeclaredInputs {
  const result: DeclaredInputs = { properties: new Set(), required: new Set(), open: false };
  const queue: unknown[] = [workflow.inputs ?? {}];
  for (let visited = 0; queue.length > 0 && visited < 64; visited++) {
    const schema = queue.shift();
    if (!isRecord(schema)) continue;
    if (typeof schema.$ref === 'string') {
      const target = resolveInputsRef(doc, schema.$ref);
      if (target) queue.push(target);
      else result.open = true;
    }
    if (isRecord(schema.properties))
      for (const name of Object.keys(schema.properties)) result.properties.add(name);
    if (Array.isArray(schema.required))
      for (const name of schema.required) if (typeof name === 'string') result.required.add(name);
    if (Array.isArray(schema.allOf)) queue.push(...(schema.allOf as unknown[]));
    if (schema.anyOf !== undefined || schema.oneOf !== undefined || schema.patternProperties !== undefined)
      result.open = true;
  }
  return result;
}
