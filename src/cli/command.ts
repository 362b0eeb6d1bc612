/** The shape of a subcommand: its flags, its help, and whether it needs a Temporal client. */
import type { OptionsConfig, ParsedArgs } from './args.js';
import type { CliContext, CliIo } from './output.js';

interface CommandBase {
  name: string;
  /** One line for the top-level help. */
  summary: string;
  /** The full `--help` text: usage, flags, examples. */
  help: string;
  options: OptionsConfig;
}

/** A command that talks to Temporal: the dispatcher connects first (or uses an injected client). */
export interface ClientCommand extends CommandBase {
  connects: true;
  run(args: ParsedArgs, ctx: CliContext): Promise<number>;
}

/** A command that works offline (validate, catalog). */
export interface LocalCommand extends CommandBase {
  connects: false;
  run(args: ParsedArgs, ctx: CliIo): Promise<number>;
}

export type Command = ClientCommand | LocalCommand;
