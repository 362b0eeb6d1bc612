/**
 * CLI: `npm run sim -- [flags]` starts the Airbyte API simulator and prints how to use it.
 * Flags win over environment variables (SIM_PORT, SIM_HOST, SIM_AUTH, SIM_TOKEN, SIM_CLIENT_ID,
 * SIM_CLIENT_SECRET, SIM_TOKEN_TTL, SIM_CLOCK, SIM_DEMO, SIM_AUTO_CREATE).
 */
import { parseArgs } from 'node:util';
import { startSimulator } from './server.js';
import type { AuthMode, AuthOptions, ClockMode, Scenario, SimulatorOptions } from './types.js';

const DEFAULT_PORT = 8090;
const AUTH_MODES: AuthMode[] = ['none', 'token', 'client-credentials', 'basic'];

const USAGE = `Airbyte public API simulator

  npm run sim -- [--port 8090] [--host 127.0.0.1] [--auth none|token|client-credentials|basic]
                 [--token T] [--client-id ID --client-secret S] [--token-ttl SECONDS]
                 [--clock wall|polls] [--demo] [--auto-create] [--not-found 404|403]
                 [--airbyte-version 0.53.0] [--quiet]
`;

/** Connections created by --demo, with fixed ids so scripts and docs can name them. */
const DEMO_CONNECTIONS: Array<{ connectionId: string; label: string; scenario: Scenario }> = [
  {
    connectionId: '11111111-1111-4111-8111-111111111111',
    label: 'succeeds after ~15 s',
    scenario: { pendingMs: 2000, runningMs: 13_000, rowsSynced: 1200, bytesSynced: 480_000 },
  },
  {
    connectionId: '22222222-2222-4222-8222-222222222222',
    label: 'queued, two failed attempts, then succeeds (~40 s)',
    scenario: { pendingMs: 2000, queuedMs: 5000, runningMs: 8000, incompleteMs: 5000, failedAttempts: 2 },
  },
  {
    connectionId: '33333333-3333-4333-8333-333333333333',
    label: 'fails after ~10 s',
    scenario: { pendingMs: 2000, runningMs: 8000, outcome: 'failed' },
  },
  {
    connectionId: '44444444-4444-4444-8444-444444444444',
    label: 'succeeds with no stats (launch failure)',
    scenario: { pendingMs: 1000, runningMs: 2000, rowsSynced: null, bytesSynced: null },
  },
  {
    connectionId: '55555555-5555-4555-8555-555555555555',
    label: 'runs for an hour (cancel it)',
    scenario: { pendingMs: 1000, runningMs: 3_600_000 },
  },
];

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      auth: { type: 'string' },
      token: { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'token-ttl': { type: 'string' },
      clock: { type: 'string' },
      demo: { type: 'boolean' },
      'auto-create': { type: 'boolean' },
      'not-found': { type: 'string' },
      'airbyte-version': { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const env = process.env;
  const port = Number(values.port ?? env['SIM_PORT'] ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`Invalid port: ${String(values.port)}`);
  const mode = (values.auth ?? env['SIM_AUTH'] ?? 'none') as AuthMode;
  if (!AUTH_MODES.includes(mode)) fail(`Invalid --auth: ${mode}`);
  const clock = (values.clock ?? env['SIM_CLOCK'] ?? 'wall') as ClockMode;
  if (clock !== 'wall' && clock !== 'polls') fail(`Invalid --clock: ${String(clock)}`);
  const notFound = Number(values['not-found'] ?? 404);
  if (notFound !== 404 && notFound !== 403) fail('--not-found must be 404 or 403');
  const token = values.token ?? env['SIM_TOKEN'] ?? 'sim-token';
  const clientId = values['client-id'] ?? env['SIM_CLIENT_ID'] ?? 'sim-client';
  const clientSecret = values['client-secret'] ?? env['SIM_CLIENT_SECRET'] ?? 'sim-secret';
  // Only the built-in development defaults are printed; a secret or token passed in never is.
  const customSecret = clientSecret !== 'sim-secret';
  const customToken = token !== 'sim-token';
  const ttl = Number(values['token-ttl'] ?? env['SIM_TOKEN_TTL'] ?? 900);
  const auth: AuthOptions = {
    mode,
    tokens: [token],
    clients: [{ clientId, clientSecret }],
    tokenTtlSeconds: ttl,
  };
  const options: SimulatorOptions = {
    host: values.host ?? env['SIM_HOST'] ?? '127.0.0.1',
    port,
    auth,
    clock,
    notFoundStatus: notFound,
    ...((values['airbyte-version'] ?? env['SIM_AIRBYTE_VERSION'])
      ? { airbyteVersion: values['airbyte-version'] ?? env['SIM_AIRBYTE_VERSION'] }
      : {}),
    autoCreateConnections: values['auto-create'] ?? env['SIM_AUTO_CREATE'] === '1',
    ...(values.quiet
      ? {}
      : {
          onRequest: (e) =>
            process.stdout.write(
              `${e.time} ${e.method} ${e.path} -> ${e.status ?? 'no answer'}${e.fault ? ` [${e.fault}]` : ''}\n`,
            ),
        }),
  };
  const sim = await startSimulator(options);
  const demo = values.demo ?? env['SIM_DEMO'] === '1';
  if (demo)
    for (const c of DEMO_CONNECTIONS)
      sim.addConnection({ connectionId: c.connectionId, scenario: c.scenario });

  const authHeader =
    mode === 'basic'
      ? ` -u airbyte:password`
      : mode === 'token'
        ? ` -H 'Authorization: Bearer ${customToken ? '<token>' : token}'`
        : mode === 'client-credentials'
          ? ` -H "Authorization: Bearer $TOKEN"`
          : '';
  const exampleConnection = DEMO_CONNECTIONS[0]?.connectionId ?? '<connectionId>';
  const lines = [
    `Airbyte API simulator listening`,
    `  API (Cloud layout):        ${sim.url}`,
    `  API (self-managed layout): ${sim.selfManagedUrl}`,
    `  Health:                    ${sim.origin}/health`,
    `  Control API (no auth):     ${sim.controlUrl}`,
    `  Auth: ${mode}${mode === 'basic' ? ' (airbyte:password)' : ''}`,
    ...(mode === 'token'
      ? [`  Static token: ${customToken ? '(as given)' : token} (--token or SIM_TOKEN)`]
      : []),
    ...(mode === 'client-credentials'
      ? [
          `  Mint a token (${ttl} s):`,
          `    TOKEN=$(curl -s -X POST ${sim.url}/applications/token -H 'Content-Type: application/json' \\`,
          `      -d '{"client_id":"${clientId}","client_secret":"${customSecret ? '<secret>' : clientSecret}","grant-type":"client_credentials"}' | jq -r .access_token)`,
        ]
      : []),
    '',
    ...(demo
      ? ['Demo connections:', ...DEMO_CONNECTIONS.map((c) => `  ${c.connectionId}  ${c.label}`), '']
      : [
          `No connections yet: start with --demo, or create one:`,
          `  curl -s -X POST ${sim.controlUrl}/connections -H 'Content-Type: application/json' -d '{"scenario":{"runningMs":10000}}'`,
          '',
        ]),
    'Try:',
    `  curl -s -X POST ${sim.url}/jobs${authHeader} -H 'Content-Type: application/json' \\`,
    `    -d '{"connectionId":"${demo ? exampleConnection : '<connectionId>'}","jobType":"sync"}'`,
    `  curl -s ${sim.url}/jobs/1${authHeader}`,
    `  curl -s '${sim.controlUrl}/requests'`,
    '',
  ];
  process.stdout.write(lines.join('\n'));

  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
