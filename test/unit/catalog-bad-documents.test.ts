/**
 * The corpus of broken documents: each file in test/fixtures/bad-documents states the exact
 * diagnostics it must produce (severity, code, file:line, JSON path) in `# expect:` comments at
 * its end, or in a `<file>.expect` sidecar when the file cannot hold comments (JSON, binary,
 * empty). Huge and pathological inputs are generated here rather than committed.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadArazzoDocument, MAX_DOCUMENT_BYTES, validateDocument } from '../../src/catalog/index.js';
import type { Diagnostic } from '../../src/catalog/index.js';

const folder = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/bad-documents');
const documents = readdirSync(folder)
  .filter((name) => /\.arazzo\.(ya?ml|json)$/.test(name))
  .sort();

/** Reads the expectations of a fixture: `severity code file:line path` per line. */
function expectationsOf(file: string): string[] {
  const sidecar = `${file}.expect`;
  if (existsSync(sidecar))
    return readFileSync(sidecar, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('expect: '))
      .map((l) => l.slice(8));
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('# expect: '))
    .map((l) => l.slice(10));
}

/** Spells a diagnostic the way expectations are written; files relative to the fixture folder. */
function spell(d: Diagnostic): string {
  return `${d.severity} ${d.code} ${relative(folder, d.file)}:${d.line} ${d.path}`;
}

async function diagnosticsOf(file: string): Promise<Diagnostic[]> {
  return validateDocument(await loadArazzoDocument(file));
}

void describe('bad documents corpus', () => {
  void it('has at least 40 documents, each with expectations', () => {
    assert.ok(documents.length >= 40, `only ${documents.length} documents`);
    for (const name of documents)
      assert.ok(expectationsOf(join(folder, name)).length > 0, `${name} states no expectation`);
  });

  for (const name of documents) {
    void it(`${name} gives exactly the expected diagnostics`, async () => {
      const file = join(folder, name);
      const actual = (await diagnosticsOf(file)).map(spell).sort();
      assert.deepEqual(actual, expectationsOf(file).sort());
    });
  }
});

void describe('pathological input never throws', () => {
  async function write(name: string, content: string | Uint8Array): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'catalog-bad-'));
    const file = join(dir, name);
    await writeFile(file, content);
    return file;
  }

  void it('refuses a document larger than the size cap before parsing it', async () => {
    const line = 'x-padding: "' + 'a'.repeat(1000) + '"\n';
    const file = await write(
      'huge.arazzo.yaml',
      line.repeat(Math.ceil(MAX_DOCUMENT_BYTES / line.length) + 1),
    );
    const diagnostics = await diagnosticsOf(file);
    assert.deepEqual(
      diagnostics.map((d) => `${d.code} ${basename(d.file)}:${d.line} ${d.path}`),
      ['arazzo/file-too-large huge.arazzo.yaml:1 $'],
    );
  });

  void it('reports flow nesting deep enough to overflow a recursive parser as one error', async () => {
    const file = await write('deep.arazzo.json', '['.repeat(100_000) + ']'.repeat(100_000));
    const diagnostics = await diagnosticsOf(file);
    assert.equal(diagnostics.length, 1);
    assert.match(diagnostics[0]!.code, /^arazzo\/(syntax-error|too-deep)$/);
  });

  void it('reports block nesting past the depth cap', async () => {
    const text = Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n';
    const diagnostics = await diagnosticsOf(await write('deep-block.arazzo.yaml', text));
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['arazzo/too-deep'],
    );
  });

  void it('reports random bytes without throwing', async () => {
    for (let i = 0; i < 20; i++) {
      const diagnostics = await diagnosticsOf(await write(`random-${i}.arazzo.yaml`, randomBytes(512)));
      assert.ok(
        diagnostics.some((d) => d.severity === 'error'),
        `random input ${i} was accepted`,
      );
    }
  });

  void it('limits alias expansion (a "billion laughs" document)', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const diagnostics = await diagnosticsOf(await write('laughs.arazzo.yaml', lines.join('\n') + '\n'));
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['arazzo/syntax-error'],
    );
  });

  void it('reports a missing file and a folder given as a file', async () => {
    assert.deepEqual(
      (await diagnosticsOf(join(folder, 'no-such.arazzo.yaml'))).map((d) => d.code),
      ['arazzo/unreadable'],
    );
    assert.deepEqual(
      (await diagnosticsOf(folder)).map((d) => d.code),
      ['arazzo/unreadable'],
    );
  });
});
