/**
 * `arazzo-temporal validate <files or folders...>`: validates documents and prints diagnostics
 * like a compiler, with the worker's source overrides. Exit code 1 when any error is found;
 * warnings alone exit 0.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnostic, RemoteSettings } from '../../catalog/index.js';
import {
  formatDiagnostic,
  isArazzoFileName,
  loadArazzoDocument,
  sortDiagnostics,
  validateDocument,
} from '../../catalog/index.js';
import { parseRemoteSources, parseSourceOverrides, sourceLocation } from '../../config/index.js';
import { helpOption, jsonOption } from '../args.js';
import type { LocalCommand } from '../command.js';
import { UsageError } from '../errors.js';

export const validateCommand: LocalCommand = {
  name: 'validate',
  summary: 'check Arazzo documents (files or folders) like a compiler',
  connects: false,
  options: {
    ...helpOption,
    ...jsonOption,
    source: { type: 'string', multiple: true },
    offline: { type: 'boolean' },
  },
  help: `Usage: arazzo-temporal validate <file.arazzo.yaml | folder>... [--source name=path-or-url] [--offline] [--json]

Checks documents the way the worker does at start-up and prints file:line:column diagnostics.
Exit code 1 when any error is found (warnings alone exit 0), 2 for usage errors.

Source descriptions resolve as for the worker: the bundled Airbyte description serves sources
named airbyteApi, ARAZZO_SOURCE_DESCRIPTIONS overrides others, and --source overrides both.
Remote (http/https) sources are fetched from hosts listed in ARAZZO_REMOTE_HOSTS (none by
default), unless ARAZZO_REMOTE_SOURCES=off or --offline.

  --source name=location  where the source description <name> is; repeatable
  --offline               never fetch remote sources (each is reported as an error)
  --json                  {files, diagnostics, errors, warnings}
  -h, --help              this help

Examples:
  arazzo-temporal validate arazzo/
  arazzo-temporal validate my-flow.arazzo.yaml --source airbyteApi=./openapi/airbyte-openapi.yml
`,
  async run(args, ctx) {
    // Only the variables validate uses: an unrelated bad worker setting must not change the sources.
    const problems: string[] = [];
    const sourceOverrides = parseSourceOverrides(ctx.env.ARAZZO_SOURCE_DESCRIPTIONS, problems);
    const remote = parseRemoteSources(ctx.env, problems);
    if (problems.length > 0) throw new UsageError(problems.join('; '), 'validate');
    if (args.flag('offline')) remote.enabled = false;
    for (const entry of args.strings('source')) {
      const eq = entry.indexOf('=');
      if (eq <= 0 || eq === entry.length - 1)
        throw new UsageError(`--source expects name=path-or-url, got '${entry}'`, 'validate');
      sourceOverrides[entry.slice(0, eq)] = sourceLocation(entry.slice(eq + 1));
    }
    if (args.positionals.length === 0) throw new UsageError('missing <file or folder>', 'validate');
    return runValidateCommand(args.positionals, {
      json: args.flag('json'),
      sourceOverrides,
      remote,
      out: ctx.out,
      err: ctx.err,
    });
  },
};

/** Where output goes; `process.stdout`/`process.stderr` by default. */
interface Sink {
  write(text: string): unknown;
}

/** Options for {@link runValidateCommand}. */
export interface ValidateCommandOptions {
  sourceOverrides?: Record<string, string>;
  /** How remote sources are fetched (allow-list, on/off); absent: refused. */
  remote?: RemoteSettings;
  /** Print one JSON object `{ files, diagnostics, errors, warnings }` instead of text lines. */
  json?: boolean;
  out?: Sink;
  err?: Sink;
}

/** Expands folders into the Arazzo documents they contain; files are taken as given. */
async function expand(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory()) {
      const entries = await readdir(path);
      files.push(
        ...entries
          .filter(isArazzoFileName)
          .sort()
          .map((name) => join(path, name)),
      );
    } else {
      files.push(path); // a missing file is reported by the loader as a diagnostic
    }
  }
  return files;
}

/** Validates `files` (files or folders) and prints the result; resolves to the exit code. */
export async function runValidateCommand(
  files: string[],
  opts: ValidateCommandOptions = {},
): Promise<number> {
  const out = opts.out ?? process.stdout;
  const err = opts.err ?? process.stderr;
  if (files.length === 0) {
    err.write('usage: arazzo-temporal validate <file.arazzo.yaml | folder>... [--source name=path]\n');
    return 2;
  }
  const expanded = await expand(files);
  const diagnostics: Diagnostic[] = [];
  for (const file of expanded) {
    const loaded = await loadArazzoDocument(file, {
      ...(opts.sourceOverrides ? { sourceOverrides: opts.sourceOverrides } : {}),
      ...(opts.remote ? { remote: opts.remote } : {}),
    });
    diagnostics.push(...validateDocument(loaded));
  }
  const sorted = sortDiagnostics(diagnostics);
  const errors = sorted.filter((d) => d.severity === 'error').length;
  const warnings = sorted.length - errors;
  if (opts.json) {
    out.write(`${JSON.stringify({ files: expanded, diagnostics: sorted, errors, warnings }, null, 2)}\n`);
  } else {
    for (const d of sorted) out.write(`${formatDiagnostic(d)}\n`);
    const summary = `${expanded.length} ${expanded.length === 1 ? 'document' : 'documents'}: ${errors} ${errors === 1 ? 'error' : 'errors'}, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`;
    (errors > 0 ? err : out).write(`${summary}\n`);
  }
  return errors > 0 ? 1 : 0;
}
