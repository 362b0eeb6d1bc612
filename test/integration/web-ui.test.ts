/**
 * The Temporal Web UI, driven in headless Chromium: start `trigger-sync-and-poll` from the UI's
 * "Start Workflow" form (one JSON payload, json/plain, as the README promises) and see the run
 * complete on its workflow page. Runs its own dev server with the UI (the shared `npm test` server
 * is headless), the simulator and a worker against it, and stops all of them whatever happens.
 * The completed run's page is kept as `test-results/web-ui-completed.png`.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { Locator, Page } from 'playwright-core';
import { startDevServer } from '../../src/dev-server/dev-server.js';
import { loadWorkerConfig } from '../../src/config/index.js';
import { createArazzoWorker } from '../../src/worker/setup.js';
import { startSimulator } from '../../simulator/server.js';
import { catalogFolder } from '../helpers/stack.js';
import { artifactPath, chromiumMissingReason, launchChromium } from '../helpers/browser.js';

const workflowType = 'trigger-sync-and-poll';
/** Generous, for a cold UI on two busy cores; every wait ends as soon as its condition holds. */
const uiTimeoutMs = 30_000;

/** Cleanups, run last-in first-out, each whatever the others did. */
function cleanups(t: TestContext) {
  const steps: { name: string; run: () => Promise<unknown> }[] = [];
  return {
    defer(name: string, run: () => Promise<unknown>): void {
      steps.push({ name, run });
    },
    async runAll(): Promise<void> {
      for (const step of steps.reverse()) {
        try {
          await step.run();
        } catch (error) {
          t.diagnostic(`stopping the ${step.name} failed: ${String(error)}`);
        }
      }
    },
  };
}

/** The JSON in a CodeMirror editor of the UI (it pretty-prints what it shows). */
async function editorJson(editor: Locator): Promise<unknown> {
  return JSON.parse(await editor.innerText());
}

/** The editor in the same block as a heading (the workflow page's Input and Result). */
function editorUnder(heading: Locator): Locator {
  return heading.locator('xpath=..').getByRole('textbox');
}

test(
  'Web UI: start trigger-sync-and-poll from the Start Workflow form and see it complete',
  { timeout: 90_000 },
  async (t) => {
    const missing = chromiumMissingReason();
    if (missing) {
      t.skip(`${missing}; this test drives the Temporal Web UI in a browser`);
      return;
    }
    try {
      // Worker state chatter drowns the test report; warnings and errors still show.
      Runtime.install({ logger: new DefaultLogger('WARN') });
    } catch {
      // Already installed by another test sharing this process.
    }
    const cleanup = cleanups(t);
    let page: Page | undefined;
    try {
      const browser = await launchChromium();
      cleanup.defer('browser', () => browser.close());
      page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      page.setDefaultTimeout(uiTimeoutMs);
      page.setDefaultNavigationTimeout(uiTimeoutMs);

      const server = await startDevServer({ headless: false });
      cleanup.defer('Temporal dev server', () => server.stop());
      const uiUrl = server.uiUrl;
      assert.ok(uiUrl, 'the dev server serves a Web UI');

      const simulator = await startSimulator({ clock: 'polls' });
      cleanup.defer('simulator', () => simulator.close());

      // The worker as stack.ts builds it, on this server.
      const taskQueue = `web-ui-${randomUUID()}`;
      const env: NodeJS.ProcessEnv = {
        TEMPORAL_ADDRESS: server.address,
        TEMPORAL_TASK_QUEUE: taskQueue,
        AIRBYTE_API_URL: simulator.url,
        ARAZZO_CATALOG: catalogFolder,
      };
      const loaded = loadWorkerConfig(env);
      if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
      const nativeConnection = await NativeConnection.connect({ address: server.address });
      cleanup.defer('worker connection', () => nativeConnection.close());
      const { worker } = await createArazzoWorker({
        config: loaded.config,
        connection: nativeConnection,
        env,
        workerOptions: { shutdownGraceTime: '1 second' },
      });
      const running = worker.run();
      running.catch(() => undefined); // awaited (and reported) at cleanup
      cleanup.defer('worker', async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
      });
      const connection = await Connection.connect({ address: server.address });
      cleanup.defer('client connection', () => connection.close());
      const client = new Client({ connection, namespace: server.namespace });

      const { connectionId } = simulator.addConnection({
        scenario: { pendingPolls: 1, runningPolls: 2, rowsSynced: 42 },
      });
      const workflowId = `web-ui-${randomUUID()}`;
      const input = { connectionId, 'x-temporal': { pollIntervalSeconds: 0.05 } };

      // The workflows list, and the form behind its "Start Workflow" button.
      await page.goto(`${uiUrl}/namespaces/${server.namespace}/workflows`);
      await page.getByRole('button', { name: 'Start Workflow' }).click();
      const main = page.getByRole('main');
      await main.getByRole('heading', { name: 'Start a Workflow' }).waitFor();
      await main.getByRole('textbox', { name: 'Workflow ID' }).fill(workflowId);
      await main.getByRole('textbox', { name: 'Task Queue' }).fill(taskQueue);
      await main.getByRole('textbox', { name: 'Workflow Type' }).fill(workflowType);
      // The input editor (CodeMirror) has no accessible name: reach it through its "Data" label.
      const dataId = await main
        .locator('label')
        .filter({ hasText: /^\s*Data\s*$/ })
        .getAttribute('for');
      assert.ok(dataId, 'the "Data" label points at the input editor');
      const data = main.locator(`[id="${dataId}"]`).getByRole('textbox');
      await data.fill(JSON.stringify(input));
      // Leaving the editor pretty-prints the JSON and grows the form: do it before clicking Start,
      // or the button moves away between mouse down and up and the click is lost.
      await data.blur();
      assert.deepEqual(await editorJson(data), input);
      const plain = main.getByRole('radio', { name: 'json/plain' });
      await plain.check();
      assert.equal(await plain.isChecked(), true);
      await main.getByRole('button', { name: 'Start Workflow' }).click();

      // The toast links to the new run's page.
      await page.getByRole('log').getByRole('link', { name: 'Workflow started successfully' }).click();
      await main.getByRole('heading', { name: workflowId }).waitFor();
      await main.getByText('Completed', { exact: true }).first().waitFor();
      const result = editorUnder(main.getByRole('heading', { name: 'Result', exact: true }));
      await result.filter({ hasText: /"finalStatus":\s*"succeeded"/ }).waitFor();
      const shownResult = await editorJson(result);
      assert.deepEqual(
        await editorJson(editorUnder(main.getByRole('heading', { name: 'Input', exact: true }))),
        input,
      );
      await main.getByRole('link', { name: workflowType, exact: true }).waitFor();
      const screenshot = await artifactPath('web-ui-completed.png');
      await page.screenshot({ path: screenshot });
      t.diagnostic(`screenshot of the completed run: ${screenshot}`);

      // The same run through the Temporal client, and what the simulator saw.
      const handle = client.workflow.getHandle(workflowId);
      const outputs = (await handle.result()) as Record<string, unknown>;
      const description = await handle.describe();
      assert.equal(description.status.name, 'COMPLETED');
      assert.equal(description.type, workflowType);
      assert.equal(description.taskQueue, taskQueue);
      const jobs = simulator.jobs(connectionId);
      assert.equal(jobs.length, 1);
      assert.deepEqual(outputs, { jobId: jobs[0]?.jobId, finalStatus: 'succeeded', rowsSynced: 42 });
      assert.deepEqual(shownResult, outputs);
      const creates = simulator
        .requests()
        .filter((r) => r.operationId === 'createJob' && r.connectionId === connectionId);
      assert.equal(creates.length, 1, 'exactly one createJob');
      // The form sent ONE json/plain payload: the workflow's single object argument.
      const history = await handle.fetchHistory();
      const payloads = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
      assert.equal(payloads.length, 1);
      assert.equal(Buffer.from(payloads[0]?.metadata?.encoding ?? []).toString(), 'json/plain');
    } catch (error) {
      if (page && !page.isClosed()) {
        const failure = await artifactPath('web-ui-failure.png');
        await page.screenshot({ path: failure, fullPage: true }).then(
          () => t.diagnostic(`screenshot at the failure: ${failure}`),
          () => undefined,
        );
      }
      throw error;
    } finally {
      await cleanup.runAll();
    }
  },
);
