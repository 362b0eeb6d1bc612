/**
 * A clone stands alone: no tracked file may name one machine's folders. Two checks: this clone's
 * own absolute path (whatever machine runs the test) and the usual roots of machine-specific paths.
 * Recorded histories are scrubbed to `<project>/` (scripts/record-histories.ts does it on record).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** Absolute paths that only make sense on one machine. `/root/pets` in an XPath corpus is not one. */
export const machinePath =
  /(?<![\w.~-])(?:\/work\/[\w.-]+|\/home\/[\w.-]+\/|\/Users\/[\w.-]+\/|\/root\/\.[\w-]+|\/tmp\/[\w.-]+\/|[A-Za-z]:\\(?:Users|work)\\)/;

function trackedFiles(): string[] {
  try {
    return execFileSync('git', ['ls-files', '-z'], { cwd: root }).toString().split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

void describe('machine paths', () => {
  const files = trackedFiles();
  const reason = files.length === 0 ? 'not a git checkout: nothing to scan' : false;

  void it('the pattern finds the paths it is for, and not XPath or URLs', () => {
    // Built from parts, so that this file does not name this machine's own folders.
    for (const bad of [
      ['', 'work', 'shared', 'seeds'].join('/'),
      "'/home/alice/x'",
      '"/Users/bob/p/"',
      '/root/.cache/x',
      'C:\\Users\\me',
    ])
      assert.match(bad, machinePath, bad);
    for (const good of [
      '/root/pets',
      'count(/root/pets/*)',
      'https://example.com/work/x',
      '~/.cache/x',
      'node_modules/x',
    ])
      assert.doesNotMatch(good, machinePath, good);
  });

  void it('no tracked file names this clone’s folder or another machine’s', { skip: reason }, () => {
    const here = root.replace(/\/$/, '');
    const offenders: string[] = [];
    for (const file of files) {
      if (file === 'package-lock.json') continue; // registry URLs only, and large
      if (file === 'test/unit/no-machine-paths.test.ts') continue; // its own examples
      let text: string;
      try {
        text = readFileSync(join(root, file), 'utf8');
      } catch {
        continue; // deleted in the work tree
      }
      if (text.includes('\0')) continue; // binary
      const lines = text.split('\n');
      lines.forEach((line, index) => {
        if ((here.length > 1 && line.includes(here)) || machinePath.test(line))
          offenders.push(`${file}:${index + 1}: ${line.trim().slice(0, 120)}`);
      });
    }
    assert.deepEqual(offenders, []);
  });
});
