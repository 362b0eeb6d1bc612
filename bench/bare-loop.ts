/**
 * The limit: a bare Node loop, no Temporal. Creates one job per connection and polls each job with
 * the same HTTP client (got, same settings as the project's activity: no retries, no redirects,
 * JSON) at the same interval until it is terminal. Run as its own process by the benchmark
 * (`node --import tsx bench/bare-loop.ts`), configured by BENCH_BARE_CONFIG (JSON); writes its
 * result to `outFile`.
 */
import { writeFileSync } from 'node:fs';
import got from 'got';

interface BareConfig {
  apiUrl: string;
  connectionIds: string[];
  intervalMs: number;
  outFile: string;
  startConcurrency: number;
  /** Hard stop, ms after start. */
  deadlineMs: number;
}

export interface BareResult {
  polls: number;
  creates: number;
  /** process CPU seconds from the first create to the last detection */
  cpuSeconds: number;
  wallSeconds: number;
  jobs: Array<{
    connectionId: string;
    jobId?: number;
    startMs: number;
    detectedAtMs?: number;
    status?: string;
  }>;
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);
const options = {
  throwHttpErrors: false,
  retry: { limit: 0 },
  followRedirect: false,
  timeout: { request: 150_000 },
  headers: { accept: 'application/json', 'user-agent': 'arazzo-temporal-bench' },
} as const;

async function main(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_BARE_CONFIG ?? '{}') as BareConfig;
  const cpuStart = process.cpuUsage();
  const wallStart = Date.now();
  const result: BareResult = { polls: 0, creates: 0, cpuSeconds: 0, wallSeconds: 0, jobs: [] };
  let open = config.connectionIds.length;
  let finish: () => void = () => {};
  const allDone = new Promise<void>((r) => (finish = r));

  const poll = async (job: BareResult['jobs'][number]): Promise<void> => {
    try {
      const response = await got(`${config.apiUrl}/jobs/${job.jobId}`, { ...options, responseType: 'json' });
      result.polls++;
      const status = (response.body as { status?: string }).status;
      if (response.statusCode === 200 && status && TERMINAL.has(status)) {
        job.detectedAtMs = Date.now();
        job.status = status;
        if (--open === 0) finish();
        return;
      }
    } catch {
      result.polls++;
    }
    setTimeout(() => void poll(job), config.intervalMs);
  };

  let next = 0;
  const lanes = Array.from(
    { length: Math.min(config.startConcurrency, config.connectionIds.length) },
    async () => {
      for (;;) {
        const i = next++;
        if (i >= config.connectionIds.length) return;
        const connectionId = config.connectionIds[i]!;
        const job: BareResult['jobs'][number] = { connectionId, startMs: Date.now() };
        result.jobs.push(job);
        const response = await got.post(`${config.apiUrl}/jobs`, {
          ...options,
          json: { connectionId, jobType: 'sync' },
          responseType: 'json',
        });
        result.creates++;
        job.jobId = (response.body as { jobId?: number }).jobId;
        setTimeout(() => void poll(job), config.intervalMs);
      }
    },
  );
  await Promise.all(lanes);
  const deadline = setTimeout(finish, config.deadlineMs);
  await allDone;
  clearTimeout(deadline);
  const cpu = process.cpuUsage(cpuStart);
  result.cpuSeconds = (cpu.user + cpu.system) / 1e6;
  result.wallSeconds = (Date.now() - wallStart) / 1000;
  writeFileSync(config.outFile, JSON.stringify(result));
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`bare loop failed: ${String(error)}\n`);
  process.exit(1);
});
