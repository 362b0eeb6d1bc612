/**
 * `npm run bench:charts`: renders the benchmark charts from the raw results in bench/results/*.json
 * as SVG with Vega-Lite (compiled to Vega, rendered by Vega's SVG renderer in Node: no browser, no
 * canvas), into docs/charts/:
 *
 *   worker-cpu-per-poll.svg   worker CPU per poll, per design and N, with the peers
 *   detection-overhead.svg    detection overhead p50 and p99 against N, per design and the peers
 *
 * Each (design, N) point comes from the newest results file that has it, so a later partial run
 * (peers, a scenario alone) replaces the older figure. The charts name the files they were drawn from.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { projectRoot } from '../src/config/index.js';

/** One measured point of one design. */
export interface ChartPoint {
  design: string;
  n: number;
  cpuMsPerPoll?: number;
  detectionP50Ms?: number;
  detectionP99Ms?: number;
  file: string;
  date: string;
}

interface Percentiles {
  p50?: number;
  p99?: number;
}
interface ResultsFile {
  machine?: { date?: string };
  scale?: {
    temporal?: Array<{ n: number; workerCpuMsPerPoll?: number; detectionOverheadMs?: Percentiles }>;
    floor?: Array<{ n: number; workerCpuMsPerPoll?: number; detectionOverheadMs?: Percentiles }>;
    activity?: Array<{ n: number; workerCpuMsPerPoll?: number; detectionOverheadMs?: Percentiles }>;
    bare?: Array<{ n: number; cpuMsPerPoll?: number; detectionOverheadMs?: Percentiles }>;
  };
  peers?: {
    runs?: Array<{ peer: string; n: number; cpuMsPerPoll?: number; detectionOverheadMs?: Percentiles }>;
  };
  wait?: {
    intervalSeconds?: number;
    designs?: Array<{ design: string; n: number; cpuMsPerPoll?: number; detectionOverheadMs?: Percentiles }>;
  };
}

const DESIGN_NAMES: Record<string, string> = {
  temporal: 'arazzo-temporal (timer + local read)',
  bare: 'bare Node loop (no durability)',
  floor: 'Temporal SDK floor (hand-written timer + local read)',
  activity: "arazzo-temporal (pollIn: 'activity')",
  'airflow-trigger': 'Airflow deferrable trigger',
  'airflow-sensor': 'Airflow sensor (reschedule)',
};

/** The points of one results file. */
export function pointsOf(results: ResultsFile, file: string): ChartPoint[] {
  const date = results.machine?.date ?? '';
  const point = (
    design: string,
    n: number,
    cpu: number | undefined,
    detection: Percentiles | undefined,
  ): ChartPoint => ({
    design: DESIGN_NAMES[design] ?? design,
    n,
    ...(cpu !== undefined ? { cpuMsPerPoll: cpu } : {}),
    ...(detection?.p50 !== undefined ? { detectionP50Ms: detection.p50 } : {}),
    ...(detection?.p99 !== undefined ? { detectionP99Ms: detection.p99 } : {}),
    file,
    date,
  });
  return [
    ...(results.scale?.temporal ?? []).map((r) =>
      point('temporal', r.n, r.workerCpuMsPerPoll, r.detectionOverheadMs),
    ),
    ...(results.scale?.floor ?? []).map((r) =>
      point('floor', r.n, r.workerCpuMsPerPoll, r.detectionOverheadMs),
    ),
    ...(results.scale?.activity ?? []).map((r) =>
      point('activity', r.n, r.workerCpuMsPerPoll, r.detectionOverheadMs),
    ),
    ...(results.scale?.bare ?? []).map((r) => point('bare', r.n, r.cpuMsPerPoll, r.detectionOverheadMs)),
    ...(results.peers?.runs ?? []).map((r) => point(r.peer, r.n, r.cpuMsPerPoll, r.detectionOverheadMs)),
    ...(results.wait?.designs ?? []).map((r) =>
      point(
        `arazzo-temporal, ${r.design} (wait scenario, ${results.wait?.intervalSeconds ?? '?'} s interval)`,
        r.n,
        r.cpuMsPerPoll,
        r.detectionOverheadMs,
      ),
    ),
  ];
}

/** One point per (design, N): the newest file's. */
export function newestPoints(points: ChartPoint[]): ChartPoint[] {
  const byKey = new Map<string, ChartPoint>();
  for (const p of points) {
    const key = `${p.design}\u0000${p.n}`;
    const seen = byKey.get(key);
    if (seen === undefined || p.date > seen.date) byKey.set(key, p);
  }
  return [...byKey.values()].sort((a, b) => a.design.localeCompare(b.design) || a.n - b.n);
}

const sourcesNote = (points: ChartPoint[]) =>
  `from bench/results/: ${[...new Set(points.map((p) => p.file))].sort().join(', ')}`;

/** Worker CPU per poll, grouped by N, one bar per design. */
export function cpuChart(points: ChartPoint[]): TopLevelSpec {
  const values = points
    .filter((p) => p.cpuMsPerPoll !== undefined)
    .map((p) => ({ design: p.design, N: `N = ${p.n}`, n: p.n, ms: p.cpuMsPerPoll }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Worker CPU per poll', subtitle: sourcesNote(points) },
    data: { values },
    width: 140,
    height: 260,
    mark: { type: 'bar', tooltip: true },
    encoding: {
      column: { field: 'N', type: 'ordinal', sort: { field: 'n' }, title: null },
      x: { field: 'design', type: 'nominal', axis: null },
      y: { field: 'ms', type: 'quantitative', title: 'worker CPU ms per poll' },
      color: {
        field: 'design',
        type: 'nominal',
        legend: { orient: 'bottom', columns: 1, title: null, labelLimit: 600 },
      },
    },
  };
}

/** Detection overhead p50 (solid) and p99 (dashed) against N, one line per design. */
export function detectionChart(points: ChartPoint[]): TopLevelSpec {
  const values = points.flatMap((p) => [
    ...(p.detectionP50Ms !== undefined
      ? [{ design: p.design, n: p.n, percentile: 'p50', seconds: p.detectionP50Ms / 1000 }]
      : []),
    ...(p.detectionP99Ms !== undefined
      ? [{ design: p.design, n: p.n, percentile: 'p99', seconds: p.detectionP99Ms / 1000 }]
      : []),
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Detection overhead against N (job ended → run saw it)', subtitle: sourcesNote(points) },
    data: { values },
    width: 480,
    height: 300,
    mark: { type: 'line', point: true, tooltip: true },
    encoding: {
      x: { field: 'n', type: 'quantitative', title: 'concurrent runs N (log)', scale: { type: 'log' } },
      y: { field: 'seconds', type: 'quantitative', title: 'detection overhead (s)' },
      color: {
        field: 'design',
        type: 'nominal',
        legend: { orient: 'bottom', columns: 1, title: null, labelLimit: 600 },
      },
      strokeDash: { field: 'percentile', type: 'nominal', title: null },
      detail: { field: 'percentile' },
    },
  };
}

/** Renders a Vega-Lite spec to SVG text. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

async function main(): Promise<void> {
  const resultsDir = join(projectRoot, 'bench', 'results');
  const outDir = join(projectRoot, 'docs', 'charts');
  const points = newestPoints(
    readdirSync(resultsDir)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => pointsOf(JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as ResultsFile, f)),
  );
  mkdirSync(outDir, { recursive: true });
  for (const [name, spec] of [
    ['worker-cpu-per-poll.svg', cpuChart(points)],
    ['detection-overhead.svg', detectionChart(points)],
  ] as const) {
    writeFileSync(join(outDir, name), await renderSvg(spec));
    process.stdout.write(`docs/charts/${name}\n`);
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench:charts failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
