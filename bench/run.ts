/**
 * `npm run bench`: starts its own Temporal dev server (SQLite file, --log-level error), the Airbyte
 * simulator and worker processes on loopback, runs the scenarios, and writes the raw results
 * (bench/results/latest.json) and the report (docs/benchmarks.md).
 *
 *   npm run bench                          all scenarios (about 20 minutes on two cores)
 *   npm run bench -- --quick               small N, for a smoke run
 *   npm run bench -- --scenario history    one scenario (repeat or comma-separate for more):
 *                                          startup, history, activations, scale, limit, long-run, prod-server, peers, wait,
 *                                          burst (limit and burst only when named)
 *   --sizes 100,1000   scale (and peers) sizes   --no-profile   no worker CPU profile   --keep   keep the scratch folder
 *   --no-bare          scale without the bare loop
 *   --floor            scale also runs the SDK floor (bench/floor: the same history shape, hand-written)
 *   --activity-polling scale also runs the engine with pollIn: 'activity'
 *   --no-timer         scale without the engine's default (timer) design, e.g. with --activity-polling alone
 *   --worker-options '{"nonStickyToStickyPollRatio":0.5}'   ARAZZO_WORKER_OPTIONS of the worker processes
 *   --worker-node-options '--max-semi-space-size=64'   NODE_OPTIONS of the worker processes
 *   --sqlite-pragmas journal_mode=DELETE,synchronous=FULL   the dev server's SQLite pragmas, over the
 *                      project's (DEV_SERVER_SQLITE_PRAGMAS: WAL, synchronous=NORMAL)
 *   --reps N           start-ups per variant in the startup scenario (default 3)
 *   --worker compiled|tsx   how worker processes run (default: `node dist/src/worker.js` when the
 *                      build is newer than src/, else tsx)
 *   --write            also write the repository's result files for a quick or partial run
 *
 * A quick or partial run writes its results next to the scratch folder (path printed) instead of
 * over the full run's files, unless --write is given.
 *
 * `peers` runs Airflow's Airbyte trigger and sensor (bench/peers/) on the same simulator with the
 * scale scenario's N and interval; it is skipped, with the reason in the results, when
 * `npm run bench:peers:install` has not been run.
 */
import { mkdtempSync, rmSync, writeFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import prettier from 'prettier';
import { sqlitePragmaSettings, startDevServer, type DevServer } from '../src/dev-server/dev-server.js';
import { projectRoot } from '../src/config/project-root.js';
import { startSimulator, type Simulator } from '../simulator/server.js';
import type { BenchContext } from './lib/context.js';
import { machineInfo } from './lib/machine.js';
import { describeWorkerProgram, setWorkerProgram, type WorkerProgram } from './lib/worker-process.js';
import { runPeers } from './peers/airflow.js';
import { renderReport, type BenchResults } from './report.js';
import { runActivations } from './scenarios/activations.js';
import { runHistoryCost } from './scenarios/history-cost.js';
import { runLongRun } from './scenarios/long-run.js';
import { runProdServer } from './scenarios/prod-server.js';
import { runScale } from './scenarios/scale.js';
import { runStartup } from './scenarios/startup.js';
import { runWaitCost, type WaitCostResult } from './scenarios/wait-cost.js';
import { runBurst } from './scenarios/burst.js';
import { POLL_HEARTBEAT_TIMEOUT_SECONDS } from '../src/workflows/poll-in-activity.js';

const SCENARIOS = [
  'startup',
  'history',
  'activations',
  'scale',
  'limit',
  'long-run',
  'prod-server',
  'peers',
  'wait',
  'burst',
] as const;
type ScenarioName = (typeof SCENARIOS)[number];

interface Args {
  quick: boolean;
  scenarios: ScenarioName[];
  partial: boolean;
  sizes?: number[];
  profile: boolean;
  keep: boolean;
  write: boolean;
  bare: boolean;
  floor: boolean;
  activity: boolean;
  /** scale runs the engine's default (timer) design; `--no-timer` leaves it out */
  timer: boolean;
  worker?: WorkerProgram;
  workerOptions?: string;
  /** NODE_OPTIONS of the worker processes (V8 heap flags, for example) */
  workerNodeOptions?: string;
  /** `--sqlite-pragmas journal_mode=DELETE,synchronous=FULL`: the dev server's, over the project's defaults. */
  sqlitePragmas?: Record<string, string>;
  /** start-ups per variant in the startup scenario (default 3, quick 1) */
  reps?: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    quick: false,
    scenarios: [],
    partial: false,
    profile: true,
    keep: false,
    write: false,
    bare: true,
    floor: false,
    activity: false,
    timer: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') args.quick = true;
    else if (a === '--scenario') {
      for (const name of value().split(',')) {
        if (!(SCENARIOS as readonly string[]).includes(name))
          throw new Error(`unknown scenario '${name}' (known: ${SCENARIOS.join(', ')})`);
        args.scenarios.push(name as ScenarioName);
      }
    } else if (a === '--sizes')
      args.sizes = value()
        .split(',')
        .map(Number)
        .filter((n) => n > 0);
    else if (a === '--no-profile') args.profile = false;
    else if (a === '--no-bare') args.bare = false;
    else if (a === '--floor') args.floor = true;
    else if (a === '--activity-polling') args.activity = true;
    else if (a === '--no-timer') args.timer = false;
    else if (a === '--worker-options') args.workerOptions = value();
    else if (a === '--worker-node-options') args.workerNodeOptions = value();
    else if (a === '--sqlite-pragmas') {
      args.sqlitePragmas = {};
      for (const pair of value().split(',')) {
        const [name, setting] = pair.split('=');
        if (!name || !setting)
          throw new Error(`--sqlite-pragmas: NAME=VALUE pairs, comma-separated; got '${pair}'`);
        args.sqlitePragmas[name.trim()] = setting.trim();
      }
    } else if (a === '--reps') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) throw new Error('--reps: a whole number ≥ 1');
      args.reps = n;
    } else if (a === '--keep') args.keep = true;
    else if (a === '--write') args.write = true;
    else if (a === '--worker') {
      const v = value();
      if (v !== 'compiled' && v !== 'tsx') throw new Error(`--worker: compiled or tsx, got '${v}'`);
      args.worker = v;
    } else if (a === '--help' || a === '-h') {
      process.stdout.write(
        `usage: npm run bench -- [--quick] [--scenario ${SCENARIOS.join('|')}]... [--sizes 100,1000] [--no-profile] [--no-bare] [--floor] [--activity-polling] [--no-timer] [--keep] [--write] [--worker compiled|tsx] [--worker-options JSON] [--worker-node-options FLAGS] [--sqlite-pragmas NAME=VALUE,...] [--reps N]\n`,
      );
      process.exit(0);
    } else throw new Error(`unknown argument '${a}'`);
  }
  args.partial = args.scenarios.length > 0 || args.sizes !== undefined;
  if (args.scenarios.length === 0)
    args.scenarios = [...SCENARIOS].filter((s) => s !== 'limit' && s !== 'burst');
  return args;
}

const log = (message: string) =>
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.worker) setWorkerProgram(args.worker);
  const began = Date.now();
  // The retry-poll bench worker runs in this process: its expected activity failures are not news.
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const tmpDir = mkdtempSync(join(tmpdir(), 'arazzo-bench-'));
  log(`scratch folder ${tmpDir}`);
  let devServer: DevServer | undefined;
  let sim: Simulator | undefined;
  let connection: Connection | undefined;
  let nativeConnection: NativeConnection | undefined;
  const cleanup = async () => {
    await nativeConnection?.close().catch(() => undefined);
    await connection?.close().catch(() => undefined);
    await sim?.close().catch(() => undefined);
    await devServer?.stop().catch(() => undefined);
    if (!args.keep) rmSync(tmpDir, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  try {
    devServer = await startDevServer({
      headless: true,
      dbFile: join(tmpDir, 'temporal.db'),
      logLevel: 'error',
      ...(args.sqlitePragmas ? { sqlitePragmas: args.sqlitePragmas } : {}),
    });
    const devServerPragmas = sqlitePragmaSettings(args.sqlitePragmas).join(', ');
    log(
      `dev server ${devServer.address} (pid ${devServer.pid}, SQLite ${join(tmpDir, 'temporal.db')}, ${devServerPragmas})`,
    );
    sim = await startSimulator({ maxLogEntries: 400_000 });
    log(`simulator ${sim.url}`);
    connection = await Connection.connect({ address: devServer.address });
    nativeConnection = await NativeConnection.connect({ address: devServer.address });
    const client = new Client({ connection });

    // The prebuilt bundle: `npm run build`'s output when present, else one built here the same way.
    const buildScript = join(projectRoot, 'scripts', 'bundle-workflows.ts');
    const distBundle = join(projectRoot, 'dist', 'workflow-bundle.js');
    let bundlePath: string;
    let bundleNote: string;
    const newestSource = Math.max(
      ...['workflows', 'arazzo'].flatMap((d) =>
        (readdirSync(join(projectRoot, 'src', d), { recursive: true }) as string[])
          .filter((f) => f.endsWith('.ts'))
          .map((f) => statSync(join(projectRoot, 'src', d, f)).mtimeMs),
      ),
    );
    if (existsSync(distBundle) && statSync(distBundle).mtimeMs >= newestSource) {
      bundlePath = distBundle;
      bundleNote = 'dist/workflow-bundle.js from `npm run build`';
    } else {
      const t = performance.now();
      const { code } = await bundleWorkflowCode({
        workflowsPath: join(projectRoot, 'src', 'workflows', 'index.ts'),
        logger: new DefaultLogger('WARN'),
      });
      bundlePath = join(tmpDir, 'workflow-bundle.js');
      writeFileSync(bundlePath, code);
      bundleNote =
        `built by the benchmark with bundleWorkflowCode (${Math.round(performance.now() - t)} ms): ` +
        (existsSync(buildScript)
          ? 'dist/workflow-bundle.js was absent or older than src/ (run `npm run build`)'
          : '`npm run build` does not work yet (its script scripts/bundle-workflows.ts does not exist)');
    }
    log(`workflow bundle: ${bundleNote}`);

    const tag = Date.now().toString(36);
    const ctx: BenchContext = {
      quick: args.quick,
      tmpDir,
      devServer,
      devServerPragmas,
      sim,
      client,
      nativeConnection,
      bundlePath,
      tag,
      profile: args.profile,
      log,
      workerEnv: (taskQueue, extra = {}) => ({
        TEMPORAL_ADDRESS: devServer!.address,
        TEMPORAL_NAMESPACE: 'default',
        TEMPORAL_TASK_QUEUE: taskQueue,
        AIRBYTE_API_URL: sim!.url,
        ARAZZO_WORKFLOW_BUNDLE: bundlePath,
        ARAZZO_RUN_OPTIONS: '',
        ARAZZO_CATALOG: '',
        ARAZZO_WORKER_OPTIONS: args.workerOptions ?? '',
        ...(args.workerNodeOptions ? { NODE_OPTIONS: args.workerNodeOptions } : {}),
        ...extra,
      }),
    };

    const results: BenchResults & { wait?: WaitCostResult } = {
      machine: machineInfo(devServer.cliPath),
      settings: {
        quick: args.quick,
        scenarios: args.scenarios,
        devServer: `temporal server start-dev, SQLite file (--db-filename; pragmas ${devServerPragmas}), --log-level error, headless, loopback`,
        simulator: 'in the benchmark process (node:http on loopback), auth none',
        worker: `separate process: ${describeWorkerProgram()}, prebuilt workflow bundle, log level INFO (default), stdout to a file${args.workerOptions ? `, ARAZZO_WORKER_OPTIONS=${args.workerOptions}` : ''}${args.workerNodeOptions ? `, NODE_OPTIONS=${args.workerNodeOptions}` : ''}`,
        bundle: bundleNote,
        sharing:
          'the machine is shared with other work (tests, linters, other dev servers); each measured step first waits (bounded) for it to be under 25 % busy, and the report lists the CPU other processes used during each scale run',
      },
      errors: {},
    };
    const run = async <T>(name: ScenarioName, fn: () => Promise<T>): Promise<T | undefined> => {
      if (!args.scenarios.includes(name)) return undefined;
      log(`— scenario ${name}`);
      const t = Date.now();
      try {
        const r = await fn();
        log(`— scenario ${name} done in ${Math.round((Date.now() - t) / 1000)} s`);
        return r;
      } catch (error) {
        log(
          `— scenario ${name} FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        results.errors[name] = error instanceof Error ? error.message : String(error);
        return undefined;
      }
    };

    results.startup = await run('startup', () => runStartup(ctx, bundleNote, args.reps));
    results.history = await run('history', () => runHistoryCost(ctx));
    results.activations = await run('activations', () => runActivations(ctx));
    results.scale = await run('scale', () =>
      runScale(ctx, {
        temporal: args.timer,
        bare: args.bare,
        floor: args.floor,
        activity: args.activity,
        ...(args.sizes ? { sizes: args.sizes } : {}),
      }),
    );
    results.limit = await run('limit', () =>
      runScale(ctx, { temporal: false, bare: true, ...(args.sizes ? { sizes: args.sizes } : {}) }),
    );
    results.longRun = await run('long-run', () => runLongRun(ctx));
    results.prodServer = await run('prod-server', () => runProdServer(ctx));
    results.peers = await run('peers', () => runPeers(ctx, args.sizes ? { sizes: args.sizes } : {}));
    results.wait = await run('wait', () => runWaitCost(ctx, POLL_HEARTBEAT_TIMEOUT_SECONDS));
    results.burst = await run('burst', () => runBurst(ctx, args.sizes));
    results.durationSeconds = Math.round((Date.now() - began) / 1000);

    const official = args.write || (!args.quick && !args.partial);
    const outDir = official ? join(projectRoot, 'bench', 'results') : join(tmpdir(), 'arazzo-bench-results');
    const reportPath = official ? join(projectRoot, 'docs', 'benchmarks.md') : join(outDir, 'benchmarks.md');
    mkdirSync(outDir, { recursive: true });
    const jsonPath = join(outDir, 'latest.json');
    const prettierConfig = (await prettier.resolveConfig(jsonPath)) ?? {};
    writeFileSync(
      jsonPath,
      await prettier.format(JSON.stringify(results), { ...prettierConfig, parser: 'json' }),
    );
    writeFileSync(reportPath, renderReport(results));
    log(`results: ${jsonPath}`);
    log(`report:  ${reportPath}`);
    log(`total ${results.durationSeconds} s`);
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
