/** Renders docs/benchmarks.md from the raw results of one `npm run bench`. */
import type { ActivationsResult } from './scenarios/activations.js';
import type { BurstResult } from './scenarios/burst.js';
import type { HistoryCostResult } from './scenarios/history-cost.js';
import type { LongRunResult } from './scenarios/long-run.js';
import type { ProdServerResult } from './scenarios/prod-server.js';
import type { ScaleResult, TemporalScaleRun, BareScaleRun, ProfileSummary } from './scenarios/scale.js';
import type { StartupResult } from './scenarios/startup.js';
import type { MachineInfo } from './lib/machine.js';
import type { PeersResult } from './peers/airflow.js';
import { renderPeers } from './peers/report.js';

export interface BenchResults {
  machine: MachineInfo;
  settings: Record<string, unknown>;
  startup?: StartupResult;
  history?: HistoryCostResult;
  activations?: ActivationsResult;
  scale?: ScaleResult;
  limit?: ScaleResult;
  longRun?: LongRunResult;
  prodServer?: ProdServerResult;
  peers?: PeersResult;
  burst?: BurstResult[];
  errors: Record<string, string>;
  durationSeconds?: number;
}

const fmt = (v: number | undefined, digits = 0): string =>
  v === undefined || !Number.isFinite(v)
    ? '–'
    : v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (a: number | undefined, b: number | undefined, digits = 2): string =>
  a === undefined || b === undefined || b === 0 ? '–' : `${fmt(a / b, digits)}×`;
const table = (head: string[], rows: string[][]): string =>
  [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
const verdict = (met: boolean | undefined): string =>
  met === undefined ? 'not measured' : met ? '**met**' : '**not met**';

interface Goal {
  goal: string;
  measured: string;
  met?: boolean;
}

function goals(r: BenchResults): Goal[] {
  const out: Goal[] = [];
  const local = r.history?.designs.find((d) => d.design === 'local');
  out.push({
    goal: 'default design ≤ 6 history events per poll iteration',
    measured: local ? `${fmt(local.eventsPerIteration, 2)} events/iteration` : '–',
    ...(local?.eventsPerIteration !== undefined ? { met: local.eventsPerIteration <= 6 } : {}),
  });
  const s = r.scale;
  const k = s?.temporal.find((t) => t.n === 1000);
  const interval = s?.settings.pollIntervalSeconds ?? 0;
  if (k) {
    const p99 = k.detectionOverheadMs.p99;
    out.push({
      goal: '1,000 concurrent runs all complete',
      measured: `${k.completed}/1,000 (${fmt(k.completionRate * 100, 1)} %)`,
      met: k.completed === 1000,
    });
    out.push({
      goal: `detection overhead p99 ≤ poll interval + 1 s (${interval + 1} s) at 1,000`,
      measured: `p99 ${fmt((p99 ?? NaN) / 1000, 2)} s (p50 ${fmt((k.detectionOverheadMs.p50 ?? NaN) / 1000, 2)} s)`,
      ...(p99 !== undefined ? { met: p99 <= (interval + 1) * 1000 } : {}),
    });
    out.push({
      goal: '≥ 200 poll iterations/s sustained at 1,000',
      measured: `${fmt(k.sustainedPollsPerSecond, 1)}/s in the steady window (demand ${fmt(k.demandedPollsPerSecond, 0)}/s)`,
      ...(k.sustainedPollsPerSecond !== undefined ? { met: k.sustainedPollsPerSecond >= 200 } : {}),
    });
    out.push({
      goal: 'worker peak RSS ≤ 500 MB with 1,000 runs in flight',
      measured: `${fmt(k.worker.peakRssMb, 0)} MB (VmHWM ${fmt(k.worker.hwmMb, 0)} MB)`,
      met: Math.max(k.worker.peakRssMb, k.worker.hwmMb ?? 0) <= 500,
    });
    const bare = s?.bare.find((b) => b.n === 1000);
    if (bare) {
      const x = k.workerCpuMsPerPoll / bare.cpuMsPerPoll;
      out.push({
        goal: "worker CPU per poll ≤ 3× the bare loop's (1,000 runs)",
        measured: `${fmt(k.workerCpuMsPerPoll, 3)} vs ${fmt(bare.cpuMsPerPoll, 3)} ms/poll = ${fmt(x, 1)}×`,
        met: x <= 3,
      });
    }
  } else {
    out.push({
      goal: '1,000 concurrent runs (completion, detection p99, 200 polls/s, RSS, CPU vs bare loop)',
      measured: 'not run',
    });
  }
  if (r.startup) {
    const ready = r.startup.compiledMedianMs;
    out.push({
      goal: 'worker ready ≤ 1.5 s from `node dist/src/worker.js` with the prebuilt bundle',
      measured:
        ready === undefined
          ? 'no fresh `npm run build`: not measured'
          : `median ${fmt(ready / 1000, 2)} s (tsx with the bundle: ${fmt(r.startup.withBundleMedianMs / 1000, 2)} s, tsx without: ${fmt(r.startup.withoutBundleMedianMs / 1000, 2)} s)`,
      met: ready !== undefined && ready <= 1500,
    });
  }
  if (r.longRun) {
    out.push({
      goal: `memory flat within 10 % across the ${fmt(r.longRun.iterations)}-iteration run`,
      measured: `RSS at 10 % / 50 % / end ${fmt(r.longRun.rssMb.start, 0)} → ${fmt(r.longRun.rssMb.middle, 0)} → ${fmt(r.longRun.rssMb.end, 0)} MB (${fmt(r.longRun.rssMb.spreadPercent, 1)} %; idle before the run ${fmt(r.longRun.rssMb.idle, 0)} MB)`,
      met: r.longRun.completed && r.longRun.rssMb.spreadPercent <= 10,
    });
  }
  return out;
}

function renderProfiles(title: string, profiles: ProfileSummary[]): string {
  return profiles
    .map(
      (p) =>
        `${title}, ${p.thread}: ${fmt(p.busyMs / 1000, 1)} s busy of ${fmt(p.wallMs / 1000, 1)} s. By package: ` +
        p.byPackage.map((b) => `${b.name} ${fmt(b.selfMs / 1000, 2)} s`).join(', ') +
        '.\n\n' +
        table(
          ['function (self time)', 'ms', '% of busy'],
          p.top.map((f) => [`\`${f.function.replace(/\|/g, '\\|')}\``, fmt(f.selfMs), fmt(f.percent, 1)]),
        ),
    )
    .join('\n\n');
}

function ms(v: number | undefined): string {
  return v === undefined ? '–' : `${fmt(v / 1000, 2)} s`;
}

/** The engine against the SDK floor and activity polling at the same N, and where a start waits. */
function designTables(s: ScaleResult): string {
  const rows: string[] = [];
  if (s.floor?.length || s.activity?.length)
    rows.push(
      '#### The engine against the SDK floor, and polling in an activity',
      '',
      'The floor (bench/floor/floor-workflow.ts) has the same history shape as the default design (a regular activity creates the job; per iteration one local activity reads it and one timer waits), written by hand without the engine: no plan, criteria, status, signal or deadlines. Same dev server, simulator, settings and measurement; its own worker process with SDK default options. ' +
        "*activity polling* is the engine with `pollIn: 'activity'` (one heartbeating activity polls; the worker gets N + 100 activity slots).",
      '',
      '| N | design | worker CPU ms per poll | dev server CPU ms per poll | peak RSS | start → first request p50 / p99 | detection overhead p50 / p99 | completed |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
    );
  const sizes = [...new Set([...(s.floor ?? []), ...(s.activity ?? [])].map((r) => r.n))].sort(
    (a, b) => a - b,
  );
  for (const n of sizes) {
    for (const [name, run] of [
      ['engine (timer)', s.temporal.find((x) => x.n === n)],
      ['SDK floor (timer)', s.floor?.find((x) => x.n === n)],
      ['engine, activity polling', s.activity?.find((x) => x.n === n)],
    ] as const) {
      if (!run) continue;
      rows.push(
        `| ${fmt(n)} | ${name} | ${fmt(run.workerCpuMsPerPoll, 2)} | ${fmt(run.devServerCpuMsPerPoll, 2)} | ${fmt(run.worker.peakRssMb, 0)} MB | ` +
          `${ms(run.startToFirstRequestMs.p50)} / ${ms(run.startToFirstRequestMs.p99)} | ${ms(run.detectionOverheadMs.p50)} / ${ms(run.detectionOverheadMs.p99)} | ${run.completed}/${n} |`,
      );
    }
  }
  const paths = [
    ...s.temporal.map((r) => ['engine (timer)', r] as const),
    ...(s.floor ?? []).map((r) => ['SDK floor (timer)', r] as const),
    ...(s.activity ?? []).map((r) => ['engine, activity polling', r] as const),
  ].filter(([, r]) => r.startPath);
  if (paths.length) {
    rows.push(
      '#### Where a start waits',
      '',
      'Where start → first request goes (p50 / p99 over a sample of runs, from their histories): the start call → the first workflow task started; that task; the create activity scheduled → started; its start → the create request. The last column starts 20 more runs, one a second, while the N runs poll: from 10 s after the last of the N starts and once all N have sent their first request (at most 180 s more; when they began is in brackets): a new run behind a full load, without the burst.',
      '',
      '| N | design | sampled | start → first task | first task | create activity queued | activity start → request | a new run behind the load: start → first request |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const [name, r] of paths) {
      const p = r.startPath!;
      const pair = (x: { p50?: number; p99?: number }): string => `${ms(x.p50)} / ${ms(x.p99)}`;
      rows.push(
        `| ${fmt(r.n)} | ${name} | ${p.sampled} | ${pair(p.toFirstTaskMs)} | ${pair(p.firstTaskMs)} | ${pair(p.createQueuedMs)} | ${pair(p.createStartToRequestMs)} | ${r.probeStartToFirstRequestMs ? `${pair(r.probeStartToFirstRequestMs)} (${r.probeStartToFirstRequestMs.count} runs, one a second${r.probesBeganAfterStartsSeconds !== undefined ? `, from ${r.probesBeganAfterStartsSeconds} s after the last start` : ''})` : '–'} |`,
      );
    }
  }
  return rows.join('\n');
}

function scaleTables(s: ScaleResult): string {
  const parts: string[] = [];
  const byN = new Map<number, { t?: TemporalScaleRun; b?: BareScaleRun }>();
  for (const t of s.temporal) byN.set(t.n, { ...byN.get(t.n), t });
  for (const b of s.bare) byN.set(b.n, { ...byN.get(b.n), b });
  for (const [n, { t, b }] of [...byN.entries()].sort((x, y) => x[0] - y[0])) {
    const rows: string[][] = [];
    const row = (name: string, tv: string, bv: string, r: string) => rows.push([name, tv, bv, r]);
    row(
      'completed',
      t
        ? `${t.completed}/${n}${
            t.byStatus
              ? ` (${Object.entries(t.byStatus)
                  .map(([k, v]) => `${k} ${v}`)
                  .join(', ')})`
              : ''
          }`
        : '–',
      b ? `${b.completed}/${n}` : '–',
      '',
    );
    row(
      'detection overhead p50',
      ms(t?.detectionOverheadMs.p50),
      ms(b?.detectionOverheadMs.p50),
      ratio(t?.detectionOverheadMs.p50, b?.detectionOverheadMs.p50),
    );
    row(
      'detection overhead p99',
      ms(t?.detectionOverheadMs.p99),
      ms(b?.detectionOverheadMs.p99),
      ratio(t?.detectionOverheadMs.p99, b?.detectionOverheadMs.p99),
    );
    row('detection overhead max', ms(t?.detectionOverheadMs.max), ms(b?.detectionOverheadMs.max), '');
    row(
      'start → first request p50',
      ms(t?.startToFirstRequestMs.p50),
      ms(b?.startToFirstRequestMs.p50),
      ratio(t?.startToFirstRequestMs.p50, b?.startToFirstRequestMs.p50),
    );
    row(
      'start → first request p99',
      ms(t?.startToFirstRequestMs.p99),
      ms(b?.startToFirstRequestMs.p99),
      ratio(t?.startToFirstRequestMs.p99, b?.startToFirstRequestMs.p99),
    );
    row('polls (GETs)', fmt(t?.polls), fmt(b?.polls), ratio(t?.polls, b?.polls));
    row(
      'sustained polls/s (all jobs in flight)',
      `${fmt(t?.sustainedPollsPerSecond, 1)} (window ${fmt(t?.steadyWindowSeconds, 0)} s)`,
      fmt(b?.sustainedPollsPerSecond, 1),
      ratio(t?.sustainedPollsPerSecond, b?.sustainedPollsPerSecond),
    );
    row(
      'demanded polls/s (N / interval)',
      fmt(t?.demandedPollsPerSecond, 0),
      fmt(n / s.settings.pollIntervalSeconds, 0),
      '',
    );
    row(
      'process CPU seconds',
      fmt(t?.worker.cpuSeconds, 1),
      fmt(b?.cpuSeconds, 1),
      ratio(t?.worker.cpuSeconds, b?.cpuSeconds, 1),
    );
    row(
      'CPU ms per poll',
      fmt(t?.workerCpuMsPerPoll, 3),
      fmt(b?.cpuMsPerPoll, 3),
      ratio(t?.workerCpuMsPerPoll, b?.cpuMsPerPoll, 1),
    );
    row(
      'peak RSS',
      `${fmt(t?.worker.peakRssMb, 0)} MB`,
      `${fmt(b?.peakRssMb, 0)} MB`,
      ratio(t?.worker.peakRssMb, b?.peakRssMb, 1),
    );
    row('worker max CPU (1 s samples)', `${fmt(t?.worker.maxCpuPercent, 0)} %`, '', '');
    row(
      'dev server CPU seconds / ms per poll',
      t ? `${fmt(t.devServer.cpuSeconds, 1)} s / ${fmt(t.devServerCpuMsPerPoll, 3)} ms` : '–',
      '(none)',
      '',
    );
    row(
      'dev server max CPU / peak RSS',
      t ? `${fmt(t.devServer.maxCpuPercent, 0)} % / ${fmt(t.devServer.peakRssMb, 0)} MB` : '–',
      '',
      '',
    );
    row(
      'worker + dev server CPU ms per poll',
      t ? fmt(t.workerCpuMsPerPoll + t.devServerCpuMsPerPoll, 3) : '–',
      fmt(b?.cpuMsPerPoll, 3),
      ratio(t ? t.workerCpuMsPerPoll + t.devServerCpuMsPerPoll : undefined, b?.cpuMsPerPoll, 1),
    );
    row(
      'start phase / first start → last close',
      t ? `${fmt(t.startPhaseSeconds, 1)} s / ${fmt(t.wallSeconds, 1)} s` : '–',
      b ? `– / ${fmt(b.wallSeconds, 1)} s` : '–',
      '',
    );
    parts.push(
      `#### N = ${n.toLocaleString('en-US')}\n\n${table(['', 'Temporal worker (default design)', 'bare Node loop', 'ratio'], rows)}`,
    );
    if (t && t.workerThreads.length > 0) {
      parts.push(
        `Worker CPU by thread (N = ${n}): ` +
          t.workerThreads
            .slice(0, 6)
            .map((th) => `${th.thread}${th.threads > 1 ? ` ×${th.threads}` : ''} ${fmt(th.cpuSeconds, 1)} s`)
            .join(', ') +
          '.',
      );
    }
    if (t) {
      parts.push(
        `Machine during the run (N = ${n}): ${fmt(t.machine.busyCpuSeconds, 1)} of ${fmt(t.machine.capacityCpuSeconds, 1)} CPU seconds busy; ` +
          `worker ${fmt(t.worker.cpuSeconds, 1)}, dev server ${fmt(t.devServer.cpuSeconds, 1)}, bench process (client + simulator) ${fmt(t.benchProcess.cpuSeconds, 1)}, ` +
          `other processes on the machine ${fmt(t.machine.othersCpuSeconds, 1)}` +
          (t.machine.busyBeforeStart !== undefined
            ? ` (machine ${fmt(t.machine.busyBeforeStart * 100, 0)} % busy just before the start, after waiting ${fmt((t.machine.waitedForQuietMs ?? 0) / 1000, 0)} s for it to be quiet)`
            : '') +
          (b
            ? `. During the bare loop, other processes used ${fmt(b.othersCpuSeconds, 1)} CPU s (the bench process's simulator among them).`
            : '.'),
      );
    }
    if (t?.profile)
      parts.push(
        renderProfiles(
          `Worker CPU profile (N = ${n}, --cpu-prof, whole process life including start-up)`,
          t.profile,
        ),
      );
  }
  if (s.stoppedAt) parts.push(`Stopped growing N at ${s.stoppedAt.n}: ${s.stoppedAt.why}.`);
  return parts.join('\n\n');
}

/**
 * The dev server and the Temporal server on PostgreSQL side by side, and what the figures say about
 * the ceiling on this machine and on N cores (an estimate, with its assumptions written out).
 */
export function renderProdServer(p: ProdServerResult): string[] {
  const out: string[] = [];
  out.push('## Dev server and Temporal server on PostgreSQL, side by side');
  out.push(
    `${p.n} concurrent trigger-sync-and-poll runs on each server, with one and with two worker processes (\`prod-server\` scenario; the production topology of \`npm run stack:prod\`, PostgreSQL on the same machine). ` +
      `Poll interval ${p.settings.pollIntervalSeconds} s, jobs running ${p.settings.runningMsMin / 1000}–${(p.settings.runningMsMin + (p.settings.runningSpread - 1) * 1000) / 1000} s. ` +
      'CPU per poll = CPU seconds over the run / GETs the simulator served; PostgreSQL is the postmaster and all its backends.',
  );
  out.push(
    table(
      [
        'server',
        'workers',
        'completed',
        'polls/s (demanded)',
        'server ms/poll',
        'PostgreSQL ms/poll',
        'workers ms/poll',
        'total ms/poll',
        "others' CPU s",
      ],
      p.rows.map((row) => [
        row.server,
        String(row.workers),
        `${row.completed}/${row.n}`,
        `${fmt(row.pollsPerSecond, 1)} (${fmt(row.demandedPollsPerSecond, 1)})`,
        fmt(row.serverCpuMsPerPoll, 2),
        fmt(row.databaseCpuMsPerPoll, 2),
        fmt(row.workerCpuMsPerPoll, 2),
        fmt(row.serverCpuMsPerPoll + row.databaseCpuMsPerPoll + row.workerCpuMsPerPoll, 2),
        fmt(row.othersCpuSeconds, 1),
      ]),
    ),
  );
  const estimates = p.rows
    .filter((row) => row.workers === 2)
    .map((row) => {
      const serverSide = row.serverCpuMsPerPoll + row.databaseCpuMsPerPoll;
      const total = serverSide + row.workerCpuMsPerPoll;
      const ceiling = total > 0 ? 2000 / total : undefined;
      const workerShare = total > 0 ? row.workerCpuMsPerPoll / total : undefined;
      return (
        `- ${row.server}: ${fmt(total, 2)} ms of CPU per poll in all (server side ${fmt(serverSide, 2)}, workers ${fmt(row.workerCpuMsPerPoll, 2)}). ` +
        `Two cores give at most about ${fmt(ceiling, 0)} polls/s, ${fmt(ceiling !== undefined ? ceiling * p.settings.pollIntervalSeconds : undefined, 0)} concurrent runs at a ${p.settings.pollIntervalSeconds} s interval. ` +
        `On N cores: about ${fmt(total > 0 ? 1000 / total : undefined, 0)} × N polls/s, with ${fmt(workerShare !== undefined ? workerShare * 100 : undefined, 0)} % of the cores for workers.`
      );
    });
  if (estimates.length > 0) {
    out.push('**Ceiling on this machine, and on N cores (an estimate, computed from the two-worker rows).**');
    out.push(estimates.join('\n'));
    out.push(
      'Assumptions: CPU is the only limit (memory, disk and network are not); CPU per poll stays as measured when the number of runs grows; ' +
        'worker processes scale out linearly (they share nothing); the server and PostgreSQL get as many cores as their share of the CPU per poll and scale with them, ' +
        'which holds until history shards (4 here), PostgreSQL locks or its disk become the limit; other users of the machine are ignored (their CPU is listed above).',
    );
  }
  return out;
}

export function renderReport(r: BenchResults): string {
  const m = r.machine;
  const out: string[] = [];
  out.push('# Benchmarks');
  out.push(
    'Written by `npm run bench` (bench/run.ts) from one real run; raw numbers in `bench/results/latest.json`. ' +
      'Benchmarks measure, tests never assert on timings. Re-run with `npm run bench` (≈ 20 min on two cores), ' +
      '`npm run bench -- --quick` for a smoke run, `npm run bench -- --scenario history` for one scenario ' +
      '(a quick or partial run writes to the system temp folder unless `--write`).',
  );
  out.push('## Machine and settings');
  out.push(
    table(
      ['', ''],
      [
        ['date', m.date],
        ['git commit', `\`${m.gitCommit}\`${m.gitDirty ? ' (work tree had uncommitted changes)' : ''}`],
        ['CPU', `${m.nproc} × ${m.cpuModel} (nproc ${m.nproc})`],
        ['memory', `${m.memoryGb} GB`],
        ['kernel', m.kernel],
        ['node', m.node],
        ['Temporal SDK', `@temporalio/* ${m.temporalSdk}`],
        ['Temporal CLI / server', m.temporalCli],
        ...Object.entries(r.settings).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
        [
          'duration',
          r.durationSeconds !== undefined
            ? `${Math.round(r.durationSeconds / 60)} min ${r.durationSeconds % 60} s`
            : '–',
        ],
      ],
    ),
  );
  out.push('## Goals');
  out.push(
    table(
      ['goal', 'measured', 'verdict'],
      goals(r).map((g) => [g.goal, g.measured, verdict(g.met)]),
    ),
  );

  if (r.history) {
    const h = r.history;
    out.push('## 1. History cost per poll iteration');
    out.push(
      `Each design polls simulator jobs on the poll clock (every GET moves the job one step) at a ${h.pollIntervalSeconds} s interval, ` +
        `once with ${h.pollCounts[0]} and once with ${h.pollCounts[1]} running polls; per-iteration cost = Δ / ΔGETs, so the fixed cost of a run cancels out. ` +
        'Histories are fetched from the server (whole continue-as-new chain) and counted by event type.',
    );
    const base = h.designs.find((d) => d.design === 'local');
    out.push(
      table(
        [
          'design',
          'events / iteration',
          'vs default',
          'history bytes / iteration',
          'actions / iteration',
          'fixed events / run',
          'fixed actions / run',
          `whole run (${h.pollCounts[1]} running polls): GETs / events / bytes / actions`,
        ],
        h.designs.map((d) => [
          d.label,
          fmt(d.eventsPerIteration, 2),
          ratio(d.eventsPerIteration, base?.eventsPerIteration),
          fmt(d.bytesPerIteration),
          fmt(d.actionsPerIteration, 2),
          fmt(d.fixedEvents, 1),
          fmt(d.fixedActions, 1),
          `${d.wholeRun.gets} / ${d.wholeRun.events} / ${fmt(d.wholeRun.bytes)} / ${d.wholeRun.actions}`,
        ]),
      ),
    );
    out.push(
      'Per-iteration event mix: ' +
        h.designs
          .map(
            (d) =>
              `*${d.design}*: ${
                Object.entries(d.perIterationByType)
                  .map(([k, v]) => `${k} ${v}`)
                  .join(', ') || 'none'
              }`,
          )
          .join('; ') +
        '.',
    );
    if (h.seedRuns.length > 0) {
      out.push(
        `Seed \`reset-and-resync\` (reset polled ${h.pollCounts[0]} running polls, then the re-sync created): ` +
          h.seedRuns
            .map((s) => `${s.design}: ${s.gets} GETs, ${s.events} events, ${s.actions} actions`)
            .join('; ') +
          '.',
      );
    }
    out.push(`Action counting rule: ${h.countingRule}`);
  }
  if (r.activations) {
    const a = r.activations;
    out.push(
      `Workflow-side work per poll iteration (\`activations\` scenario, ${a.runsPerCount} runs each with ${a.pollCounts[0]} and ${a.pollCounts[1]} running polls, ${a.pollIntervalSeconds} s interval): ` +
        `${fmt(a.perIteration.activations, 2)} activations, ${fmt(a.perIteration.promises, 1)} promises created in workflow code, ` +
        `${fmt(a.perIteration.sinkCalls, 2)} sink calls, ${fmt(a.perIteration.activateMs, 3)} ms inside activate. Method: ${a.method}`,
    );
  }

  if (r.scale) {
    const s = r.scale;
    out.push('## 2. Scale: N concurrent trigger-sync-and-poll runs, and 3. the bare-loop limit');
    out.push(
      `Jobs on the simulator's wall clock: pending ${s.settings.pendingMs / 1000} s, then running ${s.settings.runningMsMin / 1000}–${(s.settings.runningMsMin + (s.settings.runningSpread - 1) * 1000) / 1000} s (spread over connections); ` +
        `poll interval ${s.settings.pollIntervalSeconds} s; starts with ${s.settings.startConcurrency} start calls in flight. Worker options: ${s.workerOptions}. ` +
        `Dev server: ${s.devServerStorage}. A fresh worker process per N. The bare loop (bench/bare-loop.ts, same got settings, no Temporal) creates and polls N jobs of the same scenarios in its own process. ` +
        "Detection overhead = run close time (visibility) − the job's terminal time in the simulator (bare loop: time its GET saw the terminal status). " +
        'Start → first request = the createJob request in the simulator − the start call. CPU = utime + stime of the whole process (/proc) from the first start to the last close. ' +
        'The Temporal server has ~1 s timer granularity, so timer-driven polls come up to ~1 s late.',
    );
    out.push(scaleTables(s));
    out.push(designTables(s));
  }
  if (r.limit) {
    out.push('## 3. The bare-loop limit (alone)');
    out.push(scaleTables(r.limit));
  }
  if (r.longRun) {
    const l = r.longRun;
    out.push(`## 4. Long run: ${fmt(l.iterations)} poll iterations`);
    out.push(
      'One trigger-sync-and-poll run whose job needs that many GETs (poll clock), `pollIntervalSeconds: 0` (back to back, no timer), ' +
        `\`historyEventLimit: ${l.historyEventLimit}\` (the default).`,
    );
    out.push(
      table(
        ['', ''],
        [
          [
            'outcome',
            `${l.status} in ${fmt(l.wallSeconds, 1)} s (${fmt(l.iterationsPerSecond, 0)} iterations/s)`,
          ],
          ['GETs', fmt(l.gets)],
          ['runs in the continue-as-new chain', String(l.runsInChain)],
          ['history length per run (events)', l.historyLengths.join(', ')],
          ['history size per run (bytes)', l.historySizes.map((b) => fmt(b)).join(', ')],
          ['max history length', `${fmt(l.maxHistoryLength)} (limit ${fmt(l.historyEventLimit)})`],
          ['worker RSS idle (ready, before the run)', `${fmt(l.rssMb.idle, 0)} MB`],
          [
            'worker RSS at 10 % / 50 % / end of the run',
            `${fmt(l.rssMb.start, 0)} / ${fmt(l.rssMb.middle, 0)} / ${fmt(l.rssMb.end, 0)} MB (spread ${fmt(l.rssMb.spreadPercent, 1)} %; from idle ${fmt(l.rssMb.spreadFromIdlePercent, 1)} %)`,
          ],
          ['worker RSS min / max over all samples', `${fmt(l.rssMb.min, 0)} / ${fmt(l.rssMb.max, 0)} MB`],
          ['worker CPU', `${fmt(l.workerCpuSeconds, 1)} s (${fmt(l.workerCpuMsPerPoll, 3)} ms per poll)`],
          [
            'machine busy CPU during the run (all processes)',
            `${fmt(l.machineBusyCpuSeconds, 1)} s of ${fmt(l.wallSeconds * r.machine.nproc, 0)} s`,
          ],
        ],
      ),
    );
  }
  if (r.startup) {
    const st = r.startup;
    out.push('## 5. Start-up: process start → "worker polling"');
    out.push(`Bundle: ${st.bundle}. ${st.reps} start(s) each, alternating.`);
    out.push(
      table(
        [
          '',
          '`node dist/src/worker.js`, prebuilt bundle',
          'tsx, prebuilt bundle',
          'tsx, bundled at start',
          'tsx bundle / compiled',
        ],
        [
          [
            'median',
            st.compiledMedianMs === undefined ? '–' : ms(st.compiledMedianMs),
            ms(st.withBundleMedianMs),
            ms(st.withoutBundleMedianMs),
            ratio(st.withBundleMedianMs, st.compiledMedianMs, 1),
          ],
          [
            'all',
            (st.compiledMs ?? []).map((v) => ms(v)).join(', ') || '–',
            st.withBundleMs.map((v) => ms(v)).join(', '),
            st.withoutBundleMs.map((v) => ms(v)).join(', '),
            '',
          ],
        ],
      ),
    );
    if (st.profile)
      out.push(renderProfiles('Start-up CPU profile (with the bundle, start → ready → stop)', st.profile));
  }
  if (r.prodServer) out.push(...renderProdServer(r.prodServer));
  if (r.peers) out.push(renderPeers(r.peers, r.scale));
  if (r.burst?.length) {
    out.push(
      '## A burst of starts: the floor under start → first request',
      'N runs of a workflow that only runs one activity (bench/workflows/burst.ts), started at once on a worker in the benchmark process with SDK defaults; times from the histories of a sample of runs (p50 / p99 / max).',
      table(
        [
          'N',
          'start calls in flight',
          'dev server SQLite pragmas',
          'start phase',
          'all done',
          'sampled',
          'start → first task',
          'start → activity started',
        ],
        r.burst.map((b) => [
          fmt(b.n),
          fmt(b.startConcurrency),
          b.devServerPragmas,
          `${fmt(b.startPhaseSeconds, 1)} s`,
          `${fmt(b.wallSeconds, 1)} s`,
          fmt(b.sampled),
          `${ms(b.toFirstTaskMs.p50)} / ${ms(b.toFirstTaskMs.p99)} / ${ms(b.toFirstTaskMs.max)}`,
          `${ms(b.toActivityMs.p50)} / ${ms(b.toActivityMs.p99)} / ${ms(b.toActivityMs.max)}`,
        ]),
      ),
    );
  }
  if (Object.keys(r.errors).length > 0) {
    out.push('## Scenarios that failed');
    out.push(
      table(
        ['scenario', 'error'],
        Object.entries(r.errors).map(([k, v]) => [k, v.replace(/\n/g, ' ').slice(0, 300)]),
      ),
    );
  }
  return `${out.join('\n\n')}\n`;
}
