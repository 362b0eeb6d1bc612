/**
 * A catalog document whose OpenAPI source is remote, on the real Temporal server against the
 * simulator: the worker fetches the description from a loopback HTTP server (allowed by
 * ARAZZO_REMOTE_HOSTS) when it loads its catalog, and runs the workflow from it. A later change
 * on that server (here: the description disappears) changes nothing for the worker's runs.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack, type Stack } from '../helpers/stack.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
let description = '';
let served = true;
const fetched: string[] = [];
const server = createServer((req, res) => {
  fetched.push(req.url ?? '');
  if (served && req.url === '/specs/airbyte-openapi.yml') {
    res.writeHead(200, { 'content-type': 'application/yaml' });
    res.end(description);
  } else {
    res.writeHead(404);
    res.end();
  }
});

let stack: Stack | undefined;
before(async () => {
  description = await readFile(join(root, 'openapi/airbyte-openapi.yml'), 'utf8');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const folder = await mkdtemp(join(tmpdir(), 'remote-catalog-'));
  // The project's own workflow, with its source renamed (the bundled description serves the name
  // airbyteApi) and pointed at the loopback server.
  const document = (await readFile(join(root, 'arazzo/airbyte-trigger-sync-and-poll.arazzo.yaml'), 'utf8'))
    .replace('name: airbyteApi', 'name: airbyteRemote')
    .replace('url: ../openapi/airbyte-openapi.yml', `url: http://${host}/specs/airbyte-openapi.yml`);
  assert.ok(document.includes(`http://${host}/`));
  await writeFile(join(folder, 'remote.arazzo.yaml'), document);
  stack = await startStack({ folders: [folder], env: { ARAZZO_REMOTE_HOSTS: host } });
});
after(async () => {
  await stack?.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('a remote OpenAPI source', () => {
  it('is fetched once at catalog load, and runs keep working after the server changes', async () => {
    assert.deepEqual(fetched, ['/specs/airbyte-openapi.yml']);
    const s = stack!;
    const first = s.simulator.addConnection({ scenario: { runningPolls: 1, rowsSynced: 3 } }).connectionId;
    const result = await (await s.start('trigger-sync-and-poll', { connectionId: first })).result();
    assert.equal(result.finalStatus, 'succeeded');
    served = false;
    const second = s.simulator.addConnection({ scenario: { runningPolls: 1, rowsSynced: 3 } }).connectionId;
    const again = await (await s.start('trigger-sync-and-poll', { connectionId: second })).result();
    assert.equal(again.finalStatus, 'succeeded');
    assert.deepEqual(fetched, ['/specs/airbyte-openapi.yml']);
  });
});
