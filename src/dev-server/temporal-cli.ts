/**
 * Finds the Temporal CLI (which carries the dev server), building it from the Go module proxy when
 * it is nowhere to be found. The SDK's own download of a server binary cannot work on machines that
 * reach only package registries, so the build is the way in; the result is cached in `.tools/bin`.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../config/project-root.js';
import { copyAtomically, goInstall } from './go-install.js';
import { findOnPath, isExecutable } from './processes.js';

/** v1.5.1 is the newest CLI tag whose go.mod has no `replace` directive, so `go install` works. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

/** Where a built CLI is kept in the work tree (ignored by git). */
export const toolsBinDir = join(projectRoot, '.tools', 'bin');

/**
 * A second copy outside the work tree, so a fresh clone on the same machine (CI) reuses the build
 * instead of spending minutes on it again.
 */
export const userCacheDir = join(
  process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'),
  'arazzo-temporal',
  'temporal-cli-v1.5.1',
);

export interface FindTemporalCliOptions {
  /** Build the CLI with `go install` when it is not found (default true). */
  build?: boolean;
  /** Where progress is reported (default: stderr). */
  log?: (line: string) => void;
}

/**
 * Returns the path of a `temporal` binary: `TEMPORAL_CLI_PATH`, then the cached build, then PATH,
 * then a fresh build with `go install` into `.tools/bin`.
 */
export async function findTemporalCli(options: FindTemporalCliOptions = {}): Promise<string> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (await isExecutable(fromEnv)) return fromEnv;
    throw new Error(`TEMPORAL_CLI_PATH is set to ${fromEnv}, which is not an executable file.`);
  }
  const cached = join(toolsBinDir, 'temporal');
  if (await isExecutable(cached)) return cached;
  const machineCached = join(userCacheDir, 'temporal');
  if (await isExecutable(machineCached)) return machineCached;
  const onPath = await findOnPath('temporal');
  if (onPath) return onPath;
  if (options.build === false) {
    throw new Error(
      'No Temporal CLI found (TEMPORAL_CLI_PATH, .tools/bin/temporal or PATH). Run `npm run temporal:install`.',
    );
  }
  const go = await findOnPath('go');
  if (!go) {
    throw new Error(
      'No Temporal CLI found and no Go toolchain to build one. Install Go (https://go.dev/dl) or set ' +
        'TEMPORAL_CLI_PATH to a `temporal` binary, or TEMPORAL_ADDRESS to a running server.',
    );
  }
  await buildTemporalCli(go, log);
  return cached;
}

async function buildTemporalCli(go: string, log: (line: string) => void): Promise<void> {
  log(
    `Building the Temporal CLI (${TEMPORAL_CLI_MODULE}) into ${toolsBinDir}; this takes a few minutes once…`,
  );
  const started = Date.now();
  await goInstall(go, [TEMPORAL_CLI_MODULE], toolsBinDir);
  log(`Built the Temporal CLI in ${Math.round((Date.now() - started) / 1000)} s.`);
  try {
    await copyAtomically(join(toolsBinDir, 'temporal'), join(userCacheDir, 'temporal'));
  } catch (error) {
    log(`Could not keep a copy in ${userCacheDir} (${String(error)}); the next clone builds again.`);
  }
}
