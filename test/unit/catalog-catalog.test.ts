/**
 * The catalog over folders: workflows listed by id, invalid documents and ids defined twice not
 * runnable, and plans built by id.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CatalogError, formatDiagnostic, loadCatalog } from '../../src/catalog/index.js';
import { parseSource } from '../../src/catalog/parsed-source.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures');

/** A temporary catalog laid out like the fixtures (documents refer to ../openapi/jobs.yml). */
async function makeCatalog(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'catalog-'));
  await mkdir(join(root, 'openapi'));
  await mkdir(join(root, 'docs'));
  for (const name of ['jobs.yml', 'schemas.yml'])
    await copyFile(join(fixtures, 'openapi', name), join(root, 'openapi', name));
  for (const [name, source] of Object.entries(files))
    await copyFile(join(fixtures, source), join(root, 'docs', name));
  await writeFile(join(root, 'docs', 'notes.txt'), 'not a document');
  return join(root, 'docs');
}

void describe('loadCatalog', () => {
  void it('lists the workflows of valid documents and builds their plans', async () => {
    const folder = await makeCatalog({
      'jobs.arazzo.yaml': 'good-documents/jobs.arazzo.yaml',
      'components.arazzo.json': 'good-documents/components.arazzo.json',
    });
    const catalog = await loadCatalog({ folders: [folder], defaults: { waitTimeoutSeconds: 99 } });
    assert.deepEqual(catalog.diagnostics.map(formatDiagnostic), []);
    assert.deepEqual([...catalog.workflows.keys()].sort(), ['read-job', 'run-job', 'sync-connection']);
    assert.equal(catalog.documents.length, 2);
    const plan = catalog.buildPlan('run-job', { defaults: { executionTimeoutSeconds: 5 } });
    assert.equal(plan.workflowId, 'run-job');
    assert.equal(plan.options.waitTimeoutSeconds, 99);
    assert.equal(plan.options.executionTimeoutSeconds, 5);
  });

  void it('reports a workflowId defined in two documents on both, and runs neither', async () => {
    const folder = await makeCatalog({
      'a.arazzo.yaml': 'good-documents/jobs.arazzo.yaml',
      'b.arazzo.yml': 'good-documents/jobs.arazzo.yaml',
    });
    const catalog = await loadCatalog({ folders: [folder] });
    assert.deepEqual(
      catalog.diagnostics.map((d) => `${d.code} ${d.file.slice(folder.length + 1)}:${d.line} ${d.path}`),
      [
        'catalog/duplicate-workflow-id a.arazzo.yaml:12 $.workflows[0].workflowId',
        'catalog/duplicate-workflow-id b.arazzo.yml:12 $.workflows[0].workflowId',
      ],
    );
    assert.equal(catalog.workflows.has('run-job'), false);
    assert.throws(() => catalog.buildPlan('run-job'), CatalogError);
  });

  void it('keeps diagnostics of invalid documents and leaves their workflows out', async () => {
    const folder = await makeCatalog({
      'bad.arazzo.yaml': 'bad-documents/goto-step-missing.arazzo.yaml',
      'ok.arazzo.json': 'good-documents/components.arazzo.json',
    });
    const catalog = await loadCatalog({ folders: [folder] });
    assert.deepEqual(
      catalog.diagnostics.map((d) => d.code),
      ['arazzo/goto-target-missing'],
    );
    assert.deepEqual([...catalog.workflows.keys()].sort(), ['read-job', 'sync-connection']);
    assert.throws(() => catalog.buildPlan('run-job'), /no runnable workflow "run-job"/);
  });

  void it('applies source overrides to every document, and reports unreadable folders', async () => {
    const folder = await makeCatalog({ 'jobs.arazzo.yaml': 'good-documents/jobs.arazzo.yaml' });
    const catalog = await loadCatalog({
      folders: [folder, join(folder, 'missing')],
      sourceOverrides: { jobsApi: join(fixtures, 'openapi/swagger-2.yml') },
    });
    assert.deepEqual(catalog.diagnostics.map((d) => d.code).sort(), [
      'catalog/folder-unreadable',
      'openapi/unsupported-version',
    ]);
    assert.equal(catalog.workflows.size, 0);
  });
});

void describe('parseSource', () => {
  void it('parses a file once per content, and gives each caller its own value', () => {
    const text = (status: string) => new TextEncoder().encode(`job:\n  status: ${status}\n  tags: [a, b]\n`);
    const first = parseSource('/catalog/job.yaml', text('running'));
    const second = parseSource('/catalog/job.yaml', text('running'));
    assert.deepEqual(second.source.value, first.source.value);
    assert.notEqual(second.source.value, first.source.value);
    (first.source.value as { job: { status: string } }).job.status = 'changed by a caller';
    assert.equal((second.source.value as { job: { status: string } }).job.status, 'running');
    assert.deepEqual(second.source.positionOf(['job', 'tags', 1]), { line: 3, column: 13 });
    // New bytes under the same name are parsed again; the same bytes under another name report that name.
    const changed = parseSource('/catalog/job.yaml', text('succeeded'));
    assert.equal((changed.source.value as { job: { status: string } }).job.status, 'succeeded');
    assert.equal(parseSource('/catalog/other.yaml', text('running')).source.file, '/catalog/other.yaml');
    const broken = new TextEncoder().encode('job: [unclosed\n');
    const errors = [parseSource('/catalog/bad.yaml', broken), parseSource('/catalog/bad.yaml', broken)];
    assert.deepEqual(
      errors.map((e) => e.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}`)),
      [['arazzo/syntax-error /catalog/bad.yaml:2'], ['arazzo/syntax-error /catalog/bad.yaml:2']],
    );
  });
});
