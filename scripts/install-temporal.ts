/** `npm run temporal:install`: finds or builds the Temporal CLI and prints its path and version. */
import { execFileSync } from 'node:child_process';
import { findTemporalCli } from '../src/dev-server/temporal-cli.js';

const cli = await findTemporalCli();
process.stdout.write(`${cli}\n${execFileSync(cli, ['--version']).toString()}`);
