/**
 * docker-compose.yml cannot run here (no Docker engine); this checks its structure as far as this
 * machine allows: it parses, every dependency exists, the simulator sits behind a profile, ports
 * bind to loopback, and the commands it runs exist in the build. And it checks that the file agrees
 * with the production topology that is tested without Docker (src/prod-stack/,
 * test/integration/prod-stack.test.ts): the same server and UI versions, the same server config file
 * and variables, the same schema steps, the same worker entry point and worker variables.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { access, readdir, readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { loadReceiverSettings, loadWorkerConfig } from '../../src/config/index.js';
import { STACK_WORKER_VARIABLES, WORKER_ENTRY } from '../../src/prod-stack/prod-stack.js';
import { TEMPORAL_SERVER_VERSION, TEMPORAL_UI_VERSION } from '../../src/prod-stack/server-tools.js';
import {
  SERVER_CONFIG_DIR,
  SERVER_CONFIG_ENV,
  schemaCommands,
  serverEnvironment,
} from '../../src/prod-stack/temporal-server.js';

const root = new URL('../../', import.meta.url);

interface Service {
  image?: string;
  build?: string;
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  environment?: Record<string, string | number>;
  command?: string[];
  entrypoint?: string[];
  volumes?: string[];
  deploy?: { replicas?: number };
}

/** The variables a Go-template config reads with sprig's `env`, and those it reads without a default. */
function templateVariables(template: string): { all: Set<string>; required: Set<string> } {
  const all = new Set<string>();
  const required = new Set<string>();
  for (const [, name, pipeline] of template.matchAll(
    /\{\{-?\s*(?:range\s+)?env "([A-Z0-9_]+)"([^}]*)\}\}/g,
  )) {
    all.add(name!);
    if (!/\|\s*default\b/.test(pipeline!)) required.add(name!);
  }
  return { all, required };
}

describe('docker-compose.yml', async () => {
  const compose = parse(await readFile(new URL('docker-compose.yml', root), 'utf8')) as {
    services: Record<string, Service>;
  };
  const services = compose.services;

  it('has PostgreSQL, the schema job, Temporal, its namespace job, the UI, the worker, the receiver and the simulator', () => {
    assert.deepEqual(Object.keys(services).sort(), [
      'airbyte-sim',
      'postgresql',
      'receiver',
      'temporal',
      'temporal-namespace',
      'temporal-schema',
      'temporal-ui',
      'worker',
    ]);
    assert.equal(services.worker?.build, '.');
  });

  it('depends only on services it defines: healthy ones, or one-shot jobs that completed', () => {
    const oneShot = new Set(['temporal-schema', 'temporal-namespace']);
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        assert.ok(services[dependency], `${name} depends on unknown ${dependency}`);
        const expected = oneShot.has(dependency) ? 'service_completed_successfully' : 'service_healthy';
        assert.equal(condition, expected, `${name} → ${dependency}`);
      }
    }
  });

  it('keeps the simulator and the receiver behind profiles and binds ports to loopback', () => {
    assert.deepEqual(services['airbyte-sim']?.profiles, ['simulator']);
    assert.deepEqual(services.receiver?.profiles, ['receiver']);
    for (const [name, service] of Object.entries(services)) {
      for (const port of service.ports ?? [])
        assert.match(port, /^127\.0\.0\.1:/, `${name} publishes ${port}`);
    }
  });

  it('runs files that the build produces', async () => {
    const dockerfile = await readFile(new URL('Dockerfile', root), 'utf8');
    assert.match(dockerfile, /CMD \["node", "dist\/src\/worker\.js"\]/);
    const pkg = JSON.parse(await readFile(new URL('package.json', root), 'utf8')) as {
      scripts: Record<string, string>;
    };
    assert.match(pkg.scripts.build ?? '', /tsc -p tsconfig\.build\.json/);
    assert.equal(services['airbyte-sim']?.command?.[1], 'dist/simulator/main.js');
    assert.equal(services.worker?.environment?.TEMPORAL_ADDRESS, 'temporal:7233');
  });

  it('copies into the image every folder the catalog reads source descriptions from', async () => {
    const dockerfile = await readFile(new URL('Dockerfile', root), 'utf8');
    const catalog = new URL('arazzo/', root);
    const documents = (await readdir(catalog)).filter((name) => /\.arazzo\.ya?ml$/.test(name));
    assert.ok(documents.length > 0);
    const folders = new Set<string>(['arazzo']);
    for (const name of documents) {
      const doc = parse(await readFile(new URL(name, catalog), 'utf8')) as {
        sourceDescriptions?: Array<{ url: string }>;
      };
      for (const { url } of doc.sourceDescriptions ?? []) {
        if (/^https?:/.test(url)) continue;
        const [folder] = new URL(url, catalog).pathname.slice(new URL(root).pathname.length).split('/');
        folders.add(folder!);
      }
    }
    assert.ok(folders.has('asyncapi'), [...folders].join());
    for (const folder of folders)
      assert.ok(
        dockerfile.includes(`COPY --from=build /app/${folder} ./${folder}`),
        `the image lacks ${folder}/`,
      );
  });

  describe('the notification receiver', () => {
    const receiver = services.receiver!;
    const worker = services.worker!;
    /** The environment as compose gives it when ARAZZO_RECEIVER_SECRET is set and nothing else is. */
    const secret = 'a'.repeat(24);
    const env = Object.fromEntries(
      Object.entries(receiver.environment ?? {}).map(([k, v]) => [
        k,
        String(v)
          .replace('${ARAZZO_RECEIVER_SECRET:-}', secret)
          .replace(/\$\{[A-Z_]+:-([^}]*)\}/, '$1'),
      ]),
    );

    it('runs the compiled receiver from the same image', async () => {
      assert.equal(receiver.build, worker.build);
      assert.deepEqual(receiver.command, ['node', 'dist/src/notification-receiver.js']);
      const build = JSON.parse(await readFile(new URL('tsconfig.build.json', root), 'utf8')) as {
        include: string[];
      };
      assert.ok(build.include.includes('src'));
      await access(new URL('src/notification-receiver.ts', root));
    });

    it('takes its secret from the environment, never from the file', () => {
      assert.equal(receiver.environment?.ARAZZO_RECEIVER_SECRET, '${ARAZZO_RECEIVER_SECRET:-}');
    });

    it('listens on every address inside the container, published on loopback on the same port', () => {
      const settings = loadReceiverSettings(env);
      assert.equal(settings.host, '0.0.0.0');
      assert.deepEqual(receiver.ports, [`127.0.0.1:${settings.port}:${settings.port}`]);
      assert.equal(settings.secret, secret);
    });

    it('reaches the Temporal server, namespace and task queue the workers use, and sets only variables it reads', () => {
      for (const name of ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_TASK_QUEUE'])
        assert.equal(receiver.environment?.[name], worker.environment?.[name], name);
      assert.equal(loadReceiverSettings(env).taskQueue, worker.environment?.TEMPORAL_TASK_QUEUE);
      for (const name of Object.keys(env))
        assert.match(name, /^(TEMPORAL_(ADDRESS|NAMESPACE|TASK_QUEUE)|ARAZZO_RECEIVER_[A-Z_]+)$/);
      assert.throws(
        () => loadReceiverSettings({ ...env, ARAZZO_RECEIVER_SECRET: '' }),
        /ARAZZO_RECEIVER_SECRET must be/,
      );
    });
  });

  describe('agrees with the production topology tested without Docker (npm run stack:prod)', () => {
    it('pins the server and Web UI versions the stack builds', () => {
      for (const name of ['temporal-schema', 'temporal', 'temporal-namespace'])
        assert.equal(services[name]?.image, `temporalio/auto-setup:${TEMPORAL_SERVER_VERSION}`, name);
      assert.equal(services['temporal-ui']?.image, `temporalio/ui:${TEMPORAL_UI_VERSION}`);
    });

    it('runs temporal-server with the committed config file (deploy/temporal, env production)', () => {
      const temporal = services.temporal!;
      assert.ok(
        temporal.volumes?.includes(`./${SERVER_CONFIG_DIR}:/etc/temporal/arazzo:ro`),
        String(temporal.volumes),
      );
      const command = temporal.command?.join(' ') ?? '';
      assert.match(command, /exec temporal-server --root \/ --config etc\/temporal\/arazzo /);
      assert.match(command, new RegExp(`--env ${SERVER_CONFIG_ENV} --allow-no-auth start$`));
    });

    it('sets the variables the config reads, and only those; the stack sets the same ones', async () => {
      const template = await readFile(
        new URL(`${SERVER_CONFIG_DIR}/${SERVER_CONFIG_ENV}.yaml`, root),
        'utf8',
      );
      const { all, required } = templateVariables(template);
      assert.ok(all.size > 10, `read ${all.size} variables`);
      const composeSet = Object.keys(services.temporal?.environment ?? {});
      // Set at start inside the container, from its own address.
      composeSet.push('TEMPORAL_BROADCAST_ADDRESS');
      for (const name of required)
        assert.ok(composeSet.includes(name), `docker-compose does not set ${name}`);
      for (const name of composeSet)
        assert.ok(all.has(name), `docker-compose sets ${name}, which the config does not read`);
      const stackSet = Object.keys(
        serverEnvironment(
          { host: 'h', port: 1, user: 'u', password: 'p' },
          {
            frontend: 1,
            frontendHttp: 2,
            frontendMembership: 3,
            history: 4,
            historyMembership: 5,
            matching: 6,
            matchingMembership: 7,
            worker: 8,
            workerMembership: 9,
            metrics: 10,
          },
        ),
      );
      for (const name of required) assert.ok(stackSet.includes(name), `the stack does not set ${name}`);
      for (const name of stackSet)
        assert.ok(all.has(name), `the stack sets ${name}, which the config does not read`);
    });

    it('sets up the schema with the same temporal-sql-tool steps as the stack', () => {
      const script = services['temporal-schema']?.command?.join('\n') ?? '';
      const steps = schemaCommands('/etc/temporal/schema/postgresql/v12');
      assert.equal(steps.length, 6);
      for (const step of steps)
        assert.ok(script.includes(`$$tool ${step.join(' ')}`), `missing: ${step.join(' ')}`);
      assert.match(script, /temporal-sql-tool --plugin postgres12 --ep postgresql -p 5432 -u temporal/);
    });

    it('configures the UI with variables that the stack UI config reads too', async () => {
      const template = await readFile(new URL('deploy/temporal-ui/production.yaml', root), 'utf8');
      const { all } = templateVariables(template);
      for (const name of Object.keys(services['temporal-ui']?.environment ?? {}))
        assert.ok(
          all.has(name),
          `temporal-ui sets ${name}, which deploy/temporal-ui/production.yaml does not read`,
        );
    });

    it('runs the same worker entry point, two processes, with variables the stack sets and the worker accepts', async () => {
      const dockerfile = await readFile(new URL('Dockerfile', root), 'utf8');
      assert.match(dockerfile, new RegExp(`CMD \\["node", "dist/${WORKER_ENTRY}\\.js"\\]`));
      const worker = services.worker!;
      assert.equal(worker.command, undefined, 'the worker runs the image CMD');
      assert.equal(worker.deploy?.replicas, 2);
      const env = Object.fromEntries(
        Object.entries(worker.environment ?? {}).map(([k, v]) => [
          k,
          String(v).replace(/\$\{[A-Z_]+:-([^}]*)\}/, '$1'),
        ]),
      );
      for (const name of STACK_WORKER_VARIABLES)
        assert.ok(name in env, `docker-compose's worker does not set ${name}`);
      const loaded = loadWorkerConfig(env);
      assert.ok(loaded.ok, loaded.ok ? '' : loaded.errors.join('\n'));
    });
  });
});
