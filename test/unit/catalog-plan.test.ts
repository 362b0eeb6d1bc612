/**
 * Execution plans: operation keys, OpenAPI parameter defaults, server URLs, resource specs,
 * sub-workflow reach, run option precedence, document hash and credential profiles.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  buildExecutionPlan,
  CatalogError,
  loadArazzoDocument,
  sourceCredentialProfiles,
} from '../../src/catalog/index.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures');
const jobsDoc = join(fixtures, 'good-documents/jobs.arazzo.yaml');
const componentsDoc = join(fixtures, 'good-documents/components.arazzo.json');

void describe('buildExecutionPlan', () => {
  void it('resolves the operations a workflow calls, keyed by source and operationId', async () => {
    const plan = buildExecutionPlan(await loadArazzoDocument(jobsDoc), 'run-job');
    assert.deepEqual(plan.stepOperations, {
      'run-job/createJob': 'jobsApi.createJob',
      'run-job/pollJob': 'jobsApi.getJob',
    });
    // cancelJob and listJobs come from createJob's resource extension.
    assert.deepEqual(Object.keys(plan.operations).sort(), [
      'jobsApi.cancelJob',
      'jobsApi.createJob',
      'jobsApi.getJob',
      'jobsApi.listJobs',
    ]);
    const getJob = plan.operations['jobsApi.getJob']!;
    assert.equal(getJob.method, 'GET');
    assert.equal(getJob.path, '/jobs/{jobId}');
    assert.equal(getJob.serverUrl, 'http://localhost:8006/api/public/v1');
    assert.deepEqual(getJob.parameters, [
      { name: 'jobId', in: 'path', required: true, style: 'simple', explode: false },
      { name: 'X-Request-Id', in: 'header', required: false, style: 'simple', explode: false },
    ]);
    assert.deepEqual(plan.operations['jobsApi.createJob']!.requestBody, {
      required: true,
      contentTypes: ['application/json'],
    });
    assert.equal(plan.sourceUrls.jobsApi, '../openapi/jobs.yml');
  });

  void it('applies query defaults (form, explode) and keeps explicit style/explode; follows parameter $ref', async () => {
    const plan = buildExecutionPlan(await loadArazzoDocument(jobsDoc), 'run-job');
    assert.deepEqual(plan.operations['jobsApi.listJobs']!.parameters, [
      { name: 'connectionId', in: 'query', required: false, style: 'form', explode: true },
      { name: 'limit', in: 'query', required: false, style: 'form', explode: true },
      { name: 'tags', in: 'query', required: false, style: 'pipeDelimited', explode: false },
    ]);
  });

  void it('converts the resource extension to operation keys', async () => {
    const plan = buildExecutionPlan(await loadArazzoDocument(jobsDoc), 'run-job');
    const resource = plan.operations['jobsApi.createJob']!.resource!;
    assert.equal(resource.kind, 'job');
    assert.deepEqual(resource.cancel, {
      operation: 'jobsApi.cancelJob',
      parameters: [{ name: 'jobId', in: 'path', value: '$response.body#/jobId' }],
    });
    assert.equal(resource.adopt?.operation, 'jobsApi.listJobs');
    assert.deepEqual(resource.adopt?.match, { '/jobType': '$request.body#/jobType' });
    assert.deepEqual(resource.activeStatuses, ['pending', 'running', 'incomplete', 'queued']);
  });

  void it('merges run options: built-in < caller defaults < document < workflow', async () => {
    const plan = buildExecutionPlan(await loadArazzoDocument(jobsDoc), 'run-job', {
      defaults: { pollIntervalSeconds: 10, waitTimeoutSeconds: 600 },
    });
    assert.equal(plan.options.pollIntervalSeconds, 2); // document
    assert.equal(plan.options.maxPollIntervalSeconds, 30); // workflow
    assert.deepEqual(plan.options.failOnStatuses, ['failed']); // workflow
    assert.equal(plan.options.waitTimeoutSeconds, 600); // caller default
    assert.equal(plan.options.pollBackoff, 1); // built-in
    assert.equal(plan.options.onConflict, 'attach');
    assert.equal(plan.options.maxSteps, 1_000_000);
  });

  void it('hashes the document bytes and copies the document', async () => {
    const loaded = await loadArazzoDocument(jobsDoc);
    const plan = buildExecutionPlan(loaded, 'run-job');
    assert.equal(plan.documentHash, createHash('sha256').update(readFileSync(jobsDoc)).digest('hex'));
    assert.equal(plan.documentPath, jobsDoc);
    assert.equal(plan.planVersion, 1);
    assert.notEqual(plan.document, loaded.document);
    assert.deepEqual(plan.document, loaded.document);
  });

  void it('includes sub-workflows and keys operations without operationId by method and path', async () => {
    const plan = buildExecutionPlan(await loadArazzoDocument(componentsDoc), 'sync-connection');
    assert.deepEqual(plan.stepOperations, {
      'read-job/getJob': 'jobsApi.getJob',
      'read-job/health': 'jobsApi.GET /health',
    });
    assert.equal(plan.operations['jobsApi.GET /health']!.operationId, undefined);
  });

  void it('refuses documents with errors and unknown workflows', async () => {
    await assert.rejects(
      async () =>
        buildExecutionPlan(
          await loadArazzoDocument(join(fixtures, 'bad-documents/goto-step-missing.arazzo.yaml')),
          'run-job',
        ),
      (error: unknown) => {
        assert.ok(error instanceof CatalogError);
        assert.equal(error.code, 'catalog/document-invalid');
        assert.match(error.message, /goto-target-missing/);
        return true;
      },
    );
    const loaded = await loadArazzoDocument(jobsDoc);
    assert.throws(() => buildExecutionPlan(loaded, 'nope'), /workflow "nope" is not defined/);
  });

  void it('reports the credential profile of each source', async () => {
    assert.deepEqual(sourceCredentialProfiles(await loadArazzoDocument(jobsDoc)), { jobsApi: 'airbyte' });
  });
});
