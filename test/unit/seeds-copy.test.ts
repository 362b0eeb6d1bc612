/**
 * The repository keeps its own copy of the product owner's seeds (examples/seeds) so that a clone
 * stands alone. When the product owner's folder sits beside the clone (`../shared/seeds`, as on a
 * developer's or CI's machine), the copies must be byte-identical; without it the comparison is
 * skipped, and the test says so.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const copy = fileURLToPath(new URL('../../examples/seeds/', import.meta.url));
const original = fileURLToPath(new URL('../../../shared/seeds/', import.meta.url));
const seedFiles = [
  'airbyte-reset-and-resync.arazzo.yaml',
  'airbyte-trigger-sync-and-poll.arazzo.yaml',
  'airflow-airbyte-trigger-sync-operator.rst',
];

void describe('examples/seeds', () => {
  void it('holds every seed', async () => {
    const present = (await readdir(copy)).filter((f) => f !== 'README.md').sort();
    assert.deepEqual(present, seedFiles);
  });

  const reason = existsSync(original)
    ? false
    : `../shared/seeds is not beside this clone (${original}): the byte comparison is skipped`;
  void it('is byte-identical to ../shared/seeds', { skip: reason }, async () => {
    const originals = (await readdir(original)).sort();
    assert.deepEqual(originals, seedFiles, 'shared/seeds has files the copy lacks (or the other way round)');
    for (const file of seedFiles) {
      const [a, b] = await Promise.all([readFile(copy + file), readFile(original + file)]);
      assert.ok(a.equals(b), `examples/seeds/${file} differs from shared/seeds/${file}`);
    }
  });
});
