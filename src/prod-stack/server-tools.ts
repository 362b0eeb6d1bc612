/**
 * Finds, or builds once from the Go module proxy, the programs of the production topology: the
 * Temporal server (`go.temporal.io/server/cmd/server`), its SQL schema tool (`cmd/tools/sql`,
 * named `temporal-sql-tool` as Temporal's own Makefile names it) and the standalone Web UI server
 * (`github.com/temporalio/ui-server/v2/cmd/server`, the same module the Temporal CLI embeds). The
 * PostgreSQL schema files come from the server module itself (`schema/postgresql/v12`), read from
 * the Go module cache after `go mod download`, so schema and server always match.
 *
 * Both modules' go.mod files at these versions have no `replace` directive, so `go install
 * module/cmd@version` builds them. The results are kept in `.tools/` and in
 * `~/.cache/arazzo-temporal`, like the CLI (src/dev-server/temporal-cli.ts).
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { copyAtomically, goInstall } from '../dev-server/go-install.js';
import { findOnPath, isExecutable } from '../dev-server/processes.js';
import { projectRoot } from '../config/project-root.js';

const execFileAsync = promisify(execFile);

/**
 * The server version docker-compose.yml pins (`temporalio/server`), the same as the dev server in
 * the Temporal CLI v1.5.1 ("Server 1.29.1"); test/unit/docker-compose.test.ts keeps them equal.
 */
export const TEMPORAL_SERVER_VERSION = '1.29.1';
/** The Web UI version docker-compose.yml pins (`temporalio/ui`), and the one CLI v1.5.1 embeds. */
export const TEMPORAL_UI_VERSION = '2.42.1';

export const TEMPORAL_SERVER_MODULE = 'go.temporal.io/server';
export const TEMPORAL_UI_MODULE = 'github.com/temporalio/ui-server/v2';

/** Where the built programs and schema live in a cache folder. */
const folderName = `temporal-server-v${TEMPORAL_SERVER_VERSION}`;
export const toolsDir = join(projectRoot, '.tools', folderName);
export const machineToolsDir = join(
  process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'),
  'arazzo-temporal',
  folderName,
);

export interface ServerTools {
  /** `temporal-server` */
  server: string;
  /** `temporal-sql-tool` */
  sqlTool: string;
  /** `temporal-ui-server`, or why there is none. */
  uiServer: string | { missing: string };
  /** `schema/postgresql/v12` of the server module: `temporal/versioned`, `visibility/versioned`. */
  postgresSchemaDir: string;
}

const layout = (dir: string) => ({
  server: join(dir, 'bin', 'temporal-server'),
  sqlTool: join(dir, 'bin', 'temporal-sql-tool'),
  uiServer: join(dir, 'bin', 'temporal-ui-server'),
  postgresSchemaDir: join(dir, 'schema', 'postgresql', 'v12'),
});

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function complete(dir: string): Promise<ServerTools | undefined> {
  const paths = layout(dir);
  if (!(await isExecutable(paths.server)) || !(await isExecutable(paths.sqlTool))) return undefined;
  if (!(await exists(join(paths.postgresSchemaDir, 'temporal', 'versioned')))) return undefined;
  const ui = (await isExecutable(paths.uiServer))
    ? paths.uiServer
    : { missing: `no ${paths.uiServer} (its build failed or was skipped; see the build log)` };
  return { ...paths, uiServer: ui };
}

export interface FindServerToolsOptions {
  /** Build with `go install` when nothing is cached (default true). */
  build?: boolean;
  log?: (line: string) => void;
}

/** The production topology's programs: cached in `.tools/`, then `~/.cache`, else built. */
export async function findServerTools(options: FindServerToolsOptions = {}): Promise<ServerTools> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  for (const dir of [toolsDir, machineToolsDir]) {
    const found = await complete(dir);
    if (found) return found;
  }
  if (options.build === false) {
    throw new Error(
      `The Temporal server ${TEMPORAL_SERVER_VERSION} is not built (looked in ${toolsDir} and ${machineToolsDir}). ` +
        'Run `npm run stack:install`.',
    );
  }
  const go = await findOnPath('go');
  if (!go) {
    throw new Error(
      `The Temporal server ${TEMPORAL_SERVER_VERSION} is not built and there is no Go toolchain to build it ` +
        `(${TEMPORAL_SERVER_MODULE}/cmd/server). Install Go 1.25 or newer (https://go.dev/dl).`,
    );
  }
  await buildServerTools(go, log);
  const built = await complete(toolsDir);
  if (!built) throw new Error(`The build finished but ${toolsDir} is incomplete.`);
  return built;
}

/** `go mod download -json module@version` → the module's folder in the Go module cache. */
async function moduleDir(go: string, moduleAtVersion: string): Promise<string> {
  const { stdout } = await execFileAsync(go, ['mod', 'download', '-json', moduleAtVersion], {
    cwd: projectRoot,
    maxBuffer: 1 << 20,
  });
  const info = JSON.parse(stdout) as { Dir?: string; Error?: string };
  if (!info.Dir)
    throw new Error(`go mod download ${moduleAtVersion}: ${info.Error ?? 'no Dir in its answer'}`);
  return info.Dir;
}

async function buildServerTools(go: string, log: (line: string) => void): Promise<void> {
  const server = `${TEMPORAL_SERVER_MODULE}@v${TEMPORAL_SERVER_VERSION}`;
  const paths = layout(toolsDir);
  const scratch = join(toolsDir, `build-${process.pid}`);
  log(
    `Building the Temporal server ${TEMPORAL_SERVER_VERSION} and temporal-sql-tool into ${toolsDir}; this takes several minutes once…`,
  );
  let started = Date.now();
  // Both programs are called after their folder by `go install` (server, sql): built apart, renamed.
  await goInstall(
    go,
    [
      `${TEMPORAL_SERVER_MODULE}/cmd/server@v${TEMPORAL_SERVER_VERSION}`,
      `${TEMPORAL_SERVER_MODULE}/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`,
    ],
    join(scratch, 'server'),
  );
  await mkdir(join(toolsDir, 'bin'), { recursive: true });
  await rename(join(scratch, 'server', 'server'), paths.server);
  await rename(join(scratch, 'server', 'sql'), paths.sqlTool);
  log(`Built temporal-server and temporal-sql-tool in ${Math.round((Date.now() - started) / 1000)} s.`);

  const dir = await moduleDir(go, server);
  await rm(paths.postgresSchemaDir, { recursive: true, force: true });
  await cp(join(dir, 'schema', 'postgresql', 'v12'), paths.postgresSchemaDir, { recursive: true });

  started = Date.now();
  try {
    await goInstall(go, [`${TEMPORAL_UI_MODULE}/cmd/server@v${TEMPORAL_UI_VERSION}`], join(scratch, 'ui'));
    await rename(join(scratch, 'ui', 'server'), paths.uiServer);
    log(`Built temporal-ui-server ${TEMPORAL_UI_VERSION} in ${Math.round((Date.now() - started) / 1000)} s.`);
  } catch (error) {
    log(`Could not build the Web UI server (${String(error)}); the stack runs without a Web UI.`);
  }
  await rm(scratch, { recursive: true, force: true });

  try {
    const machine = layout(machineToolsDir);
    await rm(machine.postgresSchemaDir, { recursive: true, force: true });
    await cp(paths.postgresSchemaDir, machine.postgresSchemaDir, { recursive: true });
    if (await isExecutable(paths.uiServer)) await copyAtomically(paths.uiServer, machine.uiServer);
    await copyAtomically(paths.sqlTool, machine.sqlTool);
    // The server last: it is what marks the machine cache complete.
    await copyAtomically(paths.server, machine.server);
  } catch (error) {
    log(`Could not keep a copy in ${machineToolsDir} (${String(error)}); the next clone builds again.`);
  }
}
