/**
 * The peers' side of the benchmark: Airflow's Airbyte provider waiting on the same simulator jobs,
 * with the same N and poll interval as the `scale` scenario, in the same bench run.
 *
 * `runAirflowDriver` runs bench/peers/airflow_driver.py (the provider's AirbyteSyncTrigger driven
 * by one asyncio loop as Airflow's triggerer does, or AirbyteJobSensor.poke from a scheduler-like
 * loop) against a simulator and returns its JSON. `runPeers` is the bench scenario `peers`.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectRoot } from '../../src/config/project-root.js';
import type { BenchContext } from '../lib/context.js';
import { waitForQuiet } from '../lib/proc.js';
import type { Summary } from '../lib/stats.js';
import { jobScenario, scaleSettings, type ScaleSettings } from '../scenarios/scale.js';
import { checkPeers, defaultVenvDir, peersDir } from './venv.js';

export type AirflowMode = 'trigger' | 'sensor';
export const AIRFLOW_MODES: readonly AirflowMode[] = ['trigger', 'sensor'];

/** What airflow_driver.py prints (one JSON object). */
export interface AirflowDriverResult {
  peer: `airflow-${AirflowMode}`;
  mode: AirflowMode;
  n: number;
  intervalSeconds: number;
  versions: Record<string, string>;
  /** jobs seen terminal at or after their end (a wait that gave up earlier is not a detection) */
  detected: number;
  /** GET /jobs/{id} the simulator answered for these jobs */
  polls: number;
  /** process CPU seconds of the waiting phase (first poll → last job seen terminal) */
  cpuSeconds: number;
  cpuMsPerPoll: number;
  wallSeconds: number;
  rssBeforeWaitMb: number;
  peakRssMb: number;
  /** (peak RSS − RSS before the waits) / N */
  rssPerWaitingJobKb: number;
  /** job end (simulator) → the peer saw it terminal, ms */
  detectionOverheadMs: Summary;
  importCpuSeconds: number;
  createCpuSeconds: number;
  rssAtStartMb: number;
  /** trigger mode: the longest overrun of a 100 ms asyncio sleep (the triggerer's block watchdog) */
  maxLoopLagMs?: number;
  loopBlockedOver200Ms?: number;
  /** sensor mode: how late the most overdue poke ran */
  maxPokeLatenessMs?: number;
  jobs: Array<{ jobId: number; simStatus: string; outcome: string; detectionOverheadMs: number | null }>;
}

export interface AirflowDriverOptions {
  python: string;
  /** the simulator's public API base URL, e.g. http://127.0.0.1:8090/v1 */
  apiUrl: string;
  connectionIds: string[];
  mode: AirflowMode;
  intervalSeconds: number;
  /** how long the driver waits for all jobs before it gives up */
  deadlineSeconds: number;
  /** scratch folder: connection list, Airflow's log (stderr), AIRFLOW_HOME */
  dir: string;
  label: string;
}

/** Runs the Python driver once; rejects with the log file's name when it fails. */
export async function runAirflowDriver(options: AirflowDriverOptions): Promise<AirflowDriverResult> {
  mkdirSync(options.dir, { recursive: true });
  const connectionsFile = join(options.dir, `${options.label}-connections.json`);
  writeFileSync(connectionsFile, JSON.stringify(options.connectionIds));
  const logFile = join(options.dir, `${options.label}.log`);
  const log = openSync(logFile, 'w');
  const child = spawn(
    options.python,
    [
      join(peersDir, 'airflow_driver.py'),
      '--mode',
      options.mode,
      '--interval',
      String(options.intervalSeconds),
      '--deadline',
      String(options.deadlineSeconds),
      '--connections-file',
      connectionsFile,
    ],
    {
      cwd: projectRoot,
      env: {
        ...process.env,
        // The Airflow Connection from the environment: no metadata database (see airflow_driver.py).
        AIRFLOW_CONN_AIRBYTE_DEFAULT: JSON.stringify({ conn_type: 'airbyte', host: options.apiUrl }),
        AIRFLOW_HOME: join(options.dir, 'airflow-home'),
        PYTHONUNBUFFERED: '1',
      },
      stdio: ['ignore', 'pipe', log],
    },
  );
  closeSync(log);
  let stdout = '';
  // stdout is a pipe (stdio[1]); the driver writes only its JSON there.
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), (options.deadlineSeconds + 120) * 1000);
    child.once('error', (error) => {
      clearTimeout(kill);
      reject(error);
    });
    child.once('exit', (c) => {
      clearTimeout(kill);
      resolve(c);
    });
  });
  const line = stdout.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !line.startsWith('{'))
    throw new Error(`Airflow ${options.mode} driver exited with ${code}; its log: ${logFile}`);
  return JSON.parse(line) as AirflowDriverResult;
}

export type AirflowPeerRun = Omit<AirflowDriverResult, 'jobs'>;

export interface PeersResult {
  /** set when the peers did not run, with what to do about it */
  skipped?: string;
  python?: string;
  versions?: Record<string, string>;
  warnings?: string[];
  pollIntervalSeconds: number;
  runs: AirflowPeerRun[];
  /** a mode stops at the first N where it did not see every job end */
  stoppedAt?: Partial<Record<AirflowMode, { n: number; why: string }>>;
}

/**
 * Scenario `peers`: at each N of the scale scenario, N simulator connections with the scale
 * scenario's job lifecycles, waited on by each Airflow mode at the scale poll interval.
 */
export async function runPeers(
  ctx: Pick<BenchContext, 'quick' | 'tmpDir' | 'sim' | 'log'>,
  options: {
    sizes?: number[];
    venvDir?: string;
    /** the scale scenario's settings unless given (tests use short jobs) */
    settings?: ScaleSettings;
    /** how long to wait at most for a quiet machine before each run */
    quietMs?: number;
  } = {},
): Promise<PeersResult> {
  const s = options.settings ?? scaleSettings(ctx.quick);
  const result: PeersResult = { pollIntervalSeconds: s.pollIntervalSeconds, runs: [] };
  const check = await checkPeers(options.venvDir ?? defaultVenvDir);
  if (!check.ok) {
    ctx.log(`peers: SKIPPED. ${check.reason}`);
    return { ...result, skipped: check.reason };
  }
  // Recorded relative to the clone (results are committed; no machine's folders in them).
  Object.assign(result, { python: relative(projectRoot, check.python), versions: check.versions });
  if (check.warnings.length > 0) {
    result.warnings = check.warnings;
    ctx.log(`peers: ${check.warnings.join('; ')}`);
  }
  const sizes = options.sizes ?? (ctx.quick ? [20, 100] : [100, 300, 1000, 2000, 3000]);
  const longestJobMs = s.pendingMs + s.runningMsMin + (s.runningSpread - 1) * 1000;
  const stopped = new Set<AirflowMode>();
  for (const n of sizes) {
    for (const mode of AIRFLOW_MODES) {
      if (stopped.has(mode)) continue;
      const connectionIds = Array.from(
        { length: n },
        (_, i) => ctx.sim.addConnection({ scenario: jobScenario(s, i) }).connectionId,
      );
      await waitForQuiet(options.quietMs ?? 60_000);
      ctx.log(`peers ${n}: Airflow ${mode}`);
      const { jobs, ...run } = await runAirflowDriver({
        python: check.python,
        apiUrl: ctx.sim.url,
        connectionIds,
        mode,
        intervalSeconds: s.pollIntervalSeconds,
        deadlineSeconds: Math.ceil(longestJobMs / 1000) + s.graceSeconds,
        dir: join(ctx.tmpDir, 'peers'),
        label: `airflow-${mode}-${n}`,
      });
      result.runs.push(run);
      ctx.log(
        `peers ${n}: Airflow ${mode} ${run.detected}/${n} seen, ${run.cpuMsPerPoll} CPU ms/poll, ` +
          `detection p99 ${run.detectionOverheadMs.p99} ms, peak ${run.peakRssMb} MB`,
      );
      if (run.detected < n) {
        stopped.add(mode);
        const missed = jobs.filter((j) => j.detectionOverheadMs === null).slice(0, 3);
        result.stoppedAt = {
          ...result.stoppedAt,
          [mode]: {
            n,
            why: `${n - run.detected} of ${n} jobs not seen ending (e.g. ${missed.map((j) => `job ${j.jobId}: ${j.outcome}`).join('; ')})`,
          },
        };
      }
      ctx.sim.clearRequests();
    }
  }
  return result;
}
