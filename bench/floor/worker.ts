/**
 * The floor workflow's worker, a separate process configured like the project's worker (the same
 * environment variables the benchmark gives it) and run the same way: a prebuilt workflow bundle,
 * SDK default options, "worker polling" on stdout when ready.
 */
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createRetryPollActivities } from '../workflows/retry-poll-activities.js';

Runtime.install({ logger: new DefaultLogger('WARN') });
const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const { code } = await bundleWorkflowCode({
  workflowsPath: fileURLToPath(new URL('./floor-workflow.ts', import.meta.url)),
  logger: new DefaultLogger('WARN'),
});
const connection = await NativeConnection.connect({ address: env('TEMPORAL_ADDRESS') });
const worker = await Worker.create({
  connection,
  namespace: process.env.TEMPORAL_NAMESPACE || 'default',
  taskQueue: env('TEMPORAL_TASK_QUEUE'),
  workflowBundle: { code },
  activities: createRetryPollActivities(env('AIRBYTE_API_URL')),
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
process.stdout.write('worker polling\n');
await worker.run();
await connection.close();
