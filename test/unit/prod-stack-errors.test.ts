/**
 * `npm run stack:prod` fails with a message that names the missing piece: PostgreSQL's programs,
 * the user PostgreSQL runs as when started as root, a data folder that user cannot reach. The
 * happy path is test/integration/prod-stack.test.ts.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPostgresBin, startPostgres } from '../../src/prod-stack/postgres.js';

const installed = await findPostgresBin().then(
  () => true,
  () => false,
);
const asRoot = process.getuid?.() === 0;
const rootOnly = !installed ? 'PostgreSQL is not installed' : !asRoot ? 'only as root' : false;

const scratch = await mkdtemp(join(tmpdir(), 'arazzo-pg-errors-'));
after(() => rm(scratch, { recursive: true, force: true }));

async function withEnv<T>(name: string, value: string, fn: () => Promise<T>): Promise<T> {
  const before = process.env[name];
  process.env[name] = value;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

const options = (dataDir: string) => ({
  dataDir,
  port: 1,
  user: 'temporal',
  password: 'x',
  logFile: join(scratch, 'postgres.log'),
});

describe('stack:prod: missing pieces are named', () => {
  it('ARAZZO_PG_BIN without PostgreSQL programs in it', async () => {
    await withEnv('ARAZZO_PG_BIN', scratch, () =>
      assert.rejects(findPostgresBin(), /ARAZZO_PG_BIN is set to .*, which has no `postgres` program/),
    );
  });

  it('as root: a PostgreSQL user that does not exist', { skip: rootOnly }, async () => {
    await withEnv('ARAZZO_PG_USER', 'arazzo-no-such-user', () =>
      assert.rejects(startPostgres(options(join(scratch, 'a'))), (error: Error) => {
        assert.match(error.message, /initdb refuses root/);
        assert.match(error.message, /"arazzo-no-such-user" cannot be used/);
        assert.match(error.message, /ARAZZO_PG_USER/);
        return true;
      }),
    );
  });

  it('as root: a data folder the postgres user cannot reach', { skip: rootOnly }, async () => {
    const closed = join(scratch, 'closed');
    await mkdir(closed, { mode: 0o700 });
    await chmod(closed, 0o700);
    await assert.rejects(startPostgres(options(join(closed, 'db'))), (error: Error) => {
      assert.match(error.message, /^initdb in .* failed/);
      assert.match(error.message, /must be able to reach .*every folder above it needs o\+x/s);
      return true;
    });
  });
});
