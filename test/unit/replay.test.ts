/**
 * Every recorded history (test/histories, from real runs: scripts/record-histories.ts) replays
 * against the current workflow code. A change that would break running workflows fails here; a
 * deliberately non-deterministic variant proves the check can fail.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { workflowsPath } from '../../src/worker/setup.js';
import { bundleWorkflows } from '../../src/worker/workflow-bundle.js';

const folder = new URL('../histories/', import.meta.url);

async function histories(): Promise<Array<{ file: string; workflowId: string; history: unknown }>> {
  const files = (await readdir(folder)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (file) => {
      const history = JSON.parse(await readFile(new URL(file, folder), 'utf8')) as {
        events?: Array<{
          workflowExecutionStartedEventAttributes?: { workflowId?: string };
          startChildWorkflowExecutionInitiatedEventAttributes?: unknown;
        }>;
      };
      // A parent derives its children's ids from its own: it replays under its recorded id. The
      // others keep the file name (the runs of a continue-as-new chain share one id).
      const startsChild = history.events?.some((e) => e.startChildWorkflowExecutionInitiatedEventAttributes);
      const recordedId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowId;
      return { file, workflowId: (startsChild && recordedId) || file, history: history as unknown };
    }),
  );
}

describe('recorded histories', () => {
  Runtime.install({ logger: new DefaultLogger('ERROR') });

  it('all replay against the current workflow code, bundled as the worker ships it', async () => {
    const recorded = await histories();
    assert.ok(recorded.length >= 10, `only ${recorded.length} histories`);
    const byId = new Map(recorded.map((h) => [h.workflowId, h.file]));
    // The sub-workflow path (a child started on the parent's plan) is pinned too.
    assert.ok(
      recorded.some((h) => h.file.includes('child-parent')),
      'no recorded history has a child workflow',
    );
    const failures: string[] = [];
    // The shipped bundle shares the Arazzo core and the XPath/JSONPath engines between the runs of
    // one V8 context (preloadModules), so replaying every history in one worker also checks that
    // nothing one run leaves in them changes another's commands.
    const workflowBundle = await bundleWorkflows({
      workflowsPath: workflowsPath(),
      logger: new DefaultLogger('ERROR'),
    });
    for await (const result of Worker.runReplayHistories({ workflowBundle }, recorded)) {
      if (result.error)
        failures.push(`${byId.get(result.workflowId) ?? result.workflowId}: ${result.error.message}`);
    }
    assert.deepEqual(failures, []);
  });

  it('a deliberately non-deterministic change is caught', async () => {
    const recorded = (await histories()).filter((h) => h.file.includes('sync-succeeds'));
    assert.ok(recorded.length > 0);
    const changed = fileURLToPath(new URL('../fixtures/workflows/nondeterministic.ts', import.meta.url));
    let caught = 0;
    for await (const result of Worker.runReplayHistories({ workflowsPath: changed }, recorded)) {
      if (result.error instanceof DeterminismViolationError) caught++;
    }
    assert.equal(caught, recorded.length);
  });
});
