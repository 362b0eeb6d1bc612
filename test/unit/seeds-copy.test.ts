/**
 * The repository keeps its own copy of the product owner's seeds (examples/seeds) so that a clone
 * stands alone: nothing here reads outside the repository. The copies must stay byte-identical to
 * the product owner's files, whose SHA-256 digests were recorded below when they were copied
 * (`sha256sum shared/seeds/*`, 2026-12-01). A seed that changes upstream is copied again and its
 * digest updated here, in the same commit.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const copy = fileURLToPath(new URL('../../examples/seeds/', import.meta.url));
/** The product owner's seeds, by file name: the SHA-256 of each original. */
const originals: Record<string, string> = {
  'airbyte-reset-and-resync.arazzo.yaml': '293ede362ed5dabe6028a1445c8b9a9c59aebcb56e6dd2c1b7719fab1ba5b62d',
  'airbyte-trigger-sync-and-poll.arazzo.yaml':
    '12c17a5cd3ba4f7707b28f6205ac38099f36d1aa0fa484e85c7914f2985f2b8e',
  'airflow-airbyte-trigger-sync-operator.rst':
    'a5706dc33e2af93fc23aff57112365a666447849c8b7c215992e67b9beb05e55',
};

void describe('examples/seeds', () => {
  void it('holds every seed', async () => {
    const present = (await readdir(copy)).filter((f) => f !== 'README.md').sort();
    assert.deepEqual(present, Object.keys(originals).sort());
  });

  void it('is byte-identical to the product owner’s seeds', async () => {
    for (const [file, digest] of Object.entries(originals)) {
      const actual = createHash('sha256')
        .update(await readFile(copy + file))
        .digest('hex');
      assert.equal(actual, digest, `examples/seeds/${file} differs from the product owner's ${file}`);
    }
  });
});
