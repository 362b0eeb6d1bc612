/**
 * Run inputs from flags: `--input-json`/`--input-file` give the object, `--input k=v` sets fields
 * over it, `--option k=v` sets run options (the reserved `x-temporal` field).
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { JsonObject, JsonValue } from '../../arazzo/model.js';
import { RUN_OPTIONS_KEY } from '../../arazzo/options.js';
import type { OptionsConfig, ParsedArgs } from '../args.js';
import { UsageError } from '../errors.js';

export const inputOptions = {
  input: { type: 'string', short: 'i', multiple: true },
  'input-json': { type: 'string' },
  'input-file': { type: 'string' },
  option: { type: 'string', short: 'o', multiple: true },
} as const satisfies OptionsConfig;

export const inputHelp = `Inputs (one JSON object, checked by the worker against the workflow's inputs schema):
  -i, --input key=value   one input; repeatable. Numbers, true/false and null are JSON
                          (jobId=123 is the number 123); anything else is a string (UUIDs too).
                          Force a string with JSON quotes: --input 'name="123"'. JSON objects and
                          arrays work too: --input 'tags=["a","b"]'
  --input-json '{...}'    the whole inputs object as JSON (--input fields are set over it)
  --input-file file       the same from a .json or .yaml file
  -o, --option key=value  a run option (x-temporal): pollIntervalSeconds, waitTimeoutSeconds,
                          executionTimeoutSeconds, onConflict, ...; repeatable`;

/** A strict JSON number: `007` and `1.` stay strings, as do integers beyond 2^53. */
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * The value of `key=value`: JSON scalars when they look like one (numbers, booleans, null), JSON
 * when quoted or bracketed, otherwise the text itself. A UUID never looks like a number.
 */
export function parseInputValue(text: string): JsonValue {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (JSON_NUMBER.test(text)) {
    const n = Number(text);
    const integer = /^-?\d+$/.test(text);
    if (Number.isFinite(n) && (!integer || Number.isSafeInteger(n))) return n;
    return text;
  }
  if (/^["[{]/.test(text)) {
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      return text; // not JSON after all: keep what was typed
    }
  }
  return text;
}

/** Splits `key=value`; the key must be non-empty. */
export function parseAssignment(command: string, flag: string, text: string): [string, JsonValue] {
  const eq = text.indexOf('=');
  const key = eq > 0 ? text.slice(0, eq).trim() : '';
  if (!key) throw new UsageError(`${flag} expects key=value, got '${text}'`, command);
  return [key, parseInputValue(text.slice(eq + 1))];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function baseInputs(command: string, args: ParsedArgs): Promise<JsonObject> {
  const json = args.string('input-json');
  const file = args.string('input-file');
  if (json !== undefined && file !== undefined) {
    throw new UsageError('give --input-json or --input-file, not both', command);
  }
  let parsed: unknown = {};
  if (json !== undefined) {
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      throw new UsageError(`--input-json is not valid JSON: ${(error as Error).message}`, command);
    }
  } else if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new UsageError(
        `--input-file: cannot read '${file}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        command,
      );
    }
    try {
      parsed = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
    } catch (error) {
      throw new UsageError(
        `--input-file '${file}' is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(error as Error).message}`,
        command,
      );
    }
  }
  if (!isObject(parsed))
    throw new UsageError(`the inputs must be a JSON object, got ${JSON.stringify(parsed)}`, command);
  return parsed;
}

/** The inputs object the flags describe. */
export async function readInputs(command: string, args: ParsedArgs): Promise<JsonObject> {
  const inputs = await baseInputs(command, args);
  for (const text of args.strings('input')) {
    const [key, value] = parseAssignment(command, '--input', text);
    inputs[key] = value;
  }
  const options = args.strings('option');
  if (options.length > 0) {
    const existing = inputs[RUN_OPTIONS_KEY];
    if (existing !== undefined && !isObject(existing)) {
      throw new UsageError(`inputs.${RUN_OPTIONS_KEY} must be an object to add --option to it`, command);
    }
    const runOptions: JsonObject = { ...(existing ?? {}) };
    for (const text of options) {
      const [key, value] = parseAssignment(command, '--option', text);
      runOptions[key] = value;
    }
    inputs[RUN_OPTIONS_KEY] = runOptions;
  }
  return inputs;
}
