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
