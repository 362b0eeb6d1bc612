/**
 * Security: the input of a run can never choose the server URL, the credentials or the catalog
 * document; path parameters are encoded so input cannot change the request path; responses bigger
 * than ARAZZO_MAX_BODY_BYTES are truncated before they reach history; and no token, client secret
 * or password shows up in any history, worker log line or error (static-token and basic-auth
 * workers here; client credentials in the API-faults part).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import type { Client } from '@temporalio/client';
import { startSimulator, type Simulator } from '../../../simulator/server.js';
import { startRun } from '../../../src/arazzo/machine/index.js';
import { loadWorkerConfig } from '../../../src/config/index.js';
import { loadWorkerCatalog } from '../../../src/worker/setup.js';
import { useTestTemporal } from '../../helpers/temporal.js';
import {
  SECRETS,
  allSecrets,
  decodedPayloads,
  errorText,
  fetchHistories,
  findSecrets,
  record,
  rootFailure,
  startTrap,
} from './harness.js';
import { everyWorkerOutput, projectRoot, startWorker, until, type WorkerProcess } from './processes.js';
import { Failure } from '../../../src/arazzo/failures.js';

const FAST = { 'x-temporal': { pollIntervalSeconds: 0.05 } };

async function outcome(
  client: Client,
  taskQueue: string,
  type: string,
  args: unknown[],
  id: string,
  errors: string[],
) {
  try {
    const handle = await client.workflow.start(type, { taskQueue, workflowId: id, args });
    return { ok: true as const, value: (await handle.result()) as Record<string, unknown> };
  } catch (error) {
    errors.push(errorText(error));
    return { ok: false as const, ...rootFailure(error) };
  }
}

export interface SecurityFigures {
  [key: string]: unknown;
}

export async function runSecurity(options: { label: string; pathCases?: number }): Promise<SecurityFigures> {
  const started = Date.now();
  const temporal = await useTestTemporal();
  const trap = await startTrap();
  const simulator: Simulator = await startSimulator({
    clock: 'polls',
    auth: { mode: 'token', tokens: [SECRETS.apiToken] },
    defaultScenario: { pendingPolls: 1, runningPolls: 2 },
  });
  const basicSim: Simulator = await startSimulator({
    clock: 'polls',
    auth: { mode: 'basic', users: [{ username: SECRETS.username, password: SECRETS.password }] },
    defaultScenario: { pendingPolls: 1, runningPolls: 2 },
  });
  const tmp = await mkdtemp(join(tmpdir(), 'arazzo-rel-sec-'));
  const probeDir = join(tmp, 'probes');
  const workers: WorkerProcess[] = [];
  const errors: string[] = [];
  const ids: string[] = [];
  const problems: string[] = [];
  const todo: string[] = [];
  try {
    const template = await readFile(
      join(projectRoot, 'test/fixtures/bad-inputs/probe.arazzo.yaml.template'),
      'utf8',
    );
    await (await import('node:fs/promises')).mkdir(probeDir);
    await writeFile(
      join(probeDir, 'probe.arazzo.yaml'),
      template.replace('OPENAPI_PATH', join(projectRoot, 'openapi', 'airbyte-openapi.yml')),
    );
    const taskQueue = temporal.taskQueue('rel-sec');
    const env = {
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      AIRBYTE_API_URL: simulator.url,
      AIRBYTE_API_TOKEN: SECRETS.apiToken,
      ARAZZO_CATALOG: `${join(projectRoot, 'arazzo')}:${probeDir}`,
      ARAZZO_MAX_BODY_BYTES: '4096',
    };
    workers.push(await startWorker(env, `${options.label}-token`));
    const basicQueue = temporal.taskQueue('rel-sec-basic');
    workers.push(
      await startWorker(
        {
          TEMPORAL_ADDRESS: temporal.address,
          TEMPORAL_TASK_QUEUE: basicQueue,
          AIRBYTE_API_URL: basicSim.url,
          AIRBYTE_USERNAME: SECRETS.username,
          AIRBYTE_PASSWORD: SECRETS.password,
        },
        `${options.label}-basic`,
      ),
    );
    const tag = `${options.label}-${Date.now()}`;
    let n = 0;
    const run = (type: string, args: unknown[], queue = taskQueue) => {
      const id = `${tag}-${n++}`;
      ids.push(id);
      return outcome(temporal.client, queue, type, args, id, errors);
    };

    // 1. Input that tries to choose the server, the credentials or the catalog: refused, nothing reaches the trap.
    const c = simulator.addConnection().connectionId;
    const hostile: unknown[] = [
      { connectionId: c, ...FAST, serverUrl: trap.url },
      { connectionId: c, ...FAST, AIRBYTE_API_URL: trap.url },
      {
        connectionId: c,
        ...FAST,
        sourceDescriptions: [{ name: 'airbyteApi', url: trap.url, type: 'openapi' }],
      },
      { connectionId: c, 'x-temporal': { pollIntervalSeconds: 0.05, baseUrl: trap.url } },
      {
        connectionId: c,
        'x-temporal': { pollIntervalSeconds: 0.05, sourceDescriptions: { airbyteApi: trap.url } },
      },
      {
        connectionId: c,
        ...FAST,
        authorization: 'Bearer attacker',
        headers: { authorization: 'Bearer attacker' },
      },
      { connectionId: c, ...FAST, catalog: '/tmp', document: `${trap.url}/evil.arazzo.yaml` },
      { connectionId: trap.url },
      { connectionId: `${c}@127.0.0.1:${new URL(trap.url).port}` },
    ];
    const hostileResults = await Promise.all(hostile.map((input) => run('trigger-sync-and-poll', [input])));
    // Refused, or (undeclared fields are ignored today: see the extra-field bug) run against the configured server only.
    let hostileRefused = 0;
    let hostileIgnored = 0;
    hostileResults.forEach((r, i) => {
      if (r.ok && r.value.jobId === simulator.jobs(c)[0]?.jobId && trap.hits().length === 0) hostileIgnored++;
      else if (r.ok) problems.push(`hostile input ${i} ran: ${JSON.stringify(r.value)}`);
      else if (r.type !== Failure.invalidInput) problems.push(`hostile input ${i}: ${r.type}: ${r.message}`);
      else hostileRefused++;
    });

    // A forged second workflow argument (what continue-as-new and child runs pass): a plan or carried state.
    const config = loadWorkerConfig(env);
    assert.ok(config.ok);
    const { catalog } = await loadWorkerCatalog(config.config);
    const plan = catalog.buildPlan('trigger-sync-and-poll');
    const victim = simulator.addConnection({
      scenario: { pendingPolls: 1, runningPolls: 1000 },
    }).connectionId;
    const victimRun = temporal.client.workflow.start('trigger-sync-and-poll', {
      taskQueue,
      workflowId: `${tag}-victim`,
      args: [{ connectionId: victim, ...FAST }],
    });
    ids.push(`${tag}-victim`);
    await until(() => (simulator.jobs(victim)[0]?.reads ?? 0) >= 1, 'the victim run polling');
    const victimJob = simulator.jobs(victim)[0]!.jobId;
    const getJobKey = plan.stepOperations['trigger-sync-and-poll/pollJob']!;
    const started0 = startRun(plan, { connectionId: c, jobType: 'sync' });
    const forgedRequest = {
      operation: getJobKey,
      sourceName: 'airbyteApi',
      method: 'DELETE',
      path: `/jobs/${victimJob}`,
      query: [],
      headers: {},
      view: { path: {}, query: {}, headers: {} },
    };
    const forgedCarried = {
      carried: {
        plan,
        state: { ...started0.state, current: { stepId: 'pollJob', request: forgedRequest } },
        move: {
          type: 'call',
          stepId: 'pollJob',
          request: forgedRequest,
          delaySeconds: 0,
          reason: 'step',
          visit: 1,
        },
        startedAtMs: Date.now(),
        continuedAsNew: 0,
      },
    };
    const forgedPlan = {
      plan: { ...plan, document: { ...plan.document, info: { ...plan.document.info, title: 'forged' } } },
    };
    const forged = await Promise.all([
      run('trigger-sync-and-poll', [{ connectionId: c, ...FAST }, forgedCarried]),
      run('trigger-sync-and-poll', [{ connectionId: c, ...FAST }, forgedPlan]),
    ]);
    const victimDeletes = simulator
      .requests()
      .filter((e) => e.operationId === 'cancelJob' && e.jobId === victimJob).length;
    const forgedAccepted = forged.filter((r) => r.ok || r.type !== Failure.invalidInput).length;
    if (victimDeletes > 0 || forgedAccepted > 0)
      todo.push(
        `a client-supplied second workflow argument is trusted: ${forgedAccepted} of 2 forged runs were not refused, the victim job got ${victimDeletes} DELETE(s)`,
      );
    await (await victimRun).cancel();

    // 2. Path parameters are encoded: one path segment under the base path, or refused before sending.
    const values = [
      '../../admin',
      '..',
      '.',
      '%2e%2e',
      '%2e%2e%2fadmin',
      '..%2f..%2fadmin',
      'a/b',
      'a?x=1',
      'a#frag',
      'a\r\nX-Injected: 1',
      'a\u0000b',
      '\\..\\admin',
      ' ',
      '',
      'a b',
      '@evil',
      '//127.0.0.1',
      `http://127.0.0.1:${new URL(trap.url).port}/`,
      '😀',
      '1;DROP TABLE jobs',
      '{jobId}',
      '$inputs.jobId',
      '%',
      '%%',
      '?',
      '#',
    ].slice(0, options.pathCases);
    const before = simulator.requests().length;
    const pathResults = await Promise.all(values.map((jobId) => run('probe-path', [{ jobId }])));
    const sent = simulator
      .requests()
      .slice(before)
      .filter((e) => e.method === 'GET');
    let pathSafe = 0;
    pathResults.forEach((r, i) => {
      const value = values[i]!;
      const expected = `/v1/jobs/${encodeURIComponent(value)}`;
      const arrived = sent.filter((e) => e.path === expected || e.path === `/v1/jobs/${decodeSafe(value)}`);
      if (r.ok && arrived.length === 0 && value !== '')
        problems.push(`path ${JSON.stringify(value)}: no request at ${expected}`);
      else pathSafe++;
    });
    const escaped = sent.filter(
      (e) => !e.path.startsWith('/v1/jobs/') || e.path.slice('/v1/jobs/'.length).includes('/'),
    );
    if (escaped.length > 0)
      problems.push(`paths left /v1/jobs/<one segment>: ${escaped.map((e) => e.path).join(', ')}`);

    // 3. A response bigger than ARAZZO_MAX_BODY_BYTES (4096) is truncated before it reaches history.
    const big = simulator.addConnection({ scenario: { pendingPolls: 1, runningPolls: 1 } }).connectionId;
    for (let i = 0; i < 60; i++)
      await post(`${simulator.url}/jobs`, { connectionId: big, jobType: 'reset' }, SECRETS.apiToken);
    const listed = await run('probe-list', [{ connectionId: big }]);
    const listHistory = (await fetchHistories(temporal.client, [ids.at(-1)!])).get(ids.at(-1)!)!;
    const largestPayload = Math.max(
      ...[...listHistory.matchAll(/"data":"([A-Za-z0-9+/=]+)"/g)].map(
        (m) => Buffer.from(m[1]!, 'base64').length,
      ),
    );
    const truncated = decodedPayloads(listHistory).includes(
      '[truncated: the response body is larger than 4096 bytes]',
    );
    if (!truncated) problems.push('the large listJobs answer was not marked truncated in history');
    if (largestPayload > 4096 + 4096) problems.push(`a history payload of ${largestPayload} bytes`);

    // 4. Runs on the basic-auth worker, for the scan.
    const basicRuns = await Promise.all([
      run(
        'trigger-sync-and-poll',
        [{ connectionId: basicSim.addConnection().connectionId, ...FAST }],
        basicQueue,
      ),
      run('reset-and-resync', [{ connectionId: basicSim.addConnection().connectionId, ...FAST }], basicQueue),
      run('trigger-sync-and-poll', [{ connectionId: '../../admin' }], basicQueue),
    ]);
    if (!basicRuns[0].ok) problems.push(`basic-auth run failed: ${basicRuns[0].message}`);
    if (!basicRuns[1].ok) problems.push(`basic-auth run failed: ${basicRuns[1].message}`);

    // 5. The scan: every history of this part, every worker log line, every error.
    const histories = await fetchHistories(temporal.client, ids);
    const leaks = [
      ...[...histories.values()].flatMap((h) => findSecrets(decodedPayloads(h), allSecrets())),
      ...everyWorkerOutput().flatMap((o) => findSecrets(o, allSecrets())),
      ...errors.flatMap((e) => findSecrets(e, allSecrets())),
    ];
    const figures = {
      hostileInputs: hostile.length,
      hostileRefused,
      hostileIgnoredButHarmless: hostileIgnored,
      forgedSecondArgumentRuns: 2,
      forgedAccepted,
      victimDeletes,
      pathCases: values.length,
      pathSafe,
      pathRequestsSent: sent.length,
      pathEscapes: escaped.length,
      largestHistoryPayloadBytes: largestPayload,
      truncatedInHistory: truncated,
      listRun: listed.ok ? 'completed' : `${listed.type}`,
      trapHits: trap.hits().length,
      historiesScanned: histories.size,
      workerLogLines: everyWorkerOutput().join('\n').split('\n').length,
      errorsScanned: errors.length,
      secretsFound: leaks.length,
      seconds: Math.round((Date.now() - started) / 1000),
    };
    record(`security:${options.label}`, figures);
    assert.deepEqual(problems, []);
    assert.deepEqual(trap.hits(), [], 'no request reached the trap');
    assert.deepEqual(leaks, [], 'no secret anywhere');
    return { ...figures, todo };
  } finally {
    for (const w of workers) await w.kill('SIGTERM');
    await simulator.close();
    await basicSim.close();
    await trap.close();
    await rm(tmp, { recursive: true, force: true });
    await temporal.release();
  }
}

function decodeSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function post(url: string, body: unknown, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
