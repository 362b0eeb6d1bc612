/**
 * Scenario `startup`: time from spawning the worker to its "worker polling" log line: the compiled
 * worker (`node dist/src/worker.js`, when `npm run build` is fresh) and `node --import tsx
 * src/worker.ts`, both with the prebuilt workflow bundle (ARAZZO_WORKFLOW_BUNDLE), and tsx without
 * it (the worker bundles the workflow code at start).
 */
import { join } from 'node:path';
import type { BenchContext } from '../lib/context.js';
import { waitForQuiet } from '../lib/proc.js';
import { summarizeProfiles, type ProfileSummary } from './scale.js';
import { median, round } from '../lib/stats.js';
import { compiledWorkerIsFresh, spawnWorker, type WorkerProgram } from '../lib/worker-process.js';

export interface StartupResult {
  reps: number;
  /** `node dist/src/worker.js` with the bundle; absent when no fresh build exists */
  compiledMs?: number[];
  compiledMedianMs?: number;
  /** tsx with the bundle, and tsx bundling at start */
  withBundleMs: number[];
  withoutBundleMs: number[];
  withBundleMedianMs: number;
  withoutBundleMedianMs: number;
  bundle: string;
  /** one extra start with the bundle under --cpu-prof: where start-up time goes */
  profile?: ProfileSummary[];
}

export async function runStartup(
  ctx: BenchContext,
  bundleNote: string,
  reps = ctx.quick ? 1 : 3,
): Promise<StartupResult> {
  const taskQueue = `bench-startup-${ctx.tag}`;
  const compiled = compiledWorkerIsFresh();
  const compiledMs: number[] = [];
  const withBundleMs: number[] = [];
  const withoutBundleMs: number[] = [];
  const variants: Array<{ label: string; program: WorkerProgram; bundled: boolean; into: number[] }> = [
    ...(compiled
      ? [{ label: 'compiled', program: 'compiled' as const, bundled: true, into: compiledMs }]
      : []),
    { label: 'bundle', program: 'tsx', bundled: true, into: withBundleMs },
    { label: 'nobundle', program: 'tsx', bundled: false, into: withoutBundleMs },
  ];
  for (let i = 0; i < reps; i++) {
    for (const v of variants) {
      await waitForQuiet(30_000);
      const env = ctx.workerEnv(taskQueue, v.bundled ? {} : { ARAZZO_WORKFLOW_BUNDLE: '' });
      const worker = await spawnWorker({
        env,
        dir: ctx.tmpDir,
        label: `startup-${v.label}-${i}`,
        program: v.program,
      });
      v.into.push(round(worker.readyMs, 0)!);
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
  ctx.log(
    `startup: compiled ${compiledMs.join(', ') || '-'} ms; tsx with bundle ${withBundleMs.join(', ')} ms; without ${withoutBundleMs.join(', ')} ms`,
  );
  return {
    reps,
    ...(compiled ? { compiledMs, compiledMedianMs: median(compiledMs)! } : {}),
    withBundleMs,
    withoutBundleMs,
    withBundleMedianMs: median(withBundleMs)!,
    withoutBundleMedianMs: median(withoutBundleMs)!,
    bundle: bundleNote,
    ...(profile ? { profile } : {}),
  };
}
