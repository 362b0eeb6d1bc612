/**
 * The conformance suite: Arazzo documents written by others, and documents of our own for every
 * class of issue 13 this project implements, each with its expected verdict and, for an error,
 * its code and line.
 *
 * - `oai/`: the OAI Arazzo-Specification repository's examples and schema pass/fail test documents,
 *   copied verbatim (oai/README.md says from which path and commit). `oai/expectations.json` gives
 *   each its verdict and errors, and says why for every document the OAI marks as valid (or that
 *   is an example) but that this suite expects errors for: a real defect in the document, or a
 *   feature this runner does not run yet.
 * - `own/`: our documents; each states `# verdict:` and its errors as `# expect:` lines.
 *
 * Verdicts: `valid` (no error), `invalid` (an error that is not about support), `unsupported`
 * (only arazzo/asyncapi-unsupported or arazzo/not-supported errors: a valid document this runner
 * refuses to run rather than run with a field ignored).
 *
 * The OAI schema tests name sources that do not exist (`https://users.com/openapi.yaml`): they are
 * judged at the `document` stage, where source-loading errors (codes in SOURCE_CODES) are left
 * out; every other check still runs.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadArazzoDocument, validateDocument } from '../../src/catalog/index.js';
import type { Diagnostic } from '../../src/catalog/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const SOURCE_CODES = new Set(['arazzo/source-remote', 'arazzo/source-unreadable']);
const SUPPORT_CODES = new Set(['arazzo/asyncapi-unsupported', 'arazzo/not-supported']);

type Verdict = 'valid' | 'invalid' | 'unsupported';

interface OaiExpectation {
  file: string;
  stage: 'full' | 'document';
  sourceOverrides?: Record<string, string>;
  verdict: Verdict;
  /** `code:line`, errors only, in the document unless prefixed by another file's name. */
  errors: string[];
  why?: string;
}

function verdictOf(errors: Diagnostic[]): Verdict {
  if (errors.length === 0) return 'valid';
  return errors.every((d) => SUPPORT_CODES.has(d.code)) ? 'unsupported' : 'invalid';
}

async function errorsOf(
  file: string,
  stage: 'full' | 'document',
  overrides?: Record<string, string>,
): Promise<Diagnostic[]> {
  const sourceOverrides = Object.fromEntries(
    Object.entries(overrides ?? {}).map(([name, path]) => [name, join(here, 'oai', path)]),
  );
  const loaded = await loadArazzoDocument(file, overrides ? { sourceOverrides } : {});
  return validateDocument(loaded).filter(
    (d) => d.severity === 'error' && !(stage === 'document' && SOURCE_CODES.has(d.code)),
  );
}

function spell(d: Diagnostic, file: string): string {
  return d.file === file ? `${d.code}:${d.line}` : `${relative(dirname(file), d.file)}:${d.code}:${d.line}`;
}

const manifest = JSON.parse(readFileSync(join(here, 'oai/expectations.json'), 'utf8')) as {
  documents: OaiExpectation[];
};

void describe('conformance: OAI Arazzo-Specification documents', () => {
  void it('covers every copied document', () => {
    const listed = new Set(manifest.documents.map((d) => d.file));
    const walk = (dir: string): string[] =>
      readdirSync(join(here, 'oai', dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
      );
    const arazzoFiles = walk('.').filter(
      (f) => f.endsWith('.yaml') && !/openapi\.yaml$/.test(f) && !f.endsWith('-openapi.yaml'),
    );
    assert.deepEqual(arazzoFiles.filter((f) => !listed.has(f)).sort(), []);
  });

  for (const expected of manifest.documents) {
    void it(`${expected.file}: ${expected.verdict}${expected.errors.length > 0 ? ` (${expected.errors.join(', ')})` : ''}`, async () => {
      const file = join(here, 'oai', expected.file);
      const errors = await errorsOf(file, expected.stage, expected.sourceOverrides);
      assert.deepEqual(errors.map((d) => spell(d, file)).sort(), [...expected.errors].sort());
      assert.equal(verdictOf(errors), expected.verdict);
      // The OAI's own classification: a fail document is never accepted; a pass document (or an
      // example) is refused only with a reason written down.
      if (expected.file.includes('/fail/')) assert.equal(expected.verdict, 'invalid');
      else if (expected.verdict !== 'valid') assert.ok(expected.why, 'a refused valid document needs a why');
    });
  }
});

const ownFolder = join(here, 'own');
const own = readdirSync(ownFolder)
  .filter((n) => /\.arazzo\.(ya?ml|json)$/.test(n))
  .sort();

void describe('conformance: our own documents (issue 13 classes)', () => {
  for (const name of own) {
    const file = join(ownFolder, name);
    const text = readFileSync(file, 'utf8');
    const verdict = /^# verdict: (\w+)/m.exec(text)?.[1];
    const expected = [...text.matchAll(/^# expect: (\S+) (\d+)$/gm)].map((m) => `${m[1]}:${m[2]}`);
    void it(`${name}: ${verdict}`, async () => {
      assert.ok(verdict, `${name} states no verdict`);
      const errors = await errorsOf(file, 'full');
      assert.deepEqual(errors.map((d) => spell(d, file)).sort(), expected.sort());
      assert.equal(verdictOf(errors), verdict);
    });
  }
});
