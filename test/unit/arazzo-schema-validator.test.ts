/**
 * The Arazzo schema's ahead-of-time validator (src/catalog/checks/arazzo-schema-validator.generated.ts)
 * is what scripts/generate-arazzo-validator.ts writes from the current schema, and it reports what
 * Ajv compiling the schema at run time reports, error for error, on every Arazzo document the
 * project holds: its own, the broken-document corpus and the OAI's examples.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { arazzoValidatorSource, GENERATED_VALIDATOR } from '../../scripts/generate-arazzo-validator.js';
import { ARAZZO_SCHEMA_OPTIONS, arazzoDocumentSchema } from '../../src/catalog/checks/arazzo-schema.js';
import { validate as generated } from '../../src/catalog/checks/arazzo-schema-validator.generated.js';
import { projectRoot } from '../../src/config/project-root.js';

/** Every `*.arazzo.yaml|yml|json` under `folder`, recursively. */
function arazzoFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.arazzo\.(ya?ml|json)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function readDocument(file: string): unknown {
  try {
    return parse(readFileSync(file, 'utf8'), { uniqueKeys: false });
  } catch {
    return undefined;
  }
}

void describe('the ahead-of-time Arazzo schema validator', () => {
  void it('is what `npm run generate:validator` writes from the current schema', () => {
    assert.equal(
      readFileSync(GENERATED_VALIDATOR, 'utf8'),
      arazzoValidatorSource(),
      'src/catalog/checks/arazzo-schema-validator.generated.ts is stale: run `npm run generate:validator`',
    );
  });

  void it('reports exactly what Ajv compiling the schema reports, on every Arazzo document here', () => {
    const compiled = new Ajv2020(ARAZZO_SCHEMA_OPTIONS).compile(arazzoDocumentSchema);
    const validate = generated as unknown as typeof compiled;
    const files = ['arazzo', 'examples', 'test'].flatMap((folder) => arazzoFiles(join(projectRoot, folder)));
    let invalid = 0;
    let compared = 0;
    for (const file of files) {
      const value = readDocument(file);
      if (value === undefined) continue;
      compared++;
      const ok = compiled(value);
      assert.equal(validate(value), ok, file);
      assert.deepEqual(validate.errors ?? null, compiled.errors ?? null, file);
      if (!ok) invalid++;
    }
    // The corpus holds both kinds, so both paths of the code were compared.
    assert.ok(compared >= 100, `only ${compared} documents compared`);
    assert.ok(invalid >= 10 && invalid < compared, `${invalid} of ${compared} invalid`);
  });
});
