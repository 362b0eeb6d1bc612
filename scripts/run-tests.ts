/**
 * `npm test`: runs every unit and integration test with Node's test runner against a real Temporal
 * dev server. When TEMPORAL_ADDRESS is not set it starts its own server (building the Temporal CLI
 * once if needed) and stops it afterwards, whatever the tests did.
 *
 * Usage: npm test [-- <test files or folders>]
 */
import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { startDevServer, type DevServer } from '../src/dev-server/dev-server.js';
import { projectRoot } from '../src/dev-server/temporal-cli.js';

async function collectTests(target: string): Promise<string[]> {
  const info = await stat(target);
  if (info.isFile()) return [target];
  const files: string[] = [];
  for (const entry of (await readdir(target, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const path = join(target, entry.name);
    if (entry.isDirectory()) files.push(...(await collectTests(path)));
    else if (entry.name.endsWith('.test.ts')) files.push(path);
  }
  return files;
}

async function main(): Promise<number> {
  const targets = process.argv.slice(2);
  const roots =
    targets.length > 0
      ? targets
      : [join(projectRoot, 'test', 'unit'), join(projectRoot, 'test', 'integration')];
  const files: string[] = [];
  for (const root of roots) files.push(...(await collectTests(root)));

  let server: DevServer | undefined;
  const env = { ...process.env };
  if (!env.TEMPORAL_ADDRESS) {
    server = await startDevServer({ headless: true });
    env.TEMPORAL_ADDRESS = server.address;
    if (server.kind === 'java-test-server') {
      process.stdout.write(`FALLBACK Java test server serving at ${server.address} (pid ${server.pid})\n`);
    } else {
      env.TEMPORAL_CLI_PATH ??= server.cliPath;
      const { execFileSync } = await import('node:child_process');
      const version = execFileSync(server.cliPath, ['--version']).toString().trim();
      process.stdout.write(
        `Temporal dev server ${version} serving at ${server.address} (pid ${server.pid})\n`,
      );
    }
  } else {
    process.stdout.write(`Using the Temporal server at ${env.TEMPORAL_ADDRESS}\n`);
  }

  const stopServer = async () => {
    if (server) await server.stop();
    server = undefined;
  };
  const code = await new Promise<number>((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-reporter=spec', ...files.map((f) => relative(process.cwd(), f))],
      { stdio: 'inherit', env },
    );
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });
  await stopServer();
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
