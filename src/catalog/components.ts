/**
 * Resolving `$components.<kind>.<name>` references (Reusable Objects and `$ref` in input schemas).
 */
import type { ArazzoDocument } from '../arazzo/model.js';
import { isRecord } from './openapi/openapi-refs.js';

/** The four component maps of Arazzo 1.0.x. */
export type ComponentKind = 'inputs' | 'parameters' | 'successActions' | 'failureActions';

const REFERENCE = /^\$components\.(inputs|parameters|successActions|failureActions)\.(.+)$/;

/** A resolved component or the reason it cannot be used where it is referenced. */
export type ComponentResolution =
  { ok: true; value: Record<string, unknown>; name: string } | { ok: false; message: string };

/** Resolves a Reusable Object's `reference`, which must name a component of `expected` kind. */
export function resolveComponent(
  doc: ArazzoDocument,
  reference: string,
  expected: ComponentKind,
): ComponentResolution {
  const match = REFERENCE.exec(reference);
  if (!match)
    return { ok: false, message: `reference "${reference}" must be $components.${expected}.<name>` };
  const [, kind = '', name = ''] = match;
  if (kind !== expected)
    return {
      ok: false,
      message: `reference "${reference}" names a ${kind} component where a ${expected} one is expected`,
    };
  const value = componentMap(doc, kind)?.[name];
  return isRecord(value)
    ? { ok: true, value, name }
    : { ok: false, message: `component "${reference}" is not defined` };
}

/** The components of one kind, when the document declares any. */
export function componentMap(doc: ArazzoDocument, kind: ComponentKind): Record<string, unknown> | undefined {
  const components: unknown = doc.components;
  if (!isRecord(components)) return undefined;
  const map = components[kind];
  return isRecord(map) ? map : undefined;
}

/** Resolves `#/components/inputs/<name>` (the JSON Schema `$ref` form used in workflow inputs). */
export function resolveInputsRef(doc: ArazzoDocument, ref: string): Record<string, unknown> | undefined {
  const match = /^#\/components\/inputs\/(.+)$/.exec(ref);
  if (!match?.[1]) return undefined;
  const value = componentMap(doc, 'inputs')?.[match[1].replace(/~1/g, '/').replace(/~0/g, '~')];
  return isRecord(value) ? value : undefined;
}
