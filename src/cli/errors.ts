/**
 * The two ways a command ends early: a usage error (exit 2, with a pointer to `--help`) and a
 * problem the user can act on (exit 1 unless told otherwise). Anything else is a bug or an
 * unexpected server answer, reported with its message and exit 1.
 */

/** Bad flags, a missing argument or a wrong setting: exit code 2. */
export class UsageError extends Error {
  /** The command whose `--help` explains the usage; none for top-level problems. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

/** A problem reported as is (no stack), ending the command with `exitCode`. */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** Exit codes of every command. */
export const ExitCode = {
  ok: 0,
  /** The run failed, was cancelled or terminated; or the thing asked about does not exist. */
  failed: 1,
  usage: 2,
  /** Ctrl-C while following a run: the run itself goes on. */
  interrupted: 130,
} as const;
