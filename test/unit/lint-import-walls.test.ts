/**
 * The lint wall around workflow code: importing an HTTP client, a Node built-in or an activity
 * implementation from src/workflows must fail `npm run lint`.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = fileURLToPath(new URL('../..', import.meta.url));
const probe = fileURLToPath(new URL('../../src/workflows/lint-probe.ts', import.meta.url));

async function lint(source: string): Promise<string[]> {
  await writeFile(probe, source);
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintFiles([probe]);
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`);
}

describe('lint rules for workflow code', () => {
  after(() => rm(probe, { force: true }));

  it('rejects got in a workflow file', async () => {
    const messages = await lint("import got from 'got';\nexport const x = got;\n");
    assert.ok(
      messages.some((m) => m.includes('no-restricted-imports') && m.includes('I/O')),
      messages.join('\n'),
    );
  });

  it('rejects node:fs in a workflow file', async () => {
    const messages = await lint("import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n");
    assert.ok(
      messages.some((m) => m.includes('no-restricted-imports') && m.includes('Node built-ins')),
      messages.join('\n'),
    );
  });

  it('rejects an activity implementation but allows its types', async () => {
    const value = await lint(
      "import { createHttpActivities } from '../activities/index.js';\nexport const x = createHttpActivities;\n",
    );
    assert.ok(
      value.some((m) => m.includes('no-restricted-imports')),
      value.join('\n'),
    );
    const typeOnly = await lint(
      "import type { HttpActivityDeps } from '../activities/http.js';\nexport type X = HttpActivityDeps;\n",
    );
    assert.deepEqual(
      typeOnly.filter((m) => m.includes('no-restricted-imports')),
      [],
    );
  });

  it('rejects Math.random in a workflow file', async () => {
    const messages = await lint('export const x = Math.random();\n');
    assert.ok(
      messages.some((m) => m.includes('no-restricted-properties')),
      messages.join('\n'),
    );
  });
});
