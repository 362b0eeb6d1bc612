/**
 * The two seed documents, verbatim, against the project's Airbyte OpenAPI description: they are
 * valid and give exactly two warnings each (the uncovered `queued` status and the non-strict
 * JSONPath form).
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runValidateCommand } from '../../src/cli/commands/validate.js';
import { loadArazzoDocument, validateDocument } from '../../src/catalog/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const seeds = join(root, 'examples/seeds');
const overrides = { airbyteApi: join(root, 'openapi/airbyte-openapi.yml') };

const cases = [
  {
    file: 'airbyte-trigger-sync-and-poll.arazzo.yaml',
    poll: 'pollJob',
    onSuccessLine: 63,
    conditionLine: 69,
    more: 1,
  },
  {
    file: 'airbyte-reset-and-resync.arazzo.yaml',
    poll: 'pollReset',
    onSuccessLine: 58,
    conditionLine: 64,
    more: 2,
  },
];

void describe('seed documents', () => {
  for (const seed of cases) {
    void it(`${seed.file}: exactly the poll-coverage and JSONPath-form warnings`, async () => {
      const diagnostics = validateDocument(
        await loadArazzoDocument(join(seeds, seed.file), { sourceOverrides: overrides }),
      );
      assert.deepEqual(
        diagnostics.map((d) => `${d.severity} ${d.code} ${d.line} ${d.path} ${d.stepId}`),
        [
          `warning arazzo/poll-enum-not-covered ${seed.onSuccessLine} $.workflows[0].steps[1].onSuccess ${seed.poll}`,
          `warning arazzo/jsonpath-nonstrict ${seed.conditionLine} $.workflows[0].steps[1].onSuccess[0].criteria[0].condition ${seed.poll}`,
        ],
      );
      const [poll, jsonpath] = diagnostics;
      assert.match(poll!.message, /handles 'queued',/);
      assert.match(jsonpath!.message, /\$response\.body#\/status == 'running'/);
      assert.match(jsonpath!.message, new RegExp(`and ${seed.more} more`));
    });
  }

  void it('the validate command exits 0 on the seeds (warnings only)', async () => {
    let out = '';
    const code = await runValidateCommand(
      cases.map((c) => join(seeds, c.file)),
      { sourceOverrides: overrides, out: { write: (t: string) => (out += t) }, err: { write: () => true } },
    );
    assert.equal(code, 0);
    assert.match(out, /2 documents: 0 errors, 4 warnings/);
  });

  void it('without the override the relative source is missing: one error, exit 1', async () => {
    const diagnostics = validateDocument(await loadArazzoDocument(join(seeds, cases[0]!.file)));
    assert.deepEqual(
      diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.line} ${d.path}`),
      ['arazzo/source-unreadable 10 $.sourceDescriptions[0].url'],
    );
    const code = await runValidateCommand([join(seeds, cases[0]!.file)], {
      out: { write: () => true },
      err: { write: () => true },
    });
    assert.equal(code, 1);
  });
});
