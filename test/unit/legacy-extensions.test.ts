/**
 * The extensions were renamed off the reserved `x-arazzo` prefix (x-arazzo-temporal* → x-temporal*,
 * src/arazzo/extensions.ts). Documents and OpenAPI descriptions with the old names still load into
 * the same plan, with one deprecation warning per old name that names the new one; run inputs may
 * still carry the old run-options key.
 */
import assert from 'node:assert/strict';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  buildExecutionPlan,
  loadArazzoDocument,
  prepareInputs,
  sourceCredentialProfiles,
  validateDocument,
} from '../../src/catalog/index.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures');
const legacyDoc = join(fixtures, 'legacy/legacy-jobs.arazzo.yaml');
const currentDoc = join(fixtures, 'good-documents/jobs.arazzo.yaml');

void describe('old extension names (x-arazzo-temporal*)', () => {
  void it('validate with one deprecation warning each, naming the new name, and no error', async () => {
    const diagnostics = validateDocument(await loadArazzoDocument(legacyDoc));
    const spelled = diagnostics
      .map((d) => `${d.severity} ${d.code} ${relative(fixtures, d.file)}:${d.line} ${d.path}`)
      .sort();
    assert.deepEqual(spelled, [
      'warning arazzo/extension-deprecated legacy/legacy-jobs.arazzo.yaml:13 $.workflows[0].x-arazzo-temporal',
      'warning arazzo/extension-deprecated legacy/legacy-jobs.arazzo.yaml:39 $.workflows[0].steps[1].x-arazzo-temporal',
      'warning arazzo/extension-deprecated legacy/legacy-jobs.arazzo.yaml:9 $.x-arazzo-temporal',
      "warning arazzo/extension-deprecated openapi/legacy-jobs.yml:28 $.paths['/jobs'].post.x-arazzo-temporal-resource",
      'warning arazzo/extension-deprecated openapi/legacy-jobs.yml:5 $.info.x-arazzo-temporal-credentials',
      "warning arazzo/extension-deprecated openapi/legacy-jobs.yml:88 $.paths['/jobs/{jobId}'].get.x-arazzo-temporal-observes",
    ]);
    const resource = diagnostics.find((d) => d.path.endsWith('x-arazzo-temporal-resource'))!;
    assert.match(resource.message, /reserves for the OpenAPI Initiative; rename it x-temporal-resource/);
  });

  void it('build the same plan as the current names', async () => {
    const legacy = buildExecutionPlan(await loadArazzoDocument(legacyDoc), 'run-job');
    const current = buildExecutionPlan(await loadArazzoDocument(currentDoc), 'run-job');
    assert.deepEqual(legacy.options, current.options);
    assert.equal(legacy.options.pollIntervalSeconds, 2);
    assert.deepEqual(legacy.options.failOnStatuses, ['failed']);
    assert.deepEqual(
      legacy.operations['jobsApi.createJob']!.resource,
      current.operations['jobsApi.createJob']!.resource,
    );
    assert.ok(legacy.operations['jobsApi.createJob']!.resource);
    assert.equal(legacy.operations['jobsApi.getJob']!.observes, 'jobsApi.createJob');
    assert.deepEqual(sourceCredentialProfiles(await loadArazzoDocument(legacyDoc)), { jobsApi: 'airbyte' });
  });

  void it('run inputs may carry the old run-options key; the new one wins when both are given', async () => {
    const loaded = await loadArazzoDocument(currentDoc);
    const workflow = loaded.document!.workflows[0]!;
    const old = prepareInputs(
      workflow,
      { connectionId: 'c', 'x-arazzo-temporal': { pollIntervalSeconds: 7 } },
      loaded.document,
    );
    assert.deepEqual(old, {
      ok: true,
      inputs: { connectionId: 'c', jobType: 'sync' },
      runOptions: { pollIntervalSeconds: 7 },
    });
    const both = prepareInputs(
      workflow,
      {
        connectionId: 'c',
        'x-temporal': { pollIntervalSeconds: 1 },
        'x-arazzo-temporal': { pollIntervalSeconds: 7 },
      },
      loaded.document,
    );
    assert.ok(both.ok && both.runOptions.pollIntervalSeconds === 1);
  });
});
