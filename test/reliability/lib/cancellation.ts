/**
 * Cancellation under load: N runs (70% trigger-sync-and-poll, 30% reset-and-resync) all polling a
 * running job; half of them (seeded choice) cancelled, half of those by the `cancel` signal and half
 * by Temporal cancellation, all at once. "Nothing lost": every running job of a cancelled run gets
 * exactly one DELETE and ends cancelled; no job of another run gets any, and those runs complete
 * with the fault-free outputs; no DELETE hits a job that already ended.
 */
import assert from 'node:assert/strict';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { createPrng } from '../../../simulator/prng.js';
import { startSimulator } from '../../../simulator/server.js';
import { cancelSignal } from '../../../src/contract/index.js';
import { useTestTemporal } from '../../helpers/temporal.js';
import {
  allSecrets,
  errorText,
  fetchHistories,
  decodedPayloads,
  findSecrets,
  record,
  rootFailure,
} from './harness.js';
import { everyWorkerOutput, startWorker, until, type WorkerProcess } from './processes.js';

export async function runCancellation(options: {
  runs: number;
  seed: number;
  workers: number;
  label: string;
}) {
  const started = Date.now();
  const random = createPrng(options.seed);
  const temporal = await useTestTemporal();
  const runningPolls = Math.max(12, Math.ceil(options.runs / 2));
  const simulator = await startSimulator({
    clock: 'polls',
    defaultScenario: { pendingPolls: 1, runningPolls, reset: { runningPolls } },
  });
  const taskQueue = temporal.taskQueue('rel-cancel');
  const env = {
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    AIRBYTE_API_URL: simulator.url,
  };
  const workers: WorkerProcess[] = [];
  const errors: string[] = [];
  try {
    for (let i = 0; i < options.workers; i++) workers.push(await startWorker(env, `${options.label}-${i}`));
    const tag = `${options.label}-${Date.now()}`;
    const runs: Array<{
      kind: 'poll' | 'reset';
      connectionId: string;
      handle: WorkflowHandle;
      how?: 'signal' | 'temporal';
    }> = [];
    for (let i = 0; i < options.runs; i++) {
      const kind = i % 10 < 7 ? ('poll' as const) : ('reset' as const);
      const connectionId = simulator.addConnection().connectionId;
      const handle = await temporal.client.workflow.start(
        kind === 'poll' ? 'trigger-sync-and-poll' : 'reset-and-resync',
        {
          taskQueue,
          workflowId: `${tag}-${i}`,
          args: [{ connectionId, 'x-temporal': { pollIntervalSeconds: 0.05 } }],
        },
      );
      runs.push({ kind, connectionId, handle });
    }
    // Every run is polling a running job.
    const polls = (connectionId: string) => {
      const job = simulator.jobs(connectionId)[0];
      return job === undefined ? 0 : job.reads;
    };
    await until(() => runs.every((r) => polls(r.connectionId) >= 2), 'every run polling its job', 120_000);

    // Seeded choice of half the runs; alternate signal / Temporal cancel among them.
    const order = runs.map((r, i) => ({ i, key: random() })).sort((a, b) => a.key - b.key);
    order
      .slice(0, Math.floor(runs.length / 2))
      .forEach(({ i }, n) => (runs[i]!.how = n % 2 === 0 ? 'signal' : 'temporal'));
    const runningAtCancel = new Map<string, number[]>();
    for (const r of runs)
      runningAtCancel.set(
        r.connectionId,
        simulator
          .jobs(r.connectionId)
          .filter((j) => !['succeeded', 'failed', 'cancelled'].includes(j.status))
          .map((j) => j.jobId),
      );
    await Promise.all(
      runs.map((r) =>
        r.how === 'signal'
          ? r.handle.signal(cancelSignal, { reason: 'reliability test' })
          : r.how === 'temporal'
            ? r.handle.cancel()
            : undefined,
      ),
    );

    const problems: string[] = [];
    let deletesExpected = 0;
    let deletesSeen = 0;
    let deletesOnOthers = 0;
    let completed = 0;
    await Promise.all(
      runs.map(async (r) => {
        let outcome: string;
        let value: unknown;
        try {
          value = await r.handle.result();
          outcome = 'completed';
        } catch (error) {
          if (error instanceof WorkflowFailedError && error.cause instanceof CancelledFailure)
            outcome = 'cancelled';
          else {
            errors.push(errorText(error));
            outcome = `failed ${JSON.stringify(rootFailure(error))}`;
          }
        }
        const jobs = simulator.jobs(r.connectionId);
        const deletes = simulator
          .requests()
          .filter((e) => e.operationId === 'cancelJob' && jobs.some((j) => j.jobId === e.jobId));
        if (r.how === undefined) {
          deletesOnOthers += deletes.length;
          const expected =
            r.kind === 'poll'
              ? { jobId: jobs[0]?.jobId, finalStatus: 'succeeded', rowsSynced: 100 }
              : { resetJobId: jobs[0]?.jobId, resetStatus: 'succeeded', resyncJobId: jobs[1]?.jobId };
          if (outcome !== 'completed' || JSON.stringify(value) !== JSON.stringify(expected))
            problems.push(`uncancelled ${r.kind} ${r.connectionId}: ${outcome} ${JSON.stringify(value)}`);
          else completed++;
          return;
        }
        const running = runningAtCancel.get(r.connectionId) ?? [];
        deletesExpected += running.length;
        deletesSeen += deletes.length;
        for (const jobId of running) {
          const n = deletes.filter((d) => d.jobId === jobId).length;
          if (n !== 1) problems.push(`${r.how} ${r.kind} job ${jobId}: ${n} DELETEs`);
          if (simulator.job(jobId)?.status !== 'cancelled')
            problems.push(`${r.how} ${r.kind} job ${jobId}: ${simulator.job(jobId)?.status}`);
        }
        if (deletes.length !== running.length)
          problems.push(
            `${r.how} ${r.kind} ${r.connectionId}: ${deletes.length} DELETEs for ${running.length} running jobs`,
          );
        if (jobs.length !== 1) problems.push(`${r.how} ${r.kind} ${r.connectionId}: ${jobs.length} jobs`);
        const want = r.how === 'temporal' ? 'cancelled' : 'completed';
        if (outcome !== want)
          problems.push(`${r.how} ${r.kind} ${r.connectionId}: ended ${outcome}, expected ${want}`);
        else completed++;
        if (r.how === 'signal' && outcome === 'completed') {
          const status =
            r.kind === 'poll'
              ? (value as { finalStatus?: string }).finalStatus
              : (value as { resetStatus?: string }).resetStatus;
          if (status !== 'cancelled')
            problems.push(`signal ${r.kind} ${r.connectionId}: outputs ${JSON.stringify(value)}`);
        }
      }),
    );
    const histories = await fetchHistories(
      temporal.client,
      runs.map((r) => r.handle.workflowId),
    );
    const leaks = [
      ...[...histories.values()].flatMap((h) => findSecrets(decodedPayloads(h), allSecrets())),
      ...everyWorkerOutput().flatMap((o) => findSecrets(o, allSecrets())),
      ...errors.flatMap((e) => findSecrets(e, allSecrets())),
    ];
    const figures = {
      runs: runs.length,
      cancelledBySignal: runs.filter((r) => r.how === 'signal').length,
      cancelledByTemporal: runs.filter((r) => r.how === 'temporal').length,
      runsEndedAsExpected: completed,
      deletesExpected,
      deletesSeen,
      deletesOnUncancelledRuns: deletesOnOthers,
      cancelTerminalAttempts: simulator.counts().cancelTerminalAttempts,
      jobsCreated: simulator.jobs().length,
      jobsExpected: runs.filter((r) => r.how === undefined && r.kind === 'reset').length + runs.length,
      secretsFound: leaks.length,
      seconds: Math.round((Date.now() - started) / 1000),
    };
    record(`cancellation:${options.label}`, figures);
    assert.deepEqual(problems, []);
    assert.equal(deletesOnOthers, 0);
    assert.equal(deletesSeen, deletesExpected);
    assert.equal(figures.cancelTerminalAttempts, 0);
    assert.deepEqual(leaks, []);
    return figures;
  } finally {
    for (const w of workers) await w.kill('SIGTERM');
    await simulator.close();
    await temporal.release();
  }
}
