/**
 * Every file in src/ is named after what it exports and its name is unique, so a name found in a
 * stack trace or a review points at one file. `index.ts` (one per room) and `errors.ts` (a room's
 * error classes) are the exceptions.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../../src', import.meta.url));
const SHARED_NAMES = new Set(['index.ts', 'errors.ts']);

/** File names that occur more than once among `paths`, with the paths that carry them. */
function repeatedNames(paths: string[]): Record<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const path of paths) {
    const name = basename(path);
    if (!SHARED_NAMES.has(name)) byName.set(name, [...(byName.get(name) ?? []), path]);
  }
  return Object.fromEntries([...byName].filter(([, found]) => found.length > 1));
}

describe('file names in src/', () => {
  it('finds a repeated name (the check can fail)', () => {
    assert.deepEqual(repeatedNames(['a/config.ts', 'b/config.ts', 'a/index.ts', 'b/index.ts']), {
      'config.ts': ['a/config.ts', 'b/config.ts'],
    });
  });

  it('are unique, except index.ts and errors.ts', () => {
    const files = (readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
    assert.deepEqual(repeatedNames(files), {});
  });
});
