/**
 * The commands that need no worker: `catalog` (the worker's catalog, loaded the worker's way),
 * `validate`, help, usage errors, bad settings and an unreachable Temporal server.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, commands } from '../../src/cli/main.js';
import { parseInputValue } from '../../src/cli/runs/read-inputs.js';
import { webUiBase } from '../../src/config/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = join(root, 'test', 'fixtures');

/** Runs a command line in-process without an injected client: commands that need one connect. */
async function cli(
  argv: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    out: { write: (t: string) => (out += t) },
    err: { write: (t: string) => (err += t) },
    env,
  });
  return { code, out, err };
}

interface CatalogJson {
  workflows: Array<{
    workflowId: string;
    summary?: string;
    document: string;
    inputs: Array<{
      name: string;
      type?: string;
      format?: string;
      required: boolean;
      default?: unknown;
      enum?: unknown[];
    }>;
    options: { pollIntervalSeconds: number; failErrorType: string; failOnStatuses: string[] };
  }>;
}

// The groups share nothing: run them side by side (the unreachable-server case waits 5 s).
describe('client without a worker', { concurrency: true }, () => {
  describe('catalog', () => {
    it('lists the six catalog workflows with their inputs, as JSON', async () => {
      const { code, out } = await cli(['catalog', '--json']);
      assert.equal(code, 0);
      const { workflows } = JSON.parse(out) as CatalogJson;
      assert.deepEqual(
        workflows.map((w) => [w.workflowId, w.document.replace(root, '')]),
        [
          ['reset-and-resync', 'arazzo/airbyte-reset-and-resync.arazzo.yaml'],
          ['reset-and-resync-event-driven', 'arazzo/airbyte-event-driven.arazzo.yaml'],
          ['trigger-sync', 'arazzo/airbyte-async.arazzo.yaml'],
          ['trigger-sync-and-poll', 'arazzo/airbyte-trigger-sync-and-poll.arazzo.yaml'],
          ['trigger-sync-event-driven', 'arazzo/airbyte-event-driven.arazzo.yaml'],
          ['wait-for-job', 'arazzo/airbyte-async.arazzo.yaml'],
        ],
      );
      const sync = workflows.find((w) => w.workflowId === 'trigger-sync-and-poll')!;
      assert.equal(sync.summary, 'Trigger a sync job and poll the job until it reaches a terminal status.');
      assert.deepEqual(
        sync.inputs.map(({ name, type, format, required, default: d, enum: e }) => ({
          name,
          type,
          format,
          required,
          default: d,
          enum: e,
        })),
        [
          {
            name: 'connectionId',
            type: 'string',
            format: 'uuid',
            required: true,
            default: undefined,
            enum: undefined,
          },
          {
            name: 'jobType',
            type: 'string',
            format: undefined,
            required: false,
            default: 'sync',
            enum: ['sync', 'reset', 'refresh', 'clear'],
          },
        ],
      );
      assert.deepEqual(
        [sync.options.pollIntervalSeconds, sync.options.failErrorType, sync.options.failOnStatuses],
        [5, 'AirbyteJobFailed', ['failed', 'cancelled']],
      );
      const wait = workflows.find((w) => w.workflowId === 'wait-for-job')!;
      assert.deepEqual(
        wait.inputs.map((f) => [f.name, f.type, f.required]),
        [['jobId', 'integer', true]],
      );
    });

    it('prints each workflow with a ready-to-run command line', async () => {
      const { code, out } = await cli(['catalog']);
      assert.equal(code, 0);
      assert.match(out, /^reset-and-resync {2}Reset a connection's data/);
      assert.match(
        out,
        /\ntrigger-sync-and-poll {2}Trigger a sync job .*\n {2}document: arazzo\/airbyte-trigger-sync-and-poll\.arazzo\.yaml\n {2}inputs:\n {4}connectionId {2}string \(uuid\), required\. The UUID of the connection to sync\.\n {4}jobType {7}string, optional, one of sync\|reset\|refresh\|clear, default sync\. /,
      );
      assert.match(out, /\n {2}run: arazzo-temporal run wait-for-job --input jobId=<integer>\n/);
      assert.match(
        out,
        /\n {2}options: poll every 5 s, fails \(AirbyteJobFailed\) when a job ends failed\/cancelled, on conflict: attach\n/,
      );
    });

    it('uses the worker settings: ARAZZO_CATALOG folders and ARAZZO_RUN_OPTIONS defaults', async () => {
      const { code, out } = await cli(['catalog', '--json'], {
        ARAZZO_CATALOG: join(fixtures, 'good-documents'),
        ARAZZO_RUN_OPTIONS: '{"pollIntervalSeconds": 42}',
      });
      assert.equal(code, 0);
      const { workflows } = JSON.parse(out) as CatalogJson;
      assert.ok(workflows.length > 0);
      assert.ok(!workflows.some((w) => w.workflowId === 'trigger-sync-and-poll'));
      assert.ok(workflows.every((w) => w.document.startsWith(join(fixtures, 'good-documents'))));
      assert.ok(
        workflows.some((w) => w.options.pollIntervalSeconds === 42),
        'worker default applies where the document sets none',
      );
    });

    it('names the variable of a bad setting (exit 2) and reports catalog errors (exit 1)', async () => {
      const missing = await cli(['catalog'], { ARAZZO_CATALOG: '/no/such/folder' });
      assert.equal(missing.code, 2);
      assert.match(missing.err, /ARAZZO_CATALOG: '\/no\/such\/folder' is not a folder/);
      const broken = await cli(['catalog'], { ARAZZO_CATALOG: join(fixtures, 'bad-documents') });
      assert.equal(broken.code, 1);
      assert.match(
        broken.err,
        /the catalog has errors \(the worker would refuse to start\):\n {2}\S+\.arazzo\.(yaml|json):\d+:\d+: error /,
      );
    });
  });

  describe('validate', () => {
    it('delegates to the validator: exit 0 for the catalog, 1 with diagnostics for a bad document', async () => {
      const good = await cli(['validate', join(root, 'arazzo')]);
      assert.equal(good.code, 0, good.out + good.err);
      assert.match(good.out, /4 documents: 0 errors, \d+ warnings?\n$/);
      const file = join(fixtures, 'bad-documents', 'goto-step-missing.arazzo.yaml');
      const bad = await cli(['validate', file, '--json']);
      assert.equal(bad.code, 1);
      const report = JSON.parse(bad.out) as { errors: number; diagnostics: Array<{ code: string }> };
      assert.equal(report.errors, 1);
      assert.equal(report.diagnostics[0]?.code, 'arazzo/goto-target-missing');
    });

    it('honours ARAZZO_SOURCE_DESCRIPTIONS even when an unrelated worker setting is bad', async () => {
      const env = {
        ARAZZO_LOG_LEVEL: 'loud',
        ARAZZO_SOURCE_DESCRIPTIONS: `airbyteApi=${join(fixtures, 'no-such-description.yml')}`,
      };
      const moved = await cli(['validate', join(root, 'arazzo')], env);
      assert.equal(moved.code, 1, moved.out + moved.err);
      assert.match(moved.out, /no-such-description\.yml/);
      const bad = await cli(['validate', join(root, 'arazzo')], { ARAZZO_SOURCE_DESCRIPTIONS: 'nameonly' });
      assert.equal(bad.code, 2);
      assert.match(bad.err, /ARAZZO_SOURCE_DESCRIPTIONS: expected name=path-or-url/);
    });

    it('asks for files (exit 2) and checks --source', async () => {
      const none = await cli(['validate']);
      assert.equal(none.code, 2);
      assert.match(
        none.err,
        /^arazzo-temporal validate: missing <file or folder>\nRun 'arazzo-temporal validate --help' for usage\.\n$/,
      );
      const source = await cli(['validate', 'x.arazzo.yaml', '--source', 'nameonly']);
      assert.equal(source.code, 2);
      assert.match(source.err, /--source expects name=path-or-url, got 'nameonly'/);
    });
  });

  describe('help and usage errors', () => {
    it('prints help with examples at the top level and for every command (exit 0)', async () => {
      const top = await cli(['--help']);
      assert.equal(top.code, 0);
      for (const command of commands) assert.match(top.out, new RegExp(`\\n  ${command.name} +\\S`));
      assert.match(top.out, /\nExamples:\n/);
      for (const command of commands) {
        const help = await cli([command.name, '--help']);
        assert.equal(help.code, 0, command.name);
        assert.match(help.out, /^Usage:[ \n]/, command.name);
        assert.match(
          help.out,
          new RegExp(`\\nExamples:\\n  arazzo-temporal ${command.name}[ \\n]`),
          command.name,
        );
        assert.equal((await cli(['help', command.name])).out, help.out);
      }
      const bare = await cli([]);
      assert.equal(bare.code, 2);
      assert.match(bare.err, /^arazzo-temporal: run OpenAPI Arazzo workflows/);
    });

    it('exits 2 with a pointer to --help for unknown commands, flags and missing arguments', async () => {
      const cases: Array<[string[], RegExp]> = [
        [['lsit'], /^arazzo-temporal: unknown command 'lsit' \(did you mean 'list'\?\)/],
        [['run', '--frobnicate'], /^arazzo-temporal run: Unknown option '--frobnicate'/],
        [['run'], /^arazzo-temporal run: missing <workflow>\n/],
        [['run', 'a', 'b'], /^arazzo-temporal run: unexpected argument 'b'\n/],
        [
          ['start', 'trigger-sync', '--input', 'connectionId'],
          /--input expects key=value, got 'connectionId'/,
        ],
        [['start', 'trigger-sync', '--input-json', '{nope'], /--input-json is not valid JSON/],
        [['start', 'trigger-sync', '--input-json', '[1]'], /the inputs must be a JSON object, got \[1\]/],
        [
          ['start', 'trigger-sync', '--input-json', '{}', '--input-file', 'x.json'],
          /give --input-json or --input-file, not both/,
        ],
        [
          ['start', 'trigger-sync', '--input-file', '/no/such/inputs.json'],
          /--input-file: cannot read '\/no\/such\/inputs.json': ENOENT/,
        ],
        [['run', 'trigger-sync', '--id'], /Option '--id <value>' argument missing/],
        [['status'], /^arazzo-temporal status: missing <workflowId>\n/],
        [['cancel'], /^arazzo-temporal cancel: missing <workflowId>\n/],
        [['list', 'extra'], /^arazzo-temporal list: unexpected argument 'extra'\n/],
      ];
      for (const [argv, message] of cases) {
        const { code, out, err } = await cli(argv);
        assert.equal(code, 2, `${argv.join(' ')}: ${err}`);
        assert.equal(out, '');
        assert.match(err, message, argv.join(' '));
        assert.match(err, /\nRun 'arazzo-temporal (\S+ )?--help' for usage\.\n$/, argv.join(' '));
      }
    });

    it('reads --input values as JSON scalars but keeps UUIDs and other text as strings', () => {
      assert.equal(parseInputValue('123'), 123);
      assert.equal(parseInputValue('-1.5e3'), -1500);
      assert.equal(parseInputValue('true'), true);
      assert.equal(parseInputValue('null'), null);
      assert.equal(
        parseInputValue('9b0e6c1e-6a8f-4a65-a0b4-2f4e1b9c3d21'),
        '9b0e6c1e-6a8f-4a65-a0b4-2f4e1b9c3d21',
      );
      assert.equal(
        parseInputValue('12345678-1234-1234-1234-123456789012'),
        '12345678-1234-1234-1234-123456789012',
      );
      assert.equal(parseInputValue('007'), '007');
      assert.equal(parseInputValue('12345678901234567890'), '12345678901234567890');
      assert.equal(parseInputValue('"123"'), '123');
      assert.deepEqual(parseInputValue('["a",1]'), ['a', 1]);
      assert.equal(parseInputValue('{not json'), '{not json');
      assert.equal(parseInputValue(''), '');
    });
  });

  describe('connection settings', () => {
    it('names the variable of a bad setting with exit code 2, before connecting', async () => {
      const cases: Array<[NodeJS.ProcessEnv, string[], RegExp]> = [
        [
          { TEMPORAL_ADDRESS: 'localhost' },
          [],
          /TEMPORAL_ADDRESS: expected host:port \(e\.g\. 127\.0\.0\.1:7233\), got 'localhost'/,
        ],
        [{}, ['--address', 'host:99999'], /--address: expected host:port .*got 'host:99999'/],
        [{ TEMPORAL_TLS: 'maybe' }, [], /TEMPORAL_TLS: expected true or false, got 'maybe'/],
        [
          { TEMPORAL_CONFIG_FILE: '/no/such/temporal.toml' },
          [],
          /TEMPORAL_CONFIG_FILE: no file at '\/no\/such\/temporal\.toml'/,
        ],
        [
          { TEMPORAL_TLS_CLIENT_CERT_PATH: '/no/such/cert.pem' },
          [],
          /TEMPORAL_TLS_CLIENT_CERT_PATH: .*ENOENT/,
        ],
        [{}, ['--profile', 'nope'], /--profile: Profile 'nope' not found/],
      ];
      for (const [env, flags, message] of cases) {
        const { code, err } = await cli(['list', ...flags], env);
        assert.equal(code, 2, err);
        assert.match(err, message);
      }
    });

    it('knows the Web UI from ARAZZO_UI_URL, or for the local dev server on its usual port', () => {
      assert.equal(
        webUiBase({ ARAZZO_UI_URL: 'https://temporal.example.com/' }, '10.0.0.5:7233'),
        'https://temporal.example.com',
      );
      assert.equal(webUiBase({}, '127.0.0.1:7233'), 'http://127.0.0.1:8233');
      assert.equal(webUiBase({}, 'localhost:7233'), 'http://127.0.0.1:8233');
      assert.equal(webUiBase({}, '10.0.0.5:7233'), undefined);
      assert.equal(webUiBase({}, '127.0.0.1:17233'), undefined);
    });

    it('says which address could not be reached and how to fix it (exit 1)', async () => {
      const { code, err } = await cli(['status', 'some-run'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
      assert.equal(code, 1);
      assert.match(
        err,
        /^arazzo-temporal status: cannot connect to the Temporal server at 127\.0\.0\.1:1 \(TEMPORAL_ADDRESS\): /,
      );
      assert.match(
        err,
        /\nhint: start a local one with `npm start`, or set TEMPORAL_ADDRESS \(or --address\)/,
      );
    });
  });
});
