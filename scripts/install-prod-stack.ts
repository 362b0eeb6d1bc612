/**
 * `npm run stack:install`: finds or builds what `npm run stack:prod` and the production-topology
 * tests need (temporal-server, temporal-sql-tool, temporal-ui-server, the PostgreSQL schema), checks
 * that PostgreSQL is installed, and prints where each piece is.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { findPostgresBin } from '../src/prod-stack/postgres.js';
import { findServerTools } from '../src/prod-stack/server-tools.js';

const started = Date.now();
const tools = await findServerTools();
const pgBin = await findPostgresBin();
const lines = [
  `temporal-server     ${tools.server} (${execFileSync(tools.server, ['--version']).toString().trim()})`,
  `temporal-sql-tool   ${tools.sqlTool}`,
  `temporal-ui-server  ${typeof tools.uiServer === 'string' ? tools.uiServer : `none: ${tools.uiServer.missing}`}`,
  `schema              ${tools.postgresSchemaDir}`,
  `PostgreSQL          ${pgBin} (${execFileSync(join(pgBin, 'postgres'), ['--version']).toString().trim()})`,
  `ready in ${Math.round((Date.now() - started) / 1000)} s`,
];
process.stdout.write(`${lines.join('\n')}\n`);
