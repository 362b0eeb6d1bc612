/**
 * The benchmark's Airflow peers (bench/peers/) at a tiny N: Airflow's own AirbyteSyncTrigger and
 * AirbyteJobSensor.poke, run by bench/peers/airflow_driver.py, wait on three jobs of a real
 * simulator on loopback, and the figures come back in the shape the bench report reads. This
 * checks correctness only (every job seen ending, after it ended, polls counted), never timings.
 * Skipped, saying so, when .tools/peers-venv is not installed (`npm run bench:peers:install`).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AIRFLOW_MODES, runAirflowDriver, runPeers } from '../../bench/peers/airflow.js';
import { renderPeers } from '../../bench/peers/report.js';
import { checkPeers, INSTALL_HINT } from '../../bench/peers/venv.js';
import { startSimulator, type Simulator } from '../../simulator/server.js';

const check = await checkPeers();

void describe('Airflow peers: skip message', () => {
  void it('names the missing venv and the install command', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peers-none-'));
    try {
      const missing = await checkPeers(join(dir, 'no-venv'));
      assert.equal(missing.ok, false);
      assert.ok(!missing.ok && missing.reason.includes(join(dir, 'no-venv')), 'names the venv folder');
      assert.ok(!missing.ok && missing.reason.includes(INSTALL_HINT), 'says how to install');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  void it('the bench scenario records the skip and the report says it was not run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peers-none-'));
    const logged: string[] = [];
    try {
      // No simulator is needed: a skipped scenario creates no connections.
      const ctx = { quick: true, tmpDir: dir, log: (m: string) => logged.push(m) } as unknown as Parameters<
        typeof runPeers
      >[0];
      const result = await runPeers(ctx, { venvDir: join(dir, 'no-venv'), sizes: [3] });
      assert.deepEqual(result.runs, []);
      assert.ok(result.skipped?.includes(INSTALL_HINT));
      assert.ok(logged.some((m) => m.includes('SKIPPED') && m.includes(INSTALL_HINT)));
      assert.match(renderPeers(result, undefined), /\*\*Not run:\*\* Airflow peers not installed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

void describe('Airflow peers: driver at N = 3', { skip: check.ok ? false : check.reason }, () => {
  let sim: Simulator;
  let dir: string;
  before(async () => {
    sim = await startSimulator({ clock: 'wall' });
    dir = mkdtempSync(join(tmpdir(), 'peers-airflow-'));
  });
  after(async () => {
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const mode of AIRFLOW_MODES) {
    void it(`${mode}: sees every job end, after it ended, and reports the figures`, async () => {
      assert.ok(check.ok);
      // Two syncs that succeed and one that fails, each long enough for several polls at 0.2 s.
      const outcomes = ['succeeded', 'failed', 'succeeded'] as const;
      const connectionIds = outcomes.map(
        (outcome, i) =>
          sim.addConnection({
            scenario: { clock: 'wall', pendingMs: 300, runningMs: 1200 + i * 300, outcome },
          }).connectionId,
      );
      const r = await runAirflowDriver({
        python: check.python,
        apiUrl: sim.url,
        connectionIds,
        mode,
        intervalSeconds: 0.2,
        deadlineSeconds: 60,
        dir,
        label: `airflow-${mode}`,
      });

      assert.equal(r.peer, `airflow-${mode}`);
      assert.equal(r.n, 3);
      assert.equal(r.intervalSeconds, 0.2);
      assert.equal(
        r.versions['apache-airflow-providers-airbyte'],
        check.versions['apache-airflow-providers-airbyte'],
      );
      assert.equal(r.detected, 3, JSON.stringify(r.jobs));
      assert.equal(r.detectionOverheadMs.count, 3);
      // The simulator's own record: each job was created by the provider's hook and ended as scripted.
      const simJobs = connectionIds.map((c) => sim.jobs(c));
      assert.deepEqual(
        simJobs.map((jobs) => jobs.length),
        [1, 1, 1],
        'one job per connection',
      );
      assert.deepEqual(
        r.jobs.map((j) => j.simStatus),
        [...outcomes],
      );
      assert.deepEqual(
        r.jobs.map((j) => j.jobId),
        simJobs.map((jobs) => jobs[0]!.jobId),
      );
      for (const job of r.jobs) {
        assert.ok(job.detectionOverheadMs !== null && job.detectionOverheadMs >= 0, JSON.stringify(job));
        // The trigger's event / the sensor's outcome match how the job ended.
        const expected = job.simStatus === 'succeeded' ? /^success/ : /^error: .*fail/i;
        assert.match(job.outcome, expected);
      }
      // Polls are the GETs the simulator answered for these jobs: at least one per job, and the
      // same count as the simulator's request log.
      const getJobs = sim
        .requests()
        .filter((q) => q.operationId === 'getJob' && connectionIds.includes(q.connectionId ?? ''));
      assert.equal(r.polls, getJobs.length);
      assert.ok(r.polls >= 3 * 2, `a few polls per job while it ran (got ${r.polls})`);
      for (const key of ['cpuSeconds', 'cpuMsPerPoll', 'peakRssMb', 'rssBeforeWaitMb'] as const)
        assert.ok(r[key] > 0, `${key} = ${r[key]}`);
      assert.ok(r.rssPerWaitingJobKb >= 0);
      assert.ok(r.peakRssMb >= r.rssBeforeWaitMb);
      if (mode === 'trigger') assert.equal(typeof r.maxLoopLagMs, 'number');
      else assert.equal(typeof r.maxPokeLatenessMs, 'number');
    });
  }

  void it('the bench scenario runs both modes at each N and the report shows them', async () => {
    const logged: string[] = [];
    const result = await runPeers(
      { quick: true, tmpDir: dir, sim, log: (m: string) => logged.push(m) },
      {
        sizes: [2],
        quietMs: 0,
        settings: {
          pollIntervalSeconds: 0.2,
          pendingMs: 300,
          runningMsMin: 1200,
          runningSpread: 2,
          startConcurrency: 2,
          graceSeconds: 30,
        },
      },
    );
    assert.equal(result.skipped, undefined);
    assert.equal(result.pollIntervalSeconds, 0.2);
    assert.deepEqual(
      result.runs.map((r) => [r.peer, r.n, r.detected]),
      [
        ['airflow-trigger', 2, 2],
        ['airflow-sensor', 2, 2],
      ],
    );
    assert.equal(result.stoppedAt, undefined);
    assert.ok(
      result.runs.every((r) => !('jobs' in r)),
      'per-job details stay out of the results file',
    );
    const section = renderPeers(result, undefined);
    assert.match(section, /\| Airflow trigger \| 2 \| 2\/2 \|/);
    assert.match(section, /\| Airflow sensor \| 2 \| 2\/2 \|/);
  });
});
