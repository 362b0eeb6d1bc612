/**
 * `runValidateCommand`: compiler-style output, JSON output, folders, exit codes.
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runValidateCommand } from '../../src/cli/commands/validate.js';
import { formatDiagnostic } from '../../src/catalog/index.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures');

async function run(files: string[], json = false): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runValidateCommand(files, {
    json,
    out: { write: (t: string) => (out += t) },
    err: { write: (t: string) => (err += t) },
  });
  return { code, out, err };
}

void describe('runValidateCommand', () => {
  void it('prints errors like a compiler and exits 1', async () => {
    const file = join(fixtures, 'bad-documents/goto-step-missing.arazzo.yaml');
    const { code, out, err } = await run([file]);
    assert.equal(code, 1);
    assert.equal(
      out,
      `${file}:50:21: error [arazzo/goto-target-missing] goto action "wait": step "pollJobs" does not exist in workflow "run-job" (at $.workflows[0].steps[1].onSuccess[0].stepId)\n`,
    );
    assert.equal(err, '1 document: 1 error, 0 warnings\n');
  });

  void it('expands folders and exits 0 when there are no errors', async () => {
    const { code, out } = await run([join(fixtures, 'good-documents')]);
    assert.equal(code, 0);
    assert.equal(out, '2 documents: 0 errors, 0 warnings\n');
  });

  void it('prints JSON when asked', async () => {
    const { code, out } = await run([join(fixtures, 'bad-documents/input-undeclared.arazzo.yaml')], true);
    assert.equal(code, 0);
    const report = JSON.parse(out) as {
      errors: number;
      warnings: number;
      diagnostics: Array<{ code: string; line: number }>;
    };
    assert.equal(report.errors, 0);
    assert.equal(report.warnings, 1);
    assert.deepEqual(
      report.diagnostics.map((d) => [d.code, d.line]),
      [['arazzo/input-undeclared', 31]],
    );
  });

  void it('asks for files when given none', async () => {
    const { code, err } = await run([]);
    assert.equal(code, 2);
    assert.match(err, /usage/);
  });
});

void describe('formatDiagnostic', () => {
  void it('omits the position when there is none', () => {
    const d = {
      severity: 'error' as const,
      code: 'inputs/type',
      message: 'm',
      file: '<inputs>',
      line: 0,
      column: 0,
      path: '$.a',
    };
    assert.equal(formatDiagnostic(d), '<inputs>: error [inputs/type] m (at $.a)');
    assert.equal(
      formatDiagnostic({ ...d, line: 3, column: 7, severity: 'warning' }),
      '<inputs>:3:7: warning [inputs/type] m (at $.a)',
    );
  });
});
