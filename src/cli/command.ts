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

/** What a client command does once connected. */
export type ConnectedAction = (ctx: CliContext) => Promise<number>;

/**
 * A command that talks to Temporal. `prepare` checks the arguments first, so a usage error never
 * waits for a connection; the dispatcher then connects (or uses an injected client) and runs the
 * action it returned.
 */
export interface ClientCommand extends CommandBase {
  connects: true;
  prepare(args: ParsedArgs, io: CliIo): Promise<ConnectedAction>;
}

/** A command that works offline (validate, catalog). */
export interface LocalCommand extends CommandBase {
  connects: false;
  run(args: ParsedArgs, ctx: CliIo): Promise<number>;
}

export type Command = ClientCommand | LocalCommand;
