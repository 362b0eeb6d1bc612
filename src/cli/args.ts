/**
 * Flag parsing for every command, on `node:util` parseArgs: strict (an unknown flag is a usage
 * error), with the flags shared by commands that talk to Temporal.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_ADDRESS, DEFAULT_NAMESPACE, DEFAULT_TASK_QUEUE } from '../config/index.js';
import { UsageError } from './errors.js';

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
type Value = string | boolean | Array<string | boolean> | undefined;

/** Parsed flags and positionals, with typed readers. */
export interface ParsedArgs {
  positionals: string[];
  /** The last value of a string flag. */
  string(name: string): string | undefined;
  /** Every value of a repeatable string flag, in order. */
  strings(name: string): string[];
  flag(name: string): boolean;
}

/** `--help`/`-h` and `--json`: on every command. */
export const helpOption = { help: { type: 'boolean', short: 'h' } } as const satisfies OptionsConfig;
export const jsonOption = { json: { type: 'boolean' } } as const satisfies OptionsConfig;

/** Where the Temporal server is; each overrides its TEMPORAL_* variable. */
export const connectionOptions = {
  address: { type: 'string' },
  namespace: { type: 'string' },
  profile: { type: 'string' },
  'task-queue': { type: 'string' },
} as const satisfies OptionsConfig;

/** Help text for {@link connectionOptions}. */
export const connectionHelp = `Connection (flags override the environment, read the Temporal way by @temporalio/envconfig):
  --address host:port     TEMPORAL_ADDRESS (default ${DEFAULT_ADDRESS})
  --namespace name        TEMPORAL_NAMESPACE (default "${DEFAULT_NAMESPACE}")
  --profile name          TEMPORAL_PROFILE: a profile of temporal.toml (TEMPORAL_CONFIG_FILE)
  --task-queue name       TEMPORAL_TASK_QUEUE: the worker's task queue (default "${DEFAULT_TASK_QUEUE}")
  TEMPORAL_API_KEY, TEMPORAL_TLS, TEMPORAL_TLS_CLIENT_CERT_PATH, ... work as in the Temporal CLI.`;

/** Parses `argv` for `command`; unknown flags and missing values are usage errors. */
export function parseCommandArgs(command: string, argv: string[], options: OptionsConfig): ParsedArgs {
  let parsed: { values: Record<string, Value>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (error) {
    // parseArgs explains itself ("Unknown option '--x'", "Option '--id <value>' argument missing").
    throw new UsageError((error as Error).message.split('\n')[0] ?? String(error), command);
  }
  const { values, positionals } = parsed;
  const all = (name: string): Array<string | boolean> => {
    const v = values[name];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  };
  return {
    positionals,
    string: (name) => {
      const last = all(name).at(-1);
      return typeof last === 'string' ? last : undefined;
    },
    strings: (name) => all(name).filter((v): v is string => typeof v === 'string'),
    flag: (name) => all(name).at(-1) === true,
  };
}

/** Exactly `names.length` positionals, named in the error when one is missing or extra. */
export function expectPositionals(command: string, args: ParsedArgs, names: string[]): string[] {
  if (args.positionals.length < names.length) {
    throw new UsageError(`missing <${names[args.positionals.length]}>`, command);
  }
  if (args.positionals.length > names.length) {
    throw new UsageError(`unexpected argument '${args.positionals[names.length]}'`, command);
  }
  return args.positionals;
}

/** A positive integer flag, or `fallback` when absent. */
export function positiveInteger(command: string, args: ParsedArgs, name: string, fallback: number): number {
  const raw = args.string(name);
  if (raw === undefined) return fallback;
  if (!/^[1-9]\d*$/.test(raw))
    throw new UsageError(`--${name} expects a positive whole number, got '${raw}'`, command);
  return Number(raw);
}
