/**
 * JSON paths as arrays of segments, and their `$.a[0].b` spelling used in diagnostics.
 */

/** A location inside a parsed document: property names and array indexes from the root. */
export type PathSegments = ReadonlyArray<string | number>;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Spells segments as a JSON path: `$.workflows[0].steps[1]`; odd keys are bracket-quoted. */
export function formatJsonPath(segments: PathSegments): string {
  let out = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += `.${segment}`;
    else out += `['${segment.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
  }
  return out;
}

/** Splits an RFC 6901 JSON Pointer (`/a/0/b~1c`) into segments; numeric segments stay strings. */
export function pointerToSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Turns Ajv's instance pointer into segments, making array indexes numbers where the data has arrays. */
export function instancePointerToSegments(pointer: string, data: unknown): Array<string | number> {
  const out: Array<string | number> = [];
  let node: unknown = data;
  for (const raw of pointerToSegments(pointer)) {
    if (Array.isArray(node) && /^\d+$/.test(raw)) {
      const index = Number(raw);
      out.push(index);
      node = node[index];
    } else {
      out.push(raw);
      node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[raw] : undefined;
    }
  }
  return out;
}
