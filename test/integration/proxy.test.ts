/**
 * HTTP proxies (issue 12, item 5): a real forward proxy on loopback (written here with node:http
 * and node:net: it is the proxy under test's counterpart, not part of the product) sees the worker's
 * `CONNECT` for an https Airbyte and its absolute-URI requests for an http one; `NO_PROXY` sends
 * requests direct; credentials never reach the proxy's view of a tunnel, the logs or the errors.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../simulator/server.js';
import { startStack } from '../helpers/stack.js';
import { useTestTemporal, type TestTemporal } from '../helpers/temporal.js';
import { startWorkerProcess } from '../helpers/worker-process.js';

const CLIENT_ID = 'proxy-test-client';
const CLIENT_SECRET = 'client-secret-5f0c1a9e';
const PROXY_USER = 'corp-user';
const PROXY_PASSWORD = 'proxy-pass-8d2b71';
const BASIC_PASSWORD = 'basic-pass-42aa17';

interface Seen {
  method: string;
  /** The request target: `host:port` for CONNECT, the absolute URL otherwise. */
  target: string;
  /** The request head exactly as the proxy received it (request line and headers). */
  head: string;
  proxyAuthorization: string | undefined;
}

/** A CONNECT-capable forward proxy that requires basic proxy credentials when `credentials` is set. */
async function startForwardProxy(credentials?: { user: string; password: string }) {
  const seen: Seen[] = [];
  /** Request lines read inside plain (http://) tunnels: what the proxy can see of them. */
  const tunnelled: string[] = [];
  let resetNextConnects = 0;
  const expected =
    credentials === undefined
      ? undefined
      : `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
  const headOf = (req: IncomingMessage): string =>
    [`${req.method} ${req.url} HTTP/${req.httpVersion}`, ...pairs(req.rawHeaders)].join('\r\n');
  const record = (req: IncomingMessage): void => {
    seen.push({
      method: req.method ?? '',
      target: req.url ?? '',
      head: headOf(req),
      proxyAuthorization: req.headers['proxy-authorization'],
    });
  };
  const server: Server = createServer((req, res) => {
    record(req);
    if (expected !== undefined && req.headers['proxy-authorization'] !== expected) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const target = new URL(req.url ?? '');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: req.method,
        headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, first: Buffer) => {
    record(req);
    if (resetNextConnects > 0) {
      resetNextConnects--;
      client.destroy();
      return;
    }
    if (expected !== undefined && req.headers['proxy-authorization'] !== expected) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n',
      );
      return;
    }
    const [host = '', port = ''] = (req.url ?? '').split(/:(?=\d+$)/);
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (first.length > 0) upstream.write(first);
      upstream.pipe(client);
      client.pipe(upstream);
      client.on('data', (chunk: Buffer) => {
        for (const m of chunk.toString('latin1').matchAll(/^(GET|POST|PUT|PATCH|DELETE) (\S+) HTTP\/1\.1$/gm))
          tunnelled.push(`${m[1]} ${m[2]}`);
      });
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    seen,
    tunnelled,
    /** Resets the next `n` CONNECTs (a proxy that drops the tunnel): the worker must retry. */
    resetConnects(n: number) {
      resetNextConnects = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function pairs(raw: string[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) lines.push(`${raw[i]}: ${raw[i + 1]}`);
  return lines;
}

/** A self-signed certificate for `localhost` and 127.0.0.1, made now with openssl. */
function selfSignedCertificate(dir: string): { key: string; cert: string; certFile: string } {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

/** Airbyte over https: TLS on loopback in front of the simulator (which speaks plain http). */
async function startTlsFront(simulator: Simulator, tls: { key: string; cert: string }) {
  const server = createHttpsServer(tls, (req, res) => {
    const upstream = httpRequest(
      { host: '127.0.0.1', port: simulator.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let temporal: TestTemporal;
let dir: string;

before(async () => {
  temporal = await useTestTemporal();
  dir = mkdtempSync(join(tmpdir(), 'arazzo-proxy-'));
});
after(async () => {
  await temporal?.release();
  rmSync(dir, { recursive: true, force: true });
});

describe('HTTP proxies', () => {
  it('tunnels https Airbyte and its token endpoint through HTTPS_PROXY with CONNECT, leaking no credential', async () => {
    const tls = selfSignedCertificate(dir);
    const simulator = await startSimulator({
      clock: 'polls',
      auth: { mode: 'client-credentials', clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }] },
    });
    const front = await startTlsFront(simulator, tls);
    const proxy = await startForwardProxy({ user: PROXY_USER, password: PROXY_PASSWORD });
    const taskQueue = temporal.taskQueue('proxy-https');
    const worker = await startWorkerProcess({
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      ARAZZO_LOG_LEVEL: 'DEBUG',
      // `localhost`, as the certificate names it; the proxy resolves it, not the worker.
      AIRBYTE_API_URL: `https://localhost:${front.port}/v1`,
      AIRBYTE_CLIENT_ID: CLIENT_ID,
      AIRBYTE_CLIENT_SECRET: CLIENT_SECRET,
      ARAZZO_CA_FILE: tls.certFile,
      https_proxy: `http://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:${proxy.port}`,
      // Only for http:// URLs: must not be used for the https API.
      HTTP_PROXY: 'http://127.0.0.1:9',
      NO_PROXY: 'example.internal,localhost:1',
      NODE_EXTRA_CA_CERTS: '',
    });
    try {
      const connectionId = simulator.addConnection({ scenario: { runningPolls: 2 } }).connectionId;
      // The first tunnel is dropped by the proxy: the failure the worker logs must not carry secrets.
      proxy.resetConnects(1);
      const handle = await temporal.client.workflow.start('trigger-sync-and-poll', {
        taskQueue,
        workflowId: `proxy-https-${connectionId}`,
        args: [{ connectionId, 'x-temporal': { pollIntervalSeconds: 0.05 } }],
      });
      const result = (await Promise.race([
        handle.result(),
        new Promise((_, reject) =>
          setTimeout(
            () =>
              reject(new Error(`no result: ${worker.output().slice(-6000)} ${JSON.stringify(proxy.seen)}`)),
            90_000,
          ),
        ),
      ])) as { finalStatus?: string };
      assert.equal(result.finalStatus, 'succeeded', JSON.stringify(result));

      const connects = proxy.seen.filter((s) => s.method === 'CONNECT');
      assert.ok(connects.length >= 2, JSON.stringify(proxy.seen));
      assert.deepEqual(
        proxy.seen.filter((s) => s.method !== 'CONNECT'),
        [],
      );
      for (const c of connects) assert.equal(c.target, `localhost:${front.port}`);
      const authorized = connects.filter((c) => c.proxyAuthorization !== undefined);
      assert.ok(authorized.length > 0);
      const minted = simulator.requests().filter((r) => r.path.endsWith('/applications/token'));
      assert.ok(minted.length >= 1, 'the token request went through the tunnel too');
      assert.ok(simulator.requests().some((r) => r.operationId === 'createJob' && r.auth.authorized));

      // What the proxy saw of the tunnels: the target and its own credentials, nothing of the API's.
      for (const c of connects) {
        assert.doesNotMatch(c.head, /^authorization:/im);
        assert.doesNotMatch(c.head, /Bearer|client_secret|client-secret/i);
        assert.ok(!c.head.includes(CLIENT_SECRET));
      }
      // Logs (DEBUG, with the failed first attempt) and history: no secret of any kind.
      const history = JSON.stringify(await handle.fetchHistory());
      const output = worker.output();
      assert.match(output, /"httpsProxy":"http:\/\/127\.0\.0\.1:\d+"/, 'the start-up line names the proxy');
      assert.match(output, /socket hang up|ECONNRESET|tunnel|proxy/i, 'the dropped tunnel was logged');
      const proxyBasic = Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64');
      for (const secret of [CLIENT_SECRET, PROXY_PASSWORD, proxyBasic]) {
        assert.ok(!output.includes(secret), `worker output carries ${secret}`);
        assert.ok(!history.includes(secret), `history carries ${secret}`);
      }
      assert.doesNotMatch(output, /Bearer [A-Za-z0-9._-]{8,}/);
    } finally {
      await worker.kill();
      await proxy.close();
      await front.close();
      await simulator.close();
    }
  });

  it('tunnels http Airbyte requests through HTTP_PROXY, and bypasses it for NO_PROXY hosts', async () => {
    const proxy = await startForwardProxy();
    try {
      const proxied = await startStack({
        simulator: { auth: { mode: 'basic', users: [{ username: 'airbyte', password: BASIC_PASSWORD }] } },
        env: {
          HTTP_PROXY: `http://127.0.0.1:${proxy.port}`,
          AIRBYTE_USERNAME: 'airbyte',
          AIRBYTE_PASSWORD: BASIC_PASSWORD,
        },
      });
      try {
        const connectionId = proxied.simulator.addConnection({ scenario: { runningPolls: 1 } }).connectionId;
        const result = (await (await proxied.start('trigger-sync-and-poll', { connectionId })).result()) as {
          finalStatus?: string;
        };
        assert.equal(result.finalStatus, 'succeeded');
        // http:// is tunnelled with CONNECT too (see src/activities/network.ts); the requests
        // travel in it in plain text, so the proxy sees them.
        const origin = new URL(proxied.simulator.url).host;
        assert.ok(proxy.seen.length > 0);
        for (const s of proxy.seen) assert.equal(`${s.method} ${s.target}`, `CONNECT ${origin}`);
        assert.ok(proxy.tunnelled.includes('POST /v1/jobs'), proxy.tunnelled.join('\n'));
        assert.ok(
          proxy.tunnelled.some((t) => t.startsWith('GET /v1/jobs/')),
          proxy.tunnelled.join('\n'),
        );
        for (const s of proxy.seen) assert.doesNotMatch(s.head, /^authorization:/im);
      } finally {
        await proxied.close();
      }

      proxy.seen.length = 0;
      proxy.tunnelled.length = 0;
      const direct = await startStack({
        env: { http_proxy: `http://127.0.0.1:${proxy.port}`, no_proxy: 'airbyte.example,127.0.0.1' },
      });
      try {
        const connectionId = direct.simulator.addConnection({ scenario: { runningPolls: 1 } }).connectionId;
        const result = (await (await direct.start('trigger-sync-and-poll', { connectionId })).result()) as {
          finalStatus?: string;
        };
        assert.equal(result.finalStatus, 'succeeded');
        assert.ok(direct.simulator.requests().some((r) => r.operationId === 'createJob'));
        assert.deepEqual(proxy.seen, [], 'NO_PROXY host reached through the proxy');
      } finally {
        await direct.close();
      }
    } finally {
      await proxy.close();
    }
  });
});
