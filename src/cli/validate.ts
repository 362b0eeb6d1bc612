/**
 * `arazzo-temporal validate <files or folders...>`: validates documents and prints diagnostics
 * like a compiler. Exit code 1 when any error is found; warnings alone exit 0.
 */
import { stat } from 'node:fs/promises';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnostic, RemoteSettings } from '../catalog/index.js';
import {
  formatDiagnostic,
  isArazzoFileName,
  loadArazzoDocument,
  sortDiagnostics,
  validateDocument,
} from '../catalog/index.js';

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
