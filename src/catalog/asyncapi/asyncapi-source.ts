/**
 * AsyncAPI source descriptions (Arazzo 1.1.0 `type: asyncapi`), read so that receive steps can be
 * checked against them: the file is read and parsed like every other document (files.ts,
 * parsed-source.ts, so problems carry a line), and its operations are looked up by id and its
 * channels by JSON pointer. Only AsyncAPI 3.x is read: its Operation Object has the `action`
 * (`send` or `receive`) that a receive step must match; 2.x has no such field.
 */
import { parsePointer } from '../../arazzo/json-pointer.js';
import { readDocument } from '../files.js';
import { isRecord } from '../openapi/openapi-refs.js';
import { parseSource, type ParsedSource } from '../parsed-source.js';
import type { RemoteSettings } from '../remote.js';

/** A parsed AsyncAPI 3.x description. */
export interface AsyncApiDescription {
  /** Where it was read from (a path or the URL after redirects). */
  file: string;
  source: ParsedSource;
  /** The `operations` object (empty when absent). */
  operations: Record<string, unknown>;
}

/** The outcome of reading an AsyncAPI description: the description, or why not (unreadable, not AsyncAPI 3). */
export type AsyncApiLoad =
  { ok: true; api: AsyncApiDescription } | { ok: false; unreadable: boolean; message: string };

/** Reads and parses an AsyncAPI description; never throws. */
export async function loadAsyncApi(
  target: string,
  remote: RemoteSettings | undefined,
): Promise<AsyncApiLoad> {
  const read = await readDocument(target, remote);
  if ('error' in read) return { ok: false, unreadable: true, message: read.error };
  const file = read.url ?? target;
  const parsed = parseSource(file, read.bytes);
  const [first] = parsed.diagnostics;
  if (first)
    return {
      ok: false,
      unreadable: false,
      message: `${file} cannot be read as AsyncAPI: ${first.message} (line ${first.line})`,
    };
  const root = parsed.source.value;
  const version = isRecord(root) ? root.asyncapi : undefined;
  if (typeof version !== 'string' || !/^3\./.test(version))
    return {
      ok: false,
      unreadable: false,
      message: `${file} is not an AsyncAPI 3.x description (asyncapi: ${JSON.stringify(version ?? null)}, line ${parsed.source.positionOf(['asyncapi']).line})`,
    };
  const operations = isRecord(root) && isRecord(root.operations) ? root.operations : {};
  return { ok: true, api: { file, source: parsed.source, operations } };
}

/** An operation of the description: its `action` and the line it is declared on. */
export function findAsyncOperation(
  api: AsyncApiDescription,
  operationId: string,
): { action: unknown; line: number } | undefined {
  if (!Object.hasOwn(api.operations, operationId)) return undefined;
  const operation = api.operations[operationId];
  return {
    action: isRecord(operation) ? operation.action : undefined,
    line: api.source.positionOf(['operations', operationId]).line,
  };
}

/** True when the JSON pointer (`/channels/<name>`) names a channel of the description. */
export function hasChannel(api: AsyncApiDescription, pointer: string): boolean {
  let tokens: string[];
  try {
    tokens = parsePointer(pointer);
  } catch {
    return false;
  }
  if (tokens.length !== 2 || tokens[0] !== 'channels') return false;
  const root = api.source.value;
  const channels = isRecord(root) && isRecord(root.channels) ? root.channels : {};
  return Object.hasOwn(channels, tokens[1]!) && isRecord(channels[tokens[1]!]);
}
