/**
 * This project's specification extensions, and the names they had before.
 *
 * Arazzo 1.0.1, "Specification Extensions": "Field names beginning `x-oai-`, `x-oas-`, and
 * `x-arazzo` are reserved for uses defined by the OpenAPI Initiative." The extensions were first
 * named `x-arazzo-temporal*`; they are now `x-temporal*` (they say how Temporal runs a document, and
 * no reserved prefix begins that way). The old names are still read, so documents written for
 * earlier releases keep working, and so does every plan already recorded in workflow history
 * (a plan carries the document, step extensions included). Validation warns about old names.
 */

/** Run options on the document, a workflow or a step, and the reserved input key. */
export const RUN_OPTIONS_EXTENSION = 'x-temporal';
/** On an OpenAPI operation: the long-lived resource it creates. */
export const RESOURCE_EXTENSION = 'x-temporal-resource';
/** On an OpenAPI operation: the operation whose resource it reads. */
export const OBSERVES_EXTENSION = 'x-temporal-observes';
/** On an OpenAPI `info`: the credential profile of the API. */
export const CREDENTIALS_EXTENSION = 'x-temporal-credentials';

/** The reserved name an extension had before: `x-temporal-resource` → `x-arazzo-temporal-resource`. */
export function legacyExtensionName(name: string): string {
  return `x-arazzo-${name.slice(2)}`;
}

/** An extension's value and the key it was found under (the current name wins over the old one). */
export interface FoundExtension {
  value: unknown;
  key: string;
  legacy: boolean;
}

/** Reads extension `name` of `owner`, falling back to its old name. */
export function findExtension(owner: unknown, name: string): FoundExtension | undefined {
  if (owner === null || typeof owner !== 'object' || Array.isArray(owner)) return undefined;
  const record = owner as Record<string, unknown>;
  if (record[name] !== undefined) return { value: record[name], key: name, legacy: false };
  const legacy = legacyExtensionName(name);
  if (record[legacy] !== undefined) return { value: record[legacy], key: legacy, legacy: true };
  return undefined;
}

/** The value of extension `name` (or of its old name), undefined when absent. */
export function extensionValue(owner: unknown, name: string): unknown {
  return findExtension(owner, name)?.value;
}
