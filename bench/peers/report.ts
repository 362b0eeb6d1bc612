/** The report section for the `peers` scenario: Airflow's Airbyte provider beside our scale runs. */
import type { ScaleResult } from '../scenarios/scale.js';
import type { PeersResult } from './airflow.js';

const num = (v: number | undefined, digits = 0): string =>
  v === undefined || !Number.isFinite(v)
    ? '–'
    : v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const seconds = (msValue: number | undefined): string =>
  msValue === undefined ? '–' : `${num(msValue / 1000, 2)} s`;

/** Markdown for the peers section; `scale` (same bench run) supplies our rows at the same N. */
export function renderPeers(p: PeersResult, scale: ScaleResult | undefined): string {
  const out: string[] = ['## 6. Side by side: Airflow’s Airbyte provider'];
  out.push(
    'What users would pick instead: `AirbyteTriggerSyncOperator` from apache-airflow-providers-airbyte. ' +
      'bench/peers/airflow_driver.py runs the provider’s own classes against the same simulator, with the scale ' +
      `scenario’s jobs, N and poll interval (${p.pollIntervalSeconds} s): *trigger* = N \`AirbyteSyncTrigger\`s in ` +
      'one asyncio loop, as Airflow’s triggerer runs them (`async for event in trigger.run()`); *sensor* = ' +
      '`AirbyteJobSensor.poke` for each due job from one scheduler-like loop, as reschedule mode pokes (the real ' +
      'thing also starts a task process and writes the metadata DB per poke, so this is a lower bound). ' +
      'No Airflow metadata DB: the Airbyte connection comes from `AIRFLOW_CONN_AIRBYTE_DEFAULT`. ' +
      'CPU = the Python process’s CPU time while waiting (job creation excluded); polls = GETs the simulator ' +
      'answered; RSS per waiting job = (peak RSS − RSS before the waits) / N; detection overhead = the peer saw ' +
      'the job terminal − the job’s end in the simulator. Note: the operator itself hard-codes a 60 s trigger ' +
      'poll interval (`trigger_poll_interval = 60` in operators/airbyte.py); the interval here is the scale one, ' +
      'so the costs compare at equal polling. Our rows come from the scale scenario of the same run (worker process; ' +
      'the Temporal dev server’s CPU per poll in brackets, as Airflow’s own scheduler, triggerer bookkeeping and ' +
      'database are not in the peers’ figures).',
  );
  if (p.skipped) {
    out.push(`**Not run:** ${p.skipped}.`);
    return out.join('\n\n');
  }
  if (p.versions)
    out.push(
      `Versions: ${Object.entries(p.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}${p.warnings?.length ? ` (warning: ${p.warnings.join('; ')})` : ''}.`,
    );
  const rows: string[][] = [];
  const sizes = [...new Set(p.runs.map((r) => r.n))];
  for (const n of sizes) {
    const ours = scale?.temporal.find((t) => t.n === n);
    if (ours)
      rows.push([
        'arazzo-temporal worker',
        num(n),
        `${ours.completed}/${num(n)}`,
        num(ours.polls),
        `${num(ours.workerCpuMsPerPoll, 3)} (+ dev server ${num(ours.devServerCpuMsPerPoll, 3)})`,
        `${num(ours.worker.peakRssMb, 0)} MB`,
        '–',
        seconds(ours.detectionOverheadMs.p50),
        seconds(ours.detectionOverheadMs.p99),
      ]);
    for (const r of p.runs.filter((x) => x.n === n))
      rows.push([
        `Airflow ${r.mode}`,
        num(n),
        `${r.detected}/${num(n)}`,
        num(r.polls),
        num(r.cpuMsPerPoll, 3),
        `${num(r.peakRssMb, 0)} MB`,
        `${num(r.rssPerWaitingJobKb, 1)} KB`,
        seconds(r.detectionOverheadMs.p50),
        seconds(r.detectionOverheadMs.p99),
      ]);
  }
  out.push(
    [
      '| design | N | seen ending | polls | CPU ms / poll | peak RSS | RSS / waiting job | detection p50 | detection p99 |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows.map((r) => `| ${r.join(' | ')} |`),
    ].join('\n'),
  );
  const lag = p.runs
    .filter((r) => r.maxLoopLagMs !== undefined)
    .map((r) => `${num(r.n)}: ${num(r.maxLoopLagMs, 0)} ms`);
  if (lag.length > 0)
    out.push(
      'The trigger’s status read is a synchronous HTTP call inside `run()`, so each poll blocks the triggerer’s ' +
        `loop; longest overrun of a 100 ms sleep (the triggerer’s block watchdog) by N: ${lag.join(', ')}.`,
    );
  for (const [mode, stop] of Object.entries(p.stoppedAt ?? {}))
    out.push(`Airflow ${mode} stopped at N = ${num(stop.n)}: ${stop.why}.`);
  return out.join('\n\n');
}
