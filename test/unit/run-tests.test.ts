/**
 * scripts/run-tests.ts (npm test) ends a test file that fails its setup at once, kills a file that
 * hangs (even one that ignores SIGTERM, with the processes it started) after the per-file limit,
 * names it, and closes with the plain total line. Runs the real script on fixture files, against a
 * Temporal address that is never dialled (the fixtures do not use Temporal).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string) => join('test/fixtures/runner', name);
const scratch = mkdtempSync(join(tmpdir(), 'run-tests-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function runTests(files: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/run-tests.ts', ...files],
      {
        cwd: root,
        env: { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1', ARAZZO_TEST_CONCURRENCY: '1', ...env },
        timeout: 120_000,
      },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          output: stdout + stderr,
        }),
    );
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

void describe('npm test runner', () => {
  void it('counts passes and skips and closes with the total line', async () => {
    const { code, output } = await runTests([fixture('passes.test.ts')]);
    assert.equal(code, 0, output);
    assert.match(output, /^tests: 2 passed, 0 failed, 1 skipped$/m);
  });

  void it('a file whose setup fails ends at once with its error, though it left a server open', async () => {
    const { code, output } = await runTests([fixture('setup-fails.test.ts'), fixture('passes.test.ts')], {
      ARAZZO_TEST_FILE_TIMEOUT_SECONDS: '60',
    });
    assert.equal(code, 1);
    assert.match(output, /setup failed on purpose/);
    assert.doesNotMatch(output, /no result after/);
    assert.match(output, /^tests: 2 passed, [1-9]\d* failed, 1 skipped$/m);
  });

  void it('a file that hangs and ignores SIGTERM is named and killed with what it started', async () => {
    const pidFile = join(scratch, 'grandchild.pid');
    const { code, output } = await runTests([fixture('hangs.test.ts'), fixture('passes.test.ts')], {
      ARAZZO_TEST_FILE_TIMEOUT_SECONDS: '3',
      RUNNER_FIXTURE_PID_FILE: pidFile,
    });
    assert.equal(code, 1);
    assert.match(output, /✖ test\/fixtures\/runner\/hangs\.test\.ts: no result after 3 s/);
    // The runner went on to the next file.
    assert.match(output, /^tests: 2 passed, 1 failed, 1 skipped$/m);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    assert.equal(alive(grandchild), false, `the hung file's child ${grandchild} is still running`);
  });
});
