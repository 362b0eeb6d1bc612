/**
 * Replays histories against one workflow bundle and prints the process CPU (all threads, ms) each
 * batch took, as JSON. Plain JavaScript, so the `activations` scenario can run it under plain node
 * (as the compiled worker runs) or under tsx (as `npm run worker` did).
 *
 *   BENCH_REPLAY='{"codePath": "...", "historiesFile": "..."}' node bench/lib/replay-cpu.mjs
 *
 * historiesFile: JSON array of batches, each an array of { workflowId, history }. The first
 * replay warms the worker up and is not counted.
 */
import { readFileSync } from 'node:fs';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';

const { codePath, historiesFile } = JSON.parse(process.env.BENCH_REPLAY ?? '{}');
const batches = JSON.parse(readFileSync(historiesFile, 'utf8'));
Runtime.install({ logger: new DefaultLogger('ERROR') });
const all = batches.flat();
const ends = batches.map((_, i) => batches.slice(0, i + 1).reduce((a, b) => a + b.length, 0));
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const marks = [];
let done = 0;
let start = cpu();
for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath } }, all)) {
  if (result.error) throw new Error(`replay of ${result.workflowId} failed: ${result.error.message}`);
  done++;
  if (done === 1) start = cpu();
  if (ends.includes(done)) marks.push(cpu());
}
process.stdout.write(JSON.stringify(marks.map((m, i) => m - (i === 0 ? start : marks[i - 1]))));
