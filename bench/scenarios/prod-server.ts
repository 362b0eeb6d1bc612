/**
 * Scenario `prod-server` (issue 15): the same N concurrent trigger-sync-and-poll runs on the dev
 * server (SQLite) and on the production topology's Temporal server on PostgreSQL
 * (src/prod-stack/), each with one and with two worker processes, in the same benchmark run.
 * Measured per configuration: polls/s, and CPU per poll of the server, of PostgreSQL (postmaster
 * and its backends) and of the worker processes, from /proc.
 *
 * Needs a quiet machine: never run it for real on a shared one. `--quick` makes N tiny, for a
 * correctness check only.
 */
import { chmod, mkdir } from 'node:fs/promises';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startProdStack } from '../../src/prod-stack/prod-stack.js';
import type { BenchContext } from '../lib/context.js';
import { machineCpu, readCpuSeconds, ticksPerSecond, waitForQuiet } from '../lib/proc.js';
import { mapLimit, round, sleep } from '../lib/stats.js';
import { spawnWorker } from '../lib/worker-process.js';
import { jobScenario, scaleSettings, type ScaleSettings } from './scale.js';

export interface ProdServerRow {
  server: 'dev server (SQLite)' | 'Temporal server on PostgreSQL';
  workers: number;
  n: number;
  completed: number;
  wallSeconds: number;
  polls: number;
  pollsPerSecond: number;
  demandedPollsPerSecond: number;
  serverCpuMsPerPoll: number;
  /** PostgreSQL's postmaster and backends; 0 for the dev server (its SQLite is in-process). */
  databaseCpuMsPerPoll: number;
  workerCpuMsPerPoll: number;
  /** CPU seconds of other processes on the machine during the run. */
  othersCpuSeconds: number;
}

export interface ProdServerResult {
  settings: ScaleSettings;
  n: number;
  rows: ProdServerRow[];
}

/** utime+stime+cutime+cstime of one process, in seconds (children that exited are in c*). */
function cpuWithReapedChildren(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
    return (
      (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / ticksPerSecond()
    );
  } catch {
    return 0;
  }
}

/** CPU seconds of a process and all its descendants (PostgreSQL forks a backend per connection). */
function treeCpu(root: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const line = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(line.slice(line.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone
    }
  }
  let total = 0;
  const walk = (pid: number) => {
    total += cpuWithReapedChildren(pid);
    for (const child of children.get(pid) ?? []) walk(child);
  };
  walk(root);
  return total;
}

async function measure(
  ctx: BenchContext,
  s: ScaleSettings,
  n: number,
  target: { label: ProdServerRow['server']; address: string; serverPid: () => number; databasePid?: number },
  workerCount: number,
): Promise<ProdServerRow> {
  const taskQueue = `bench-prod-${workerCount}-${target.label.length}-${ctx.tag}`;
  const connection = await Connection.connect({ address: target.address });
  const client = new Client({ connection });
  const workers = await Promise.all(
    Array.from({ length: workerCount }, (_, i) =>
      spawnWorker({
        env: ctx.workerEnv(taskQueue, { TEMPORAL_ADDRESS: target.address }),
        dir: ctx.tmpDir,
        label: `prod-server-${taskQueue}-${i}`,
      }),
    ),
  );
  try {
    // A quick run checks correctness only: it does not wait for the machine to be quiet.
    if (!ctx.quick) await waitForQuiet(90_000);
    const connections = Array.from(
      { length: n },
      (_, i) => ctx.sim.addConnection({ scenario: jobScenario(s, i) }).connectionId,
    );
    const cpu = () => ({
      server: readCpuSeconds(target.serverPid()) ?? 0,
      database: target.databasePid ? treeCpu(target.databasePid) : 0,
      workers: workers.reduce((sum, w) => sum + (readCpuSeconds(w.pid) ?? 0), 0),
      machine: machineCpu().busySeconds,
      bench: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    });
    const before = cpu();
    const t0 = Date.now();
    const handles = await mapLimit(connections, s.startConcurrency, (connectionId, i) =>
      client.workflow.start('trigger-sync-and-poll', {
        taskQueue,
        workflowId: `${taskQueue}-${i}`,
        args: [{ connectionId, 'x-temporal': { pollIntervalSeconds: s.pollIntervalSeconds } }],
      }),
    );
    const longestJobMs = s.pendingMs + s.runningMsMin + (s.runningSpread - 1) * 1000;
    const deadline = Date.now() + longestJobMs + s.graceSeconds * 1000;
    const outcomes = await Promise.all(
      handles.map((h) =>
        Promise.race([
          h.result().then(
            (r: { finalStatus?: string }) => r.finalStatus === 'succeeded',
            () => false,
          ),
          sleep(Math.max(0, deadline - Date.now())).then(() => false),
        ]),
      ),
    );
    const wallSeconds = (Date.now() - t0) / 1000;
    const after = cpu();
    const jobIds = new Set(connections.flatMap((c) => ctx.sim.jobs(c).map((j) => j.jobId)));
    const polls = ctx.sim
      .requests()
      .filter((r) => r.operationId === 'getJob' && r.jobId !== undefined && jobIds.has(r.jobId)).length;
    const perPoll = (seconds: number) => round((seconds * 1000) / Math.max(1, polls), 2)!;
    const ours =
      after.server - before.server + (after.database - before.database) + (after.workers - before.workers);
    return {
      server: target.label,
      workers: workerCount,
      n,
      completed: outcomes.filter(Boolean).length,
      wallSeconds: round(wallSeconds, 1)!,
      polls,
      pollsPerSecond: round(polls / wallSeconds, 1)!,
      demandedPollsPerSecond: round(n / s.pollIntervalSeconds, 1)!,
      serverCpuMsPerPoll: perPoll(after.server - before.server),
      databaseCpuMsPerPoll: perPoll(after.database - before.database),
      workerCpuMsPerPoll: perPoll(after.workers - before.workers),
      othersCpuSeconds: round(
        Math.max(0, after.machine - before.machine - ours - (after.bench - before.bench)),
        1,
      )!,
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await connection.close();
  }
}

/** Runs N runs on each server with 1 and 2 worker processes; the production stack starts and stops here. */
export async function runProdServer(
  ctx: BenchContext,
  options: { n?: number } = {},
): Promise<ProdServerResult> {
  const s = scaleSettings(ctx.quick);
  const n = options.n ?? (ctx.quick ? 4 : 300);
  const dataDir = join(ctx.tmpDir, 'prod-stack');
  await mkdir(dataDir, { recursive: true });
  // PostgreSQL runs as an unprivileged user when the bench runs as root: it must reach its folder.
  await chmod(ctx.tmpDir, 0o755);
  const stack = await startProdStack({
    dataDir,
    workers: 0,
    ui: false,
    log: (line) => ctx.log(`prod-server: ${line}`),
  });
  const rows: ProdServerRow[] = [];
  try {
    const targets = [
      {
        label: 'dev server (SQLite)' as const,
        address: ctx.devServer.address,
        serverPid: () => ctx.devServer.pid,
      },
      {
        label: 'Temporal server on PostgreSQL' as const,
        address: stack.address,
        serverPid: () => stack.serverPid(),
        databasePid: stack.postgresPid,
      },
    ];
    for (const workerCount of [1, 2]) {
      for (const target of targets) {
        ctx.log(`prod-server: ${n} runs on the ${target.label}, ${workerCount} worker process(es)`);
        const row = await measure(ctx, s, n, target, workerCount);
        ctx.log(
          `prod-server: ${row.completed}/${n} completed, ${row.pollsPerSecond} polls/s, CPU ms/poll server ${row.serverCpuMsPerPoll} + database ${row.databaseCpuMsPerPoll} + workers ${row.workerCpuMsPerPoll}`,
        );
        rows.push(row);
      }
    }
  } finally {
    await stack.stop();
  }
  return { settings: s, n, rows };
}
