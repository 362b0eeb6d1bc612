// GET /jobs on the simulator: filters, order, paging and Airbyte's lossy page links.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator } from '../../simulator/server.js';
import type { Simulator } from '../../simulator/server.js';

interface Page {
  status: number;
  data: Array<Record<string, unknown>>;
  next?: string;
  previous?: string;
  body: Record<string, unknown>;
}

const W1 = 'a1a1a1a1-0000-4000-8000-000000000001';
const W2 = 'b2b2b2b2-0000-4000-8000-000000000002';

void describe('simulator listJobs', () => {
  let sim: Simulator;
  let conn1 = '';
  let conn2 = '';
  let bulk = '';
  let t0 = 0;
  const jobIds: number[] = [];

  const list = async (query: string): Promise<Page> => {
    const response = await fetch(`${sim.url}/jobs${query ? `?${query}` : ''}`);
    const body = (await response.json()) as Record<string, unknown>;
    return {
      status: response.status,
      body,
      data: (body['data'] ?? []) as Array<Record<string, unknown>>,
      ...(typeof body['next'] === 'string' ? { next: body['next'] } : {}),
      ...(typeof body['previous'] === 'string' ? { previous: body['previous'] } : {}),
    };
  };
  const create = async (connectionId: string, jobType: string): Promise<number> => {
    const response = await fetch(`${sim.url}/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ connectionId, jobType }),
    });
    assert.equal(response.status, 200);
    return Number(((await response.json()) as Record<string, unknown>)['jobId']);
  };
  const ids = (page: Page): number[] => page.data.map((j) => Number(j['jobId']));

  before(async () => {
    sim = await startSimulator();
    // Wall-clock jobs a minute apart (simulator time), so creation and update times differ.
    conn1 = sim.addConnection({
      workspaceId: W1,
      scenario: { pendingMs: 0, runningMs: 1000, reset: { runningMs: 3_600_000 } },
    }).connectionId;
    conn2 = sim.addConnection({
      workspaceId: W2,
      scenario: { pendingMs: 0, runningMs: 1000, outcome: 'failed' },
    }).connectionId;
    t0 = Date.parse(sim.time().now);
    for (const [connectionId, jobType] of [
      [conn1, 'sync'],
      [conn2, 'sync'],
      [conn1, 'sync'],
      [conn1, 'sync'],
      [conn1, 'clear'],
    ] as const) {
      jobIds.push(await create(connectionId, jobType));
      sim.advanceTime(60_000);
    }
    bulk = sim.addConnection({ scenario: { pendingPolls: 0, runningPolls: 0 } }).connectionId;
    for (let i = 0; i < 25; i += 1) await create(bulk, 'sync');
  });
  after(async () => {
    await sim.close();
  });

  void it('lists oldest first by default, newest first with orderBy=createdAt|DESC', async () => {
    const [a, , c, d, e] = jobIds;
    assert.deepEqual(ids(await list(`connectionId=${conn1}`)), [a, c, d, e]);
    assert.deepEqual(ids(await list(`connectionId=${conn1}&orderBy=createdAt|DESC`)), [e, d, c, a]);
  });

  void it('orders by updatedAt', async () => {
    const asc = ids(await list(`connectionId=${conn1}&orderBy=updatedAt|ASC`));
    const desc = ids(await list(`connectionId=${conn1}&orderBy=updatedAt|DESC`));
    assert.deepEqual(desc, [...asc].reverse());
  });

  void it('filters by jobType (clear is stored and matched as reset) and by status', async () => {
    const reset = await list(`connectionId=${conn1}&jobType=reset`);
    assert.deepEqual(ids(reset), [jobIds[4]]);
    assert.equal(reset.data[0]?.['jobType'], 'reset');
    assert.deepEqual(ids(await list(`connectionId=${conn1}&jobType=clear`)), [jobIds[4]]);
    assert.deepEqual(ids(await list(`jobType=refresh`)), []);
    assert.deepEqual(ids(await list(`connectionId=${conn1}&status=succeeded`)), [
      jobIds[0],
      jobIds[2],
      jobIds[3],
    ]);
    assert.deepEqual(ids(await list(`connectionId=${conn1}&status=running`)), [jobIds[4]]);
    assert.deepEqual(ids(await list(`status=failed`)), [jobIds[1]]);
  });

  void it('filters by workspaceIds, repeated or comma-separated', async () => {
    assert.deepEqual(ids(await list(`workspaceIds=${W2}`)), [jobIds[1]]);
    assert.deepEqual(ids(await list(`workspaceIds=${W1}&workspaceIds=${W2}`)), jobIds);
    assert.deepEqual(ids(await list(`workspaceIds=${W1},${W2}`)), jobIds);
  });

  void it('filters by creation and update time (ISO or epoch ms)', async () => {
    const iso = (ms: number): string => new Date(ms).toISOString();
    assert.deepEqual(
      ids(await list(`createdAtStart=${iso(t0 + 90_000)}&createdAtEnd=${iso(t0 + 210_000)}`)),
      [jobIds[2], jobIds[3]],
    );
    assert.deepEqual(ids(await list(`createdAtEnd=${t0 + 30_000}`)), [jobIds[0]]);
    // Ended jobs were last updated a second after creation; the running reset when its attempt began.
    assert.deepEqual(ids(await list(`connectionId=${conn1}&updatedAtStart=${iso(t0 + 180_000)}`)), [
      jobIds[3],
      jobIds[4],
    ]);
    assert.deepEqual(ids(await list(`updatedAtEnd=${iso(t0 + 30_000)}`)), [jobIds[0]]);
  });

  void it('pages with limit/offset; default limit 20', async () => {
    const first = await list(`connectionId=${bulk}`);
    assert.equal(first.data.length, 20);
    const rest = await list(`connectionId=${bulk}&offset=20`);
    assert.equal(rest.data.length, 5);
    // PaginationMapper.getNextUrl: a next link whenever the page is not empty, "" after an empty one.
    assert.equal(new URL(rest.next ?? '').searchParams.get('offset'), '40');
    const empty = await list(`connectionId=${bulk}&offset=40`);
    assert.equal(empty.data.length, 0);
    assert.equal(empty.body['next'], '');
    assert.deepEqual(
      [...ids(first), ...ids(rest)],
      [...new Set([...ids(first), ...ids(rest)])].sort((x, y) => x - y),
    );
  });

  void it('builds next/previous links that drop status, orderBy and the date filters, like Airbyte', async () => {
    const page = await list(
      `connectionId=${bulk}&jobType=sync&status=succeeded&orderBy=createdAt|DESC&createdAtStart=2000-01-01T00:00:00Z&limit=5&offset=5`,
    );
    assert.equal(page.data.length, 5);
    assert.ok(page.next && page.previous);
    const next = new URL(page.next);
    assert.equal(next.origin + next.pathname, `${sim.url}/jobs`);
    assert.deepEqual(Object.fromEntries(next.searchParams), {
      connectionId: bulk,
      jobType: 'sync',
      limit: '5',
      offset: '10',
    });
    assert.equal(new URL(page.previous).searchParams.get('offset'), '0');
    const firstPage = await list(`connectionId=${bulk}&limit=5`);
    assert.equal(firstPage.body['previous'], '');
    // Following the link really loses the DESC order: the caller must build page URLs itself.
    const followed = (await (await fetch(page.next)).json()) as { data: Array<{ jobId: number }> };
    assert.ok((followed.data[0]?.jobId ?? 0) < (followed.data[4]?.jobId ?? 0));
  });

  void it('keeps the prefix the client used in links', async () => {
    const response = await fetch(`${sim.selfManagedUrl}/jobs?connectionId=${bulk}&limit=1`);
    const body = (await response.json()) as { next?: string };
    assert.ok(body.next?.startsWith(`${sim.selfManagedUrl}/jobs?`));
  });

  void it('answers 400 to invalid query values', async () => {
    for (const query of [
      'limit=0',
      'limit=101',
      'limit=ten',
      'offset=-1',
      'status=done',
      'jobType=backfill',
      'orderBy=name|ASC',
      'orderBy=createdAt',
      // JobsHelper.orderByToFieldAndMethod: the direction only in upper case.
      'orderBy=createdAt|desc',
      'orderBy=createdAt|Asc',
      'connectionId=nope',
      `workspaceIds=${W1},nope`,
      'createdAtStart=yesterday',
    ]) {
      const page = await list(query);
      assert.equal(page.status, 400, query);
      assert.equal(page.body['title'], 'bad-request', query);
    }
  });

  void it('behaves like Airbyte before 0.53.1 when asked: orderBy=createdAt|DESC is refused, an unordered list works', async () => {
    for (const [version, status] of [
      ['0.53.0', 400],
      ['0.50.18', 500],
    ] as const) {
      const old = await startSimulator({ airbyteVersion: version });
      try {
        const { connectionId } = old.addConnection();
        const ordered = await fetch(`${old.url}/jobs?connectionId=${connectionId}&orderBy=createdAt|DESC`);
        assert.equal(ordered.status, status, version);
        const plain = await fetch(`${old.url}/jobs?connectionId=${connectionId}`);
        assert.equal(plain.status, 200, version);
      } finally {
        await old.close();
      }
    }
    const current = await startSimulator({ airbyteVersion: '0.53.1' });
    try {
      const { connectionId } = current.addConnection();
      assert.equal(
        (await fetch(`${current.url}/jobs?connectionId=${connectionId}&orderBy=createdAt|DESC`)).status,
        200,
      );
    } finally {
      await current.close();
    }
  });
});
