/** `arazzo-temporal validate`: the compiler-style checker of src/cli/validate.ts, with the worker's source overrides. */
import { parseRemoteSources, parseSourceOverrides, sourceLocation } from '../../config/index.js';
import { helpOption, jsonOption } from '../args.js';
import type { LocalCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { runValidateCommand } from '../validate.js';

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
