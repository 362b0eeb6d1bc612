/**
 * The real `arazzo-temporal` process (`node --import tsx src/client.ts`, and the bin launcher)
 * against the real Temporal server and worker: exit codes, stdout/stderr split, Ctrl-C.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(() => stack?.close());

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Spawned {
  code: number | null;
  out: string;
  err: string;
}

/** Runs the CLI as its own process; `onErr` sees stderr as it comes (to send a signal at the right time). */
function spawnCli(
  argv: string[],
  options: { entry?: string[]; onErr?: (text: string, kill: (s: NodeJS.Signals) => void) => void } = {},
): Promise<Spawned> {
  const entry = options.entry ?? ['--import', 'tsx', 'src/client.ts'];
  const child = spawn(process.execPath, [...entry, ...argv], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: stack.temporal.address,
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
    options.onErr?.(err, (s) => child.kill(s));
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

describe('the arazzo-temporal process', () => {
  it('runs a sync: progress lines on stderr, outputs on stdout, exit 0', async () => {
    const id = stack.simulator.addConnection({ scenario: { runningPolls: 1, rowsSynced: 9 } }).connectionId;
    const { code, out, err } = await spawnCli([
      'run',
      'trigger-sync-and-poll',
      '--input',
      `connectionId=${id}`,
      '--option',
      'pollIntervalSeconds=0.05',
      '--json',
    ]);
    assert.equal(code, 0, err);
    const result = JSON.parse(out) as {
      status: string;
      outputs: { finalStatus: string; rowsSynced: number };
    };
    assert.equal(result.status, 'COMPLETED');
    assert.deepEqual([result.outputs.finalStatus, result.outputs.rowsSynced], ['succeeded', 9]);
    assert.match(err, /^Started trigger-sync-and-poll as /);
    assert.match(err, /\n\[\d+s\] (starting|running|waiting) · /);
  });

  it('exits 1 on a failed run and 2 on a usage error, through the bin launcher too', async () => {
    const id = stack.simulator.addConnection({
      scenario: { runningPolls: 0, outcome: 'failed' },
    }).connectionId;
    const failed = await spawnCli(['run', 'trigger-sync-and-poll', '-i', `connectionId=${id}`], {
      entry: ['bin/arazzo-temporal.js'],
    });
    assert.equal(failed.code, 1, failed.err);
    assert.match(failed.err, /AirbyteJobFailed: job \d+ ended failed \(step pollJob\)/);
    const usage = await spawnCli(['run'], { entry: ['bin/arazzo-temporal.js'] });
    assert.equal(usage.code, 2);
    assert.match(usage.err, /^arazzo-temporal run: missing <workflow>\n/);
  });

  it('on Ctrl-C stops following with exit 130 and says how to cancel; the run goes on', async () => {
    const id = stack.simulator.addConnection({ scenario: { runningPolls: 10_000 } }).connectionId;
    const workflowId = `sigint-${id}`;
    let sent = false;
    const { code, err } = await spawnCli(
      [
        'run',
        'trigger-sync-and-poll',
        '-i',
        `connectionId=${id}`,
        '-o',
        'pollIntervalSeconds=0.05',
        '--id',
        workflowId,
      ],
      {
        onErr: (text, kill) => {
          if (!sent && /· job \d+: running/.test(text)) {
            sent = true;
            kill('SIGINT');
          }
        },
      },
    );
    assert.equal(code, 130, err);
    assert.match(
      err,
      new RegExp(`Stopped following; ${workflowId} is still running \\(job \\d+: running\\)\\.\\n`),
    );
    assert.match(err, new RegExp(`cancel it: +arazzo-temporal cancel ${workflowId} --reason`));
    const handle = stack.temporal.client.workflow.getHandle(workflowId);
    assert.equal((await handle.describe()).status.name, 'RUNNING');
    await handle.terminate('test cleanup');
  });
});
