/**
 * Bad input, three kinds, each case expecting a clear error before any request is sent:
 * - documents: every broken document of test/fixtures/bad-documents and test/fixtures/bad-inputs
 *   (plus generated enormous, deeply nested and binary ones) put in a worker's catalog next to the
 *   good catalog: the worker refuses to start, naming file:line and the field (JSON path); a
 *   sample is run as real processes (exit code 1, message on stderr);
 * - workflow inputs: runs with missing, mistyped, oversized or hostile inputs fail with
 *   ArazzoInvalidInput / ArazzoUnknownWorkflow naming the field, while a good run alongside completes;
 * - configuration: bad settings make the worker refuse to start naming the variable, never echoing a secret.
 * Throughout, the simulator's request log gains nothing but the good run's requests, and the
 * running worker stays up.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { startSimulator, type Simulator } from '../../../simulator/server.js';
import { runWorker } from '../../../src/worker/run-worker.js';
import { useTestTemporal, type TestTemporal } from '../../helpers/temporal.js';
import { SECRETS, errorText, findSecrets, allSecrets, record } from './harness.js';
import {
  everyWorkerOutput,
  projectRoot,
  runRefusingWorker,
  startWorker,
  type WorkerProcess,
} from './processes.js';
import { Failure } from '../../../src/arazzo/failures.js';

const fixtures = join(projectRoot, 'test', 'fixtures');
const catalogFolder = join(projectRoot, 'arazzo');

export interface DocumentCase {
  name: string;
  /** `file:line path` expected in the refusal (from the fixture's expectations), when known. */
  expect: Array<{ file: string; line: number; path: string }>;
  write(dir: string): Promise<void>;
}

function parseExpectations(text: string, prefix: string): DocumentCase['expect'] {
  return text
    .split('\n')
    .filter((l) => l.startsWith(prefix))
    .map((l) => l.slice(prefix.length).split(' '))
    .filter(([severity]) => severity === 'error')
    .map(([, , where, path]) => {
      const at = where!.lastIndexOf(':');
      return { file: where!.slice(0, at), line: Number(where!.slice(at + 1)), path: path! };
    });
}

/** Every fixture with at least one error, and the generated pathological documents. */
export async function documentCases(): Promise<DocumentCase[]> {
  const cases: DocumentCase[] = [];
  for (const folder of ['bad-documents', 'bad-inputs']) {
    const dir = join(fixtures, folder);
    if (!existsSync(dir)) continue;
    for (const name of (await readdir(dir)).filter((n) => /\.arazzo\.(ya?ml|json)$/.test(n)).sort()) {
      const file = join(dir, name);
      const sidecar = `${file}.expect`;
      const expect = existsSync(sidecar)
        ? parseExpectations(await readFile(sidecar, 'utf8'), 'expect: ')
        : parseExpectations(await readFile(file, 'utf8'), '# expect: ');
      if (expect.length === 0) continue; // warnings only: the worker may start
      cases.push({
        name: `${folder}/${name}`,
        expect,
        write: async (target) => {
          await copyFile(file, join(target, name));
          // Relative references of the fixtures: ../openapi/*.yml, ../asyncapi/*.yaml and ./broken-openapi.yml.
          for (const extra of await readdir(dir))
            if (extra.endsWith('.yml')) await copyFile(join(dir, extra), join(target, extra));
        },
      });
    }
  }
  const generated: Array<[string, string | Buffer, string]> = [
    ['enormous.arazzo.yaml', 'arazzo: 1.0.1\nx-padding: "' + 'a'.repeat(12 * 1024 * 1024) + '"\n', '$'],
    ['deep-flow.arazzo.json', '{"arazzo":' + '['.repeat(200_000) + ']'.repeat(200_000) + '}', '$'],
    [
      'deep-block.arazzo.yaml',
      Array.from({ length: 400 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n',
      '$',
    ],
    ['random-bytes.arazzo.yaml', randomBytes(4096), '$'],
    [
      'png.arazzo.yaml',
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(256)]),
      '$',
    ],
    ['utf16.arazzo.yaml', Buffer.from('\ufeffarazzo: 1.0.1\n', 'utf16le'), '$'],
  ];
  for (const [name, content, path] of generated) {
    cases.push({
      name: `generated/${name}`,
      expect: [{ file: name, line: 1, path }],
      write: (target) => writeFile(join(target, name), content),
    });
  }
  return cases;
}

export interface InputCase {
  name: string;
  workflowType: string;
  input: unknown;
  /** Failure type expected. */
  type: typeof Failure.invalidInput | typeof Failure.unknownWorkflow;
  /** What the message must name. */
  names: RegExp;
  /** A known bug: counted apart, asserted by its own todo test. */
  bug?: string;
}

const UUID = '3f0c5a4e-8b1d-4c2e-9f7a-1b2c3d4e5f60';

const EXTRA =
  'undeclared input fields are accepted and ignored (no additionalProperties: false, no check in prepareInputs)';

const PROTOTYPE_TYPES =
  'workflow types named after Object.prototype members (toString, constructor) run that function and complete instead of failing ArazzoUnknownWorkflow';

export function inputCases(): InputCase[] {
  const sync = 'trigger-sync-and-poll';
  const bad = (name: string, input: unknown, names: RegExp, workflowType = sync): InputCase => ({
    name,
    workflowType,
    input,
    type: Failure.invalidInput,
    names,
  });
  let deep: Record<string, unknown> = {};
  for (let i = 0; i < 3000; i++) deep = { d: deep };
  return [
    bad('no input at all (null)', null, /connectionId/),
    bad('empty object', {}, /connectionId/),
    bad('connectionId not a UUID', { connectionId: 'not-a-uuid' }, /connectionId/),
    bad('connectionId a number', { connectionId: 123 }, /connectionId/),
    bad('connectionId empty', { connectionId: '' }, /connectionId/),
    bad('connectionId an object', { connectionId: { $ne: null } }, /connectionId/),
    bad('connectionId an array', { connectionId: [UUID] }, /connectionId/),
    bad('connectionId with trailing space', { connectionId: `${UUID} ` }, /connectionId/),
    bad('connectionId ../../admin', { connectionId: '../../admin' }, /connectionId/),
    bad('connectionId %2e%2e%2fadmin', { connectionId: '%2e%2e%2fadmin' }, /connectionId/),
    bad('connectionId UUID/../../admin', { connectionId: `${UUID}/../../admin` }, /connectionId/),
    bad(
      'connectionId with CRLF header injection',
      { connectionId: `${UUID}\r\nX-Injected: 1` },
      /connectionId/,
    ),
    bad('connectionId with a null byte', { connectionId: `${UUID}\u0000` }, /connectionId/),
    bad('connectionId a full URL', { connectionId: 'http://127.0.0.1:1/v1/jobs' }, /connectionId/),
    bad('connectionId huge (100 KB)', { connectionId: 'a'.repeat(100_000) }, /inputs|64|bytes/),
    bad('connectionId long non-UUID (10 KB)', { connectionId: 'b'.repeat(10_000) }, /connectionId/),
    bad('jobType not in the enum', { connectionId: UUID, jobType: 'delete' }, /jobType/),
    bad('jobType a number', { connectionId: UUID, jobType: 5 }, /jobType/),
    bad('jobType with path traversal', { connectionId: UUID, jobType: '../../admin' }, /jobType/),
    { ...bad('extra field', { connectionId: UUID, extra: 1 }, /extra/), bug: EXTRA },
    {
      ...bad(
        '__proto__ key (prototype pollution)',
        JSON.parse(`{"connectionId":"${UUID}","__proto__":{"polluted":true}}`),
        /__proto__/,
      ),
      bug: EXTRA,
    },
    {
      ...bad(
        'constructor.prototype key',
        { connectionId: UUID, constructor: { prototype: { polluted: true } } },
        /constructor/,
      ),
      bug: EXTRA,
    },
    { ...bad('deeply nested extra field', { connectionId: UUID, deep }, /deep|inputs/), bug: EXTRA },
    bad('inputs an array', [UUID], /inputs|object/),
    bad('inputs a string', UUID, /inputs|object/),
    bad('inputs a number', 42, /inputs|object/),
    bad(
      'run option negative',
      { connectionId: UUID, 'x-temporal': { pollIntervalSeconds: -1 } },
      /pollIntervalSeconds/,
    ),
    bad(
      'run option unknown (baseUrl)',
      { connectionId: UUID, 'x-temporal': { baseUrl: 'http://127.0.0.1:1' } },
      /baseUrl/,
    ),
    bad('run options a string', { connectionId: UUID, 'x-temporal': 'fast' }, /x-temporal/),
    bad(
      'run option wrong type',
      { connectionId: UUID, 'x-temporal': { callRetryWindowSeconds: 'x' } },
      /callRetryWindowSeconds/,
    ),
    bad('reset: connectionId missing', {}, /connectionId/, 'reset-and-resync'),
    bad(
      'reset: connectionId ../../admin',
      { connectionId: '../../admin' },
      /connectionId/,
      'reset-and-resync',
    ),
    bad(
      'trigger-sync: jobType refreshh',
      { connectionId: UUID, jobType: 'refreshh' },
      /jobType/,
      'trigger-sync',
    ),
    bad('trigger-sync: connectionId %00', { connectionId: '%00' }, /connectionId/, 'trigger-sync'),
    bad('wait-for-job: jobId missing', {}, /jobId/, 'wait-for-job'),
    bad('wait-for-job: jobId a string', { jobId: '12' }, /jobId/, 'wait-for-job'),
    bad('wait-for-job: jobId ../../admin', { jobId: '../../admin' }, /jobId/, 'wait-for-job'),
    bad('wait-for-job: jobId %2e%2e', { jobId: '%2e%2e' }, /jobId/, 'wait-for-job'),
    bad('wait-for-job: jobId 1/../../health', { jobId: '1/../../health' }, /jobId/, 'wait-for-job'),
    bad('wait-for-job: jobId a fraction', { jobId: 1.5 }, /jobId/, 'wait-for-job'),
    bad('wait-for-job: jobId with CRLF', { jobId: '1\r\nHost: evil' }, /jobId/, 'wait-for-job'),
    ...['no-such-workflow', '__proto__', 'constructor', 'toString', '../arazzo/x'].map((type): InputCase => ({
      name: `unknown workflow type ${type}`,
      workflowType: type,
      input: { connectionId: UUID },
      type: Failure.unknownWorkflow,
      names: /catalog/,
      // The workflow sandbox resolves a type name on the bundle's exports through Object.prototype.
      ...(type === 'constructor' || type === 'toString' ? { bug: PROTOTYPE_TYPES } : {}),
    })),
  ];
}

export interface ConfigCase {
  name: string;
  env: NodeJS.ProcessEnv;
  names: RegExp;
}

export function configCases(simulatorUrl: string): ConfigCase[] {
  return [
    {
      name: 'client id without secret',
      env: { AIRBYTE_CLIENT_ID: SECRETS.clientId },
      names: /AIRBYTE_CLIENT_SECRET/,
    },
    {
      name: 'client secret without id',
      env: { AIRBYTE_CLIENT_SECRET: SECRETS.clientSecret },
      names: /AIRBYTE_CLIENT_ID/,
    },
    {
      name: 'username without password',
      env: { AIRBYTE_USERNAME: SECRETS.username },
      names: /AIRBYTE_PASSWORD/,
    },
    {
      name: 'password without username',
      env: { AIRBYTE_PASSWORD: SECRETS.password },
      names: /AIRBYTE_USERNAME/,
    },
    {
      name: 'two auth methods',
      env: {
        AIRBYTE_API_TOKEN: SECRETS.apiToken,
        AIRBYTE_USERNAME: SECRETS.username,
        AIRBYTE_PASSWORD: SECRETS.password,
      },
      names: /more than one authentication/,
    },
    { name: 'API URL not a URL', env: { AIRBYTE_API_URL: 'not a url' }, names: /AIRBYTE_API_URL/ },
    { name: 'API URL ftp', env: { AIRBYTE_API_URL: 'ftp://127.0.0.1/v1' }, names: /AIRBYTE_API_URL.*scheme/ },
    {
      name: 'API URL javascript:',
      env: { AIRBYTE_API_URL: 'javascript:alert(1)' },
      names: /AIRBYTE_API_URL/,
    },
    {
      name: 'API URL with credentials',
      env: { AIRBYTE_API_URL: `http://${SECRETS.username}:${SECRETS.password}@127.0.0.1:1/v1` },
      names: /AIRBYTE_API_URL.*user:password@/,
    },
    {
      name: 'API URL with a query',
      env: { AIRBYTE_API_URL: `${simulatorUrl}?x=1` },
      names: /AIRBYTE_API_URL.*query/,
    },
    { name: 'API URL unparseable', env: { AIRBYTE_API_URL: 'http://[::1' }, names: /AIRBYTE_API_URL/ },
    {
      name: 'token URL bad',
      env: {
        AIRBYTE_CLIENT_ID: SECRETS.clientId,
        AIRBYTE_CLIENT_SECRET: SECRETS.clientSecret,
        AIRBYTE_TOKEN_URL: 'token-endpoint',
      },
      names: /AIRBYTE_TOKEN_URL/,
    },
    { name: 'timeout zero', env: { AIRBYTE_TIMEOUT_SECONDS: '0' }, names: /AIRBYTE_TIMEOUT_SECONDS/ },
    {
      name: 'timeout not a number',
      env: { AIRBYTE_TIMEOUT_SECONDS: 'soon' },
      names: /AIRBYTE_TIMEOUT_SECONDS/,
    },
    {
      name: 'max body bytes fractional',
      env: { ARAZZO_MAX_BODY_BYTES: '1.5' },
      names: /ARAZZO_MAX_BODY_BYTES/,
    },
    {
      name: 'run options not JSON',
      env: { ARAZZO_RUN_OPTIONS: '{pollIntervalSeconds: 1' },
      names: /ARAZZO_RUN_OPTIONS/,
    },
    {
      name: 'run option negative',
      env: { ARAZZO_RUN_OPTIONS: '{"pollIntervalSeconds": -1}' },
      names: /ARAZZO_RUN_OPTIONS/,
    },
    {
      name: 'catalog folder missing',
      env: { ARAZZO_CATALOG: '/nonexistent/arazzo' },
      names: /ARAZZO_CATALOG/,
    },
    { name: 'log level unknown', env: { ARAZZO_LOG_LEVEL: 'LOUD' }, names: /ARAZZO_LOG_LEVEL/ },
    {
      name: 'source descriptions malformed',
      env: { ARAZZO_SOURCE_DESCRIPTIONS: 'garbage' },
      names: /ARAZZO_SOURCE_DESCRIPTIONS/,
    },
    {
      name: 'metrics address malformed',
      env: { ARAZZO_METRICS_ADDRESS: 'http://x' },
      names: /ARAZZO_METRICS_ADDRESS/,
    },
  ];
}

/** A worker start in this process (the code `npm run worker` runs): resolves with the refusal, or throws if it started. */
async function refusal(env: NodeJS.ProcessEnv): Promise<string> {
  let started = false;
  try {
    await runWorker({
      env,
      installRuntime: false,
      onReady: () => {
        started = true;
        process.kill(process.pid, 'SIGTERM');
      },
    });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error(`the worker started (${started}) instead of refusing`);
}

export async function runBadInput(options: {
  label: string;
  documentLimit?: number;
  inputLimit?: number;
  /** Document cases run as real worker processes. */
  processSample: number;
  /** Configuration cases run as real worker processes (default 2). */
  configProcesses?: number;
  configLimit?: number;
  /** Polls the good run's job takes to end (it must still be running while the bad cases go); default 40. */
  goodRunPolls?: number;
}) {
  const started = Date.now();
  const temporal: TestTemporal = await useTestTemporal();
  const simulator: Simulator = await startSimulator({
    clock: 'polls',
    defaultScenario: { pendingPolls: 1, runningPolls: 20 },
  });
  const taskQueue = temporal.taskQueue('rel-bad');
  const baseEnv = {
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    AIRBYTE_API_URL: simulator.url,
  };
  const tmp = await mkdtemp(join(tmpdir(), 'arazzo-rel-bad-'));
  let worker: WorkerProcess | undefined;
  const errors: string[] = [];
  const problems: string[] = [];
  try {
    worker = await startWorker(baseEnv, `${options.label}-running`);
    // The good run, alongside everything: its requests are the only ones the simulator may see.
    const good = simulator.addConnection({
      scenario: { pendingPolls: 1, runningPolls: options.goodRunPolls ?? 40 },
    }).connectionId;
    const goodHandle = await temporal.client.workflow.start('trigger-sync-and-poll', {
      taskQueue,
      workflowId: `${options.label}-good-${Date.now()}`,
      args: [{ connectionId: good, 'x-temporal': { pollIntervalSeconds: 0.05 } }],
    });
    const foreign = () =>
      simulator
        .requests()
        .filter((e) => e.connectionId !== good && !simulator.jobs(good).some((j) => j.jobId === e.jobId));

    // 1. Documents.
    const docs = (await documentCases()).slice(0, options.documentLimit);
    let docsRefused = 0;
    let sampled = 0;
    for (const [i, doc] of docs.entries()) {
      const dir = join(tmp, `case-${i}`);
      const docsDir = join(dir, 'docs');
      await mkdir(docsDir, { recursive: true });
      for (const folder of ['openapi', 'asyncapi']) {
        await mkdir(join(dir, folder));
        for (const f of await readdir(join(fixtures, folder)))
          await copyFile(join(fixtures, folder, f), join(dir, folder, f));
      }
      await doc.write(docsDir);
      const env = {
        ...baseEnv,
        TEMPORAL_TASK_QUEUE: `${taskQueue}-doc-${i}`,
        ARAZZO_CATALOG: `${catalogFolder}:${docsDir}`,
      };
      const asProcess =
        sampled < options.processSample &&
        i % Math.max(1, Math.floor(docs.length / options.processSample)) === 0;
      let message: string;
      if (asProcess) {
        sampled++;
        const run = await runRefusingWorker(env, `${options.label}-doc-${i}`);
        message = run.output;
        if (run.started || run.code !== 1)
          problems.push(`${doc.name}: process exit ${run.code}, started ${run.started}`);
      } else {
        try {
          message = await refusal(env);
        } catch (error) {
          problems.push(`${doc.name}: ${(error as Error).message}`);
          continue;
        }
      }
      errors.push(message);
      const missing = doc.expect.filter(
        (e) => !message.includes(`${basename(e.file)}:${e.line}:`) || !message.includes(`(at ${e.path})`),
      );
      if (!/cannot start/.test(message) || missing.length > 0)
        problems.push(
          `${doc.name}: refusal does not name ${missing.map((e) => `${e.file}:${e.line} ${e.path}`).join(', ')}:\n${message.slice(0, 600)}`,
        );
      else docsRefused++;
      await rm(dir, { recursive: true, force: true });
    }

    // 2. Workflow inputs, all at once, on the running worker.
    const inputs = inputCases().slice(0, options.inputLimit);
    let inputsRefused = 0;
    const bugProblems: string[] = [];
    await Promise.all(
      inputs.map(async (c, i) => {
        try {
          const handle = await temporal.client.workflow.start(c.workflowType, {
            taskQueue,
            workflowId: `${options.label}-input-${i}-${Date.now()}`,
            args: [c.input],
          });
          await handle.result();
          (c.bug ? bugProblems : problems).push(`input ${c.name}: the run completed`);
        } catch (error) {
          errors.push(errorText(error));
          const cause = error instanceof WorkflowFailedError ? error.cause : undefined;
          if (!(cause instanceof ApplicationFailure) || cause.type !== c.type || !c.names.test(cause.message))
            (c.bug ? bugProblems : problems).push(
              `input ${c.name}: ${cause instanceof ApplicationFailure ? `${cause.type}: ${cause.message}` : String(error)}`,
            );
          else inputsRefused++;
        }
      }),
    );

    // 3. Configuration.
    const configs = configCases(simulator.url).slice(0, options.configLimit);
    let configsRefused = 0;
    for (const [i, c] of configs.entries()) {
      const env = { ...baseEnv, TEMPORAL_TASK_QUEUE: `${taskQueue}-cfg-${i}`, ...c.env };
      let message: string;
      if (i < (options.configProcesses ?? 2)) {
        const run = await runRefusingWorker(env, `${options.label}-cfg-${i}`);
        message = run.output;
        if (run.started || run.code !== 1)
          problems.push(`config ${c.name}: process exit ${run.code}, started ${run.started}`);
      } else {
        try {
          message = await refusal(env);
        } catch (error) {
          problems.push(`config ${c.name}: ${(error as Error).message}`);
          continue;
        }
      }
      errors.push(message);
      if (!c.names.test(message)) problems.push(`config ${c.name}: ${message}`);
      else configsRefused++;
    }

    const goodResult = await goodHandle.result();
    if (goodResult.finalStatus !== 'succeeded') problems.push(`good run: ${JSON.stringify(goodResult)}`);
    // Requests from the known-bug cases (undeclared fields ignored: the run went ahead with a valid UUID) are theirs.
    const bugConnection = UUID;
    const stray = foreign().filter((e) => e.connectionId !== bugConnection && e.jobId === undefined);
    if (stray.length > 0)
      problems.push(
        `requests not from the good run: ${stray.map((e) => `${e.method} ${e.path}`).join(', ')}`,
      );
    if (!worker.alive()) problems.push('the running worker died');
    const leaks = [...errors, ...everyWorkerOutput()].flatMap((t) => findSecrets(t, allSecrets()));
    const figures = {
      documentCases: docs.length,
      documentsRefused: docsRefused,
      documentCasesAsProcesses: sampled,
      inputCases: inputs.length,
      inputsRefused,
      inputCasesWithKnownBug: inputs.filter((c) => c.bug).length,
      knownBugFailures: bugProblems.length,
      configCases: configs.length,
      configsRefused,
      totalCases: docs.length + inputs.length + configs.length,
      requestsFromBadCases: stray.length,
      goodRun: goodResult.finalStatus,
      runningWorkerAlive: worker.alive(),
      secretsFound: leaks.length,
      seconds: Math.round((Date.now() - started) / 1000),
    };
    record(`bad-input:${options.label}`, figures);
    assert.deepEqual(problems, []);
    assert.deepEqual(leaks, []);
    return { ...figures, bugProblems };
  } finally {
    await worker?.kill('SIGTERM');
    await simulator.close();
    await rm(tmp, { recursive: true, force: true });
    await temporal.release();
  }
}
