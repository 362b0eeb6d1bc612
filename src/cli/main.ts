/**
 * The `arazzo-temporal` command line: dispatches to a subcommand, connects to Temporal for the
 * commands that need it (unless a client is injected, as tests do), and turns errors into
 * messages and exit codes (0 ok, 1 failed, 2 usage, 130 interrupted).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { DEFAULT_ADDRESS, DEFAULT_TASK_QUEUE, DEV_SERVER_UI, projectRoot } from '../config/index.js';
import { parseCommandArgs } from './args.js';
import type { Command } from './command.js';
import { cancelCommand } from './commands/cancel.js';
import { catalogCommand } from './commands/catalog.js';
import { listCommand } from './commands/list.js';
import { runCommand } from './commands/run.js';
import { scheduleCommand } from './commands/schedule.js';
import { startCommand } from './commands/start-command.js';
import { statusCommand } from './commands/status.js';
import { validateCommand } from './commands/validate.js';
import { connectClient, resolveConnectionSettings } from './connect.js';
import { CliError, ExitCode, UsageError } from './errors.js';
import type { CliIo } from './output.js';

export const commands: readonly Command[] = [
  runCommand,
  startCommand,
  statusCommand,
  cancelCommand,
  listCommand,
  scheduleCommand,
  catalogCommand,
  validateCommand,
];

/** What {@link runCli} needs; `client` skips connecting (tests inject one). */
export interface CliDependencies extends CliIo {
  client?: Client;
  progressIntervalMs?: number;
}

function version(): string {
  try {
    return (
      (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version?: string }).version ??
      'unknown'
    );
  } catch {
    return 'unknown';
  }
}

export function topLevelHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `arazzo-temporal: run OpenAPI Arazzo workflows (Airbyte syncs and resets) durably on Temporal

Usage: arazzo-temporal <command> [arguments] [--json] [--help]

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

\`arazzo-temporal <command> --help\` shows a command's flags and examples.

Where Temporal is: TEMPORAL_ADDRESS (default ${DEFAULT_ADDRESS}), TEMPORAL_NAMESPACE, TEMPORAL_API_KEY,
TLS and temporal.toml profiles as for the Temporal CLI; TEMPORAL_TASK_QUEUE is the worker's task
queue (default ${DEFAULT_TASK_QUEUE}). ARAZZO_UI_URL (e.g. ${DEV_SERVER_UI}) adds Web UI links.

Exit codes: 0 ok, 1 failed (run failed, not found, errors found), 2 usage or settings error,
130 interrupted (Ctrl-C while following a run; the run goes on).

Examples:
  arazzo-temporal catalog
  arazzo-temporal run trigger-sync-and-poll --input connectionId=9b0e6c1e-6a8f-4a65-a0b4-2f4e1b9c3d21
  arazzo-temporal start reset-and-resync -i connectionId=9b0e6c1e-6a8f-4a65-a0b4-2f4e1b9c3d21
  arazzo-temporal list --status running
  arazzo-temporal cancel <workflowId> --reason "wrong connection"
  arazzo-temporal schedule create trigger-sync-and-poll --id orders-hourly --cron '0 * * * *' -i connectionId=...
  arazzo-temporal validate arazzo/
`;
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? Infinity;
}

/** The closest command name, for "did you mean". */
function suggest(name: string): string | undefined {
  const [best] = commands.map((c) => ({ name: c.name, d: distance(name, c.name) })).sort((a, b) => a.d - b.d);
  return best && best.d <= 2 ? best.name : undefined;
}

/** A namespace the server does not know is a setting to fix, like a bad address. */
function namespaceProblem(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : String(error);
  if (!/namespace .*not found/i.test(message)) return undefined;
  return `${message}\nhint: set TEMPORAL_NAMESPACE (or --namespace) to an existing namespace`;
}

/** Runs one command line; resolves to the exit code and never throws. */
export async function runCli(argv: string[], deps: CliDependencies): Promise<number> {
  const [name, ...rest] = argv;
  const command = commands.find((c) => c.name === name);
  try {
    if (name === undefined) {
      deps.err.write(topLevelHelp());
      return ExitCode.usage;
    }
    if (name === '--help' || name === '-h') {
      deps.out.write(topLevelHelp());
      return ExitCode.ok;
    }
    if (name === 'help') {
      const about = commands.find((c) => c.name === rest[0]);
      if (rest[0] !== undefined && !about) throw new UsageError(`unknown command '${rest[0]}'`);
      deps.out.write(about ? about.help : topLevelHelp());
      return ExitCode.ok;
    }
    if (name === '--version' || name === '-v') {
      deps.out.write(`arazzo-temporal ${version()}\n`);
      return ExitCode.ok;
    }
    if (!command) {
      const hint = suggest(name);
      throw new UsageError(
        `unknown command '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}; commands: ${commands.map((c) => c.name).join(', ')}`,
      );
    }
    const args = parseCommandArgs(command.name, rest, command.options);
    if (args.flag('help')) {
      deps.out.write(command.help);
      return ExitCode.ok;
    }
    if (!command.connects) return await command.run(args, deps);
    const action = await command.prepare(args, deps);
    if (deps.client) return await action({ ...deps, client: deps.client });
    const connected = await connectClient(resolveConnectionSettings(deps.env, args));
    try {
      return await action({ ...deps, client: connected.client });
    } finally {
      await connected.close();
    }
  } catch (error) {
    if (error instanceof UsageError) {
      const about = error.command ?? command?.name;
      deps.err.write(`arazzo-temporal${about ? ` ${about}` : ''}: ${error.message}\n`);
      deps.err.write(`Run 'arazzo-temporal ${about ? `${about.split(' ')[0]} ` : ''}--help' for usage.\n`);
      return ExitCode.usage;
    }
    if (error instanceof CliError) {
      deps.err.write(`arazzo-temporal${command ? ` ${command.name}` : ''}: ${error.message}\n`);
      return error.exitCode;
    }
    const prefix = `arazzo-temporal${command ? ` ${command.name}` : ''}`;
    const namespace = namespaceProblem(error);
    if (namespace) {
      deps.err.write(`${prefix}: ${namespace}\n`);
      return ExitCode.usage;
    }
    deps.err.write(`${prefix}: error: ${error instanceof Error ? error.message : String(error)}\n`);
    return ExitCode.failed;
  }
}
