/**
 * PostgreSQL from the machine's packages (Debian: `apt-get install postgresql`, programs under
 * /usr/lib/postgresql/<version>/bin), run as a child process on 127.0.0.1 in a scratch data folder.
 * `initdb` refuses to run as root, so as root the server runs as the unprivileged `postgres` user
 * the Debian package creates (or `ARAZZO_PG_USER`), owning the data folder.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { chown, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { findOnPath, isExecutable, killOnExit, terminate } from '../dev-server/processes.js';

const execFileAsync = promisify(execFile);

export interface PostgresOptions {
  /** The data folder; created with `initdb` when it holds no database yet. */
  dataDir: string;
  port: number;
  /** The superuser created by `initdb`, and its password (password auth over TCP). */
  user: string;
  password: string;
  /** Where the server's log goes. */
  logFile: string;
}

export interface Postgres {
  host: '127.0.0.1';
  port: number;
  pid: number;
  /** Fast shutdown (SIGINT: disconnect clients, checkpoint), SIGKILL after a grace period. */
  stop(): Promise<void>;
}

/** The folder holding `initdb`, `postgres` and `pg_isready`: `ARAZZO_PG_BIN`, Debian's, or PATH. */
export async function findPostgresBin(): Promise<string> {
  const fromEnv = process.env.ARAZZO_PG_BIN;
  if (fromEnv) {
    if (await isExecutable(join(fromEnv, 'postgres'))) return fromEnv;
    throw new Error(`ARAZZO_PG_BIN is set to ${fromEnv}, which has no \`postgres\` program.`);
  }
  const debian = '/usr/lib/postgresql';
  const versions = await readdir(debian).catch(() => [] as string[]);
  for (const version of versions.sort((a, b) => Number(b) - Number(a))) {
    if (await isExecutable(join(debian, version, 'bin', 'initdb'))) return join(debian, version, 'bin');
  }
  const onPath = await findOnPath('initdb');
  if (onPath) return dirname(onPath);
  throw new Error(
    'PostgreSQL is not installed: no initdb under /usr/lib/postgresql/*/bin or on PATH. ' +
      'Install it (Debian: `apt-get install -y postgresql`) or set ARAZZO_PG_BIN to its bin folder.',
  );
}

interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

/** As root, the unprivileged user PostgreSQL must run as; otherwise this process's own user. */
async function runAs(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const name = process.env.ARAZZO_PG_USER ?? 'postgres';
  try {
    const uid = Number((await execFileAsync('id', ['-u', name])).stdout.trim());
    const gid = Number((await execFileAsync('id', ['-g', name])).stdout.trim());
    if (uid === 0) throw new Error(`${name} is root`);
    return { uid, gid, name };
  } catch (error) {
    throw new Error(
      `Running as root, PostgreSQL needs an unprivileged user to run as (initdb refuses root), and ` +
        `user ${JSON.stringify(name)} cannot be used (${(error as Error).message.trim()}). ` +
        "Install Debian's postgresql package (it creates `postgres`) or set ARAZZO_PG_USER.",
      { cause: error },
    );
  }
}

async function tail(file: string, lines = 15): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

async function run(program: string, args: string[], as: RunAs | undefined, what: string): Promise<void> {
  try {
    await execFileAsync(program, args, { ...(as ? { uid: as.uid, gid: as.gid } : {}), cwd: '/' });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${what} failed: ${(e.stderr || e.stdout || e.message).trim()}`, { cause: error });
  }
}

/** Creates the database cluster in `dataDir` unless it has one already. */
async function initialise(bin: string, options: PostgresOptions, as: RunAs | undefined): Promise<void> {
  const hasCluster = await stat(join(options.dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  if (hasCluster) return;
  await rm(options.dataDir, { recursive: true, force: true });
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const pwFile = join(dirname(options.dataDir), `.pgpass-init-${process.pid}`);
  await writeFile(pwFile, `${options.password}\n`, { mode: 0o600 });
  try {
    if (as) {
      await chown(options.dataDir, as.uid, as.gid);
      await chown(pwFile, as.uid, as.gid);
    }
    await run(
      join(bin, 'initdb'),
      [
        '-D',
        options.dataDir,
        '-U',
        options.user,
        `--pwfile=${pwFile}`,
        '--auth-local=peer',
        '--auth-host=scram-sha-256',
        '-E',
        'UTF8',
        '--locale=C',
      ],
      as,
      `initdb in ${options.dataDir}${as ? ` (as ${as.name})` : ''}`,
    ).catch(async (error: Error) => {
      if (as && /Permission denied/i.test(error.message)) {
        throw new Error(
          `${error.message}\nUser ${as.name} must be able to reach ${options.dataDir}: every folder above it needs o+x.`,
          { cause: error },
        );
      }
      throw error;
    });
  } finally {
    await rm(pwFile, { force: true });
  }
}

/** Initialises (first time) and starts PostgreSQL; resolves once it accepts connections. */
export async function startPostgres(options: PostgresOptions): Promise<Postgres> {
  const bin = await findPostgresBin();
  const as = await runAs();
  await mkdir(dirname(options.logFile), { recursive: true });
  await initialise(bin, options, as);

  const log = createWriteStream(options.logFile, { flags: 'a' });
  await new Promise((r) => log.once('open', r));
  // No Unix socket: its path would be limited to 107 bytes and is not needed on loopback TCP.
  const child: ChildProcess = spawn(
    join(bin, 'postgres'),
    [
      '-D',
      options.dataDir,
      '-p',
      String(options.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
    ],
    { ...(as ? { uid: as.uid, gid: as.gid } : {}), cwd: '/', stdio: ['ignore', log, log] },
  );
  killOnExit(child);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = signal ?? `exit code ${code}`;
  });

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      throw new Error(
        `PostgreSQL exited (${exited}) before accepting connections on 127.0.0.1:${options.port}. ` +
          `Last lines of ${options.logFile}:\n${await tail(options.logFile)}`,
      );
    }
    const ready = await execFileAsync(join(bin, 'pg_isready'), [
      '-h',
      '127.0.0.1',
      '-p',
      String(options.port),
      '-U',
      options.user,
      '-d',
      'postgres',
      '-t',
      '2',
    ]).then(
      () => true,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `PostgreSQL did not accept connections on 127.0.0.1:${options.port} within 60 s (log: ${options.logFile}).`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    host: '127.0.0.1',
    port: options.port,
    pid: child.pid ?? -1,
    stop: async () => {
      // SIGINT: PostgreSQL's fast shutdown.
      await terminate(child, 20_000, 'SIGINT');
      log.end();
    },
  };
}
