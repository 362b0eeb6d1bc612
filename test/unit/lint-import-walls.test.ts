/**
 * The lint walls: importing an HTTP client, a Node built-in or an activity from src/workflows, or
 * crossing an import wall between the rooms of src/ (README: How the code is laid out), must fail
 * `npm run lint`.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = fileURLToPath(new URL('../..', import.meta.url));
const probes = new Set<string>();

/** Lints `source` written as src/<room>/lint-probe.ts; the messages as `rule: text`. */
async function lint(source: string, room = 'workflows'): Promise<string[]> {
  const probe = fileURLToPath(new URL(`../../src/${room}/lint-probe.ts`, import.meta.url));
  probes.add(probe);
  await writeFile(probe, source);
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintFiles([probe]);
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`);
}

const walled = (messages: string[]) => messages.filter((m) => m.startsWith('import-x/no-restricted-paths'));

describe('lint rules for workflow code', () => {
  after(() => Promise.all([...probes].map((p) => rm(p, { force: true }))));

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

  it('rejects an activity in a workflow file, its types included', async () => {
    const value = await lint(
      "import { createHttpActivities } from '../activities/index.js';\nexport const x = createHttpActivities;\n",
    );
    assert.ok(walled(value).length > 0, value.join('\n'));
    const typeOnly = await lint(
      "import type { HttpActivityDeps } from '../activities/http.js';\nexport type X = HttpActivityDeps;\n",
    );
    assert.ok(walled(typeOnly).length > 0, typeOnly.join('\n'));
  });

  it('rejects Math.random in a workflow file', async () => {
    const messages = await lint('export const x = Math.random();\n');
    assert.ok(
      messages.some((m) => m.includes('no-restricted-properties')),
      messages.join('\n'),
    );
  });
});

describe('import walls between the rooms of src/', () => {
  after(() => Promise.all([...probes].map((p) => rm(p, { force: true }))));

  it('keeps src/arazzo free of the catalog', async () => {
    const messages = await lint(
      "import { loadCatalog } from '../catalog/index.js';\nexport const x = loadCatalog;\n",
      'arazzo',
    );
    assert.ok(
      walled(messages).some((m) => m.includes('src/arazzo may import only arazzo')),
      messages.join('\n'),
    );
  });

  it('keeps src/arazzo free of the Temporal SDK', async () => {
    const messages = await lint(
      "import { sleep } from '@temporalio/workflow';\nexport const x = sleep;\n",
      'arazzo',
    );
    assert.ok(
      messages.some((m) => m.includes('no-restricted-imports') && m.includes('SDK-free')),
      messages.join('\n'),
    );
  });

  it('keeps src/arazzo free of the contract built on it, and of SDK types too', async () => {
    const contract = await lint(
      "import type { CallInput } from '../contract/index.js';\nexport type X = CallInput;\n",
      'arazzo',
    );
    assert.ok(
      contract.some((m) => m.includes('no-restricted-imports') && m.includes('src/contract')),
      contract.join('\n'),
    );
    const sdkTypes = await lint(
      "import type { RetryPolicy } from '@temporalio/common';\nexport type X = RetryPolicy;\n",
      'arazzo',
    );
    assert.ok(
      sdkTypes.some((m) => m.includes('no-restricted-imports') && m.includes('SDK-free')),
      sdkTypes.join('\n'),
    );
  });

  it('keeps src/config free of development tooling', async () => {
    const messages = await lint(
      "import { toolsBinDir } from '../dev-server/temporal-cli.js';\nexport const x = toolsBinDir;\n",
      'config',
    );
    assert.ok(
      walled(messages).some((m) => m.includes('src/config may import only')),
      messages.join('\n'),
    );
  });

  it('keeps src/cli from the worker', async () => {
    const messages = await lint(
      "import { createArazzoWorker } from '../worker/setup.js';\nexport const x = createArazzoWorker;\n",
      'cli',
    );
    assert.ok(
      walled(messages).some((m) => m.includes('src/cli may import only')),
      messages.join('\n'),
    );
  });

  it('keeps an entry point out of every room', async () => {
    const messages = await lint("import '../start.js';\nexport const x = 1;\n", 'worker');
    assert.ok(
      walled(messages).some((m) => m.includes('Nothing imports an entry point')),
      messages.join('\n'),
    );
  });

  it('allows what the walls allow: the worker importing activities, the CLI the catalog', async () => {
    const worker = await lint(
      "import { createHttpActivities } from '../activities/index.js';\nexport const x = createHttpActivities;\n",
      'worker',
    );
    assert.deepEqual(walled(worker), []);
    const cli = await lint(
      "import { loadCatalog } from '../catalog/index.js';\nexport const x = loadCatalog;\n",
      'cli',
    );
    assert.deepEqual(walled(cli), []);
  });
});
