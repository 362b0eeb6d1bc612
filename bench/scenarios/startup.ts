/**
 * Scenario `startup`: time from spawning `node --import tsx src/worker.ts` to its "worker polling"
 * log line, with the prebuilt workflow bundle (ARAZZO_WORKFLOW_BUNDLE) and without (the worker
 * bundles the workflow code at start).
 */
import { join } from 'node:path';
import type { BenchContext } from '../lib/context.js';
import { waitForQuiet } from '../lib/proc.js';
import { summarizeProfiles, type ProfileSummary } from './scale.js';
import { median, round } from '../lib/stats.js';
import { spawnWorker } from '../lib/worker-process.js';

export interface StartupResult {
  reps: number;
  withBundleMs: number[];
  withoutBundleMs: number[];
  withBundleMedianMs: number;
  withoutBundleMedianMs: number;
  bundle: string;
  /** one extra start with the bundle under --cpu-prof: where start-up time goes */
  profile?: ProfileSummary[];
}

export async function runStartup(ctx: BenchContext, bundleNote: string): Promise<StartupResult> {
  const reps = ctx.quick ? 1 : 3;
  const taskQueue = `bench-startup-${ctx.tag}`;
  const withBundleMs: number[] = [];
  const withoutBundleMs: number[] = [];
  for (let i = 0; i < reps; i++) {
    for (const bundled of [true, false]) {
      await waitForQuiet(30_000);
      const env = ctx.workerEnv(taskQueue, bundled ? {} : { ARAZZO_WORKFLOW_BUNDLE: '' });
      const worker = await spawnWorker({
        env,
        dir: ctx.tmpDir,
        label: `startup-${bundled ? 'bundle' : 'nobundle'}-${i}`,
      });
      (bundled ? withBundleMs : withoutBundleMs).push(round(worker.readyMs, 0)!);
      await worker.stop();
    }
  }
  let profile: ProfileSummary[] | undefined;
  try {
    const dir = join(ctx.tmpDir, 'profile-startup');
    const worker = await spawnWorker({
      env: ctx.workerEnv(taskQueue),
      dir: ctx.tmpDir,
      label: 'startup-profiled',
      nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir],
    });
    await worker.stop();
    profile = summarizeProfiles(dir);
  } catch (error) {
    ctx.log(`startup: profile failed: ${String(error)}`);
  }
  ctx.log(`startup: with bundle ${withBundleMs.join(', ')} ms; without ${withoutBundleMs.join(', ')} ms`);
  return {
    reps,
    withBundleMs,
    withoutBundleMs,
    withBundleMedianMs: median(withBundleMs)!,
    withoutBundleMedianMs: median(withoutBundleMs)!,
    bundle: bundleNote,
    ...(profile ? { profile } : {}),
  };
}
