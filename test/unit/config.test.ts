/**
 * Worker configuration: defaults, and every wrong setting reported at once, each message naming
 * its variable and what is expected.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  bundledAirbyteDescription,
  DEFAULT_HEAP_GROWING_PERCENT,
  defaultCatalogFolder,
  loadWorkerConfig,
  parseHeapGrowingPercent,
  parseWorkerTuning,
} from '../../src/config/index.js';
import { applyHeapGrowingPercent } from '../../src/worker/run-worker.js';

describe('worker configuration', () => {
  it('has working defaults with no settings at all', () => {
    const loaded = loadWorkerConfig({});
    assert.ok(loaded.ok);
    assert.equal(loaded.config.temporal.connectionOptions.address, '127.0.0.1:7233');
    assert.equal(loaded.config.temporal.namespace, 'default');
    assert.equal(loaded.config.taskQueue, 'arazzo');
    assert.deepEqual(loaded.config.catalogFolders, [defaultCatalogFolder]);
    assert.equal(loaded.config.sourceOverrides.airbyteApi, bundledAirbyteDescription);
    assert.equal(loaded.config.logFormat, 'json');
    assert.equal(loaded.config.heapGrowingPercent, DEFAULT_HEAP_GROWING_PERCENT);
  });

  it('reads ARAZZO_HEAP_GROWING_PERCENT, 0 included, and refuses anything but a whole number up to 1000', () => {
    for (const [value, percent] of [
      ['25', 25],
      ['0', 0],
      [' 1000 ', 1000],
      ['', DEFAULT_HEAP_GROWING_PERCENT],
    ] as const) {
      const loaded = loadWorkerConfig({ ARAZZO_HEAP_GROWING_PERCENT: value });
      assert.ok(loaded.ok, value);
      assert.equal(loaded.config.heapGrowingPercent, percent);
    }
    for (const value of ['-5', '1.5', '1001', 'lots', '50%']) {
      const errors: string[] = [];
      parseHeapGrowingPercent(value, errors);
      assert.deepEqual(
        errors,
        [
          `ARAZZO_HEAP_GROWING_PERCENT: expected a whole number from 0 (V8's own heuristics) to 1000, got '${value}'`,
        ],
        value,
      );
    }
  });

  it('sets the heap growing percent on V8 unless the command line chose one, or 0 leaves V8 alone', () => {
    const set: string[] = [];
    const record = (flags: string) => void set.push(flags);
    assert.equal(applyHeapGrowingPercent(50, ['--enable-source-maps'], record), 50);
    assert.equal(applyHeapGrowingPercent(0, [], record), 'V8 default');
    assert.equal(applyHeapGrowingPercent(50, ['--heap-growing-percent=30'], record), 'command line');
    assert.equal(applyHeapGrowingPercent(50, ['--heap_growing_percent', '30'], record), 'command line');
    assert.deepEqual(set, ['--heap-growing-percent=50']);
  });

  it('reads the Temporal variables and the project ones', () => {
    const loaded = loadWorkerConfig({
      TEMPORAL_ADDRESS: 'temporal.example:7233',
      TEMPORAL_NAMESPACE: 'data',
      TEMPORAL_TASK_QUEUE: 'airbyte',
      ARAZZO_CATALOG: `${defaultCatalogFolder}`,
      ARAZZO_SOURCE_DESCRIPTIONS: 'other=https://example.com/openapi.yml',
      ARAZZO_RUN_OPTIONS: '{"pollIntervalSeconds": 10, "onConflict": "fail"}',
      ARAZZO_LOG_LEVEL: 'warn',
      ARAZZO_LOG_FORMAT: 'text',
      ARAZZO_WORKER_OPTIONS:
        '{"maxCachedWorkflows": 5000, "reuseV8Context": true, "nonStickyToStickyPollRatio": 0.5}',
    });
    assert.ok(loaded.ok, JSON.stringify(loaded));
    assert.deepEqual(loaded.config.workerTuning, {
      maxCachedWorkflows: 5000,
      reuseV8Context: true,
      nonStickyToStickyPollRatio: 0.5,
    });
    assert.equal(loaded.config.temporal.connectionOptions.address, 'temporal.example:7233');
    assert.equal(loaded.config.temporal.namespace, 'data');
    assert.equal(loaded.config.taskQueue, 'airbyte');
    assert.equal(loaded.config.sourceOverrides.other, 'https://example.com/openapi.yml');
    assert.deepEqual(loaded.config.runOptionDefaults, { pollIntervalSeconds: 10, onConflict: 'fail' });
    assert.equal(loaded.config.logLevel, 'WARN');
  });

  it('reports every wrong setting at once, naming each variable', () => {
    const loaded = loadWorkerConfig({
      TEMPORAL_ADDRESS: 'not an address',
      TEMPORAL_TLS: 'maybe',
      ARAZZO_CATALOG: '/no/such/folder',
      ARAZZO_SOURCE_DESCRIPTIONS: 'broken',
      ARAZZO_RUN_OPTIONS: '{"pollIntervalSecs": 3}',
      ARAZZO_METRICS_ADDRESS: 'everywhere',
      ARAZZO_LOG_LEVEL: 'loud',
      ARAZZO_LOG_FORMAT: 'xml',
      ARAZZO_WORKFLOW_BUNDLE: '/no/bundle.js',
      ARAZZO_WORKER_OPTIONS: '{"maxCachedWorkflows": -1, "nonStickyToStickyPollRatio": 2}',
      ARAZZO_HEAP_GROWING_PERCENT: 'small',
    });
    assert.equal(loaded.ok, false);
    const text = loaded.ok ? '' : loaded.errors.join('\n');
    for (const variable of [
      'TEMPORAL_TLS',
      'ARAZZO_CATALOG',
      'ARAZZO_SOURCE_DESCRIPTIONS',
      'ARAZZO_RUN_OPTIONS',
      'ARAZZO_METRICS_ADDRESS',
      'ARAZZO_LOG_LEVEL',
      'ARAZZO_LOG_FORMAT',
      'ARAZZO_WORKFLOW_BUNDLE',
      'ARAZZO_WORKER_OPTIONS.maxCachedWorkflows',
      'ARAZZO_WORKER_OPTIONS.nonStickyToStickyPollRatio',
      'ARAZZO_HEAP_GROWING_PERCENT',
    ]) {
      assert.match(text, new RegExp(`^${variable}: `, 'm'), `no message for ${variable} in:\n${text}`);
    }
    assert.match(text, /pollIntervalSecs/);
  });

  it('takes the SDK poller behaviours as JSON and names what is wrong in one', () => {
    const errors: string[] = [];
    assert.deepEqual(
      parseWorkerTuning(
        '{"workflowTaskPollerBehavior": {"type": "autoscaling", "maximum": 20}, "activityTaskPollerBehavior": {"type": "simple-maximum", "maximum": 4}}',
        errors,
      ),
      {
        workflowTaskPollerBehavior: { type: 'autoscaling', maximum: 20 },
        activityTaskPollerBehavior: { type: 'simple-maximum', maximum: 4 },
      },
    );
    assert.deepEqual(errors, []);
    for (const [value, why] of [
      ['"autoscaling"', /must be an object such as \{"type": "autoscaling"\}/],
      ['{"type": "fast"}', /type must be "autoscaling" or "simple-maximum", got "fast"/],
      ['{"type": "simple-maximum", "initial": 3}', /initial: unknown for type "simple-maximum"/],
      ['{"type": "autoscaling", "maximum": 0}', /maximum: must be a whole number ≥ 1, got 0/],
      ['{"type": "autoscaling", "minimum": 8, "maximum": 4}', /minimum ≤ initial ≤ maximum/],
    ] as const) {
      const found: string[] = [];
      assert.deepEqual(parseWorkerTuning(`{"workflowTaskPollerBehavior": ${value}}`, found), {});
      assert.equal(found.length, 1, value);
      assert.match(found[0]!, /^ARAZZO_WORKER_OPTIONS\.workflowTaskPollerBehavior: /);
      assert.match(found[0]!, why);
    }
  });

  it('rejects a bad TEMPORAL_ADDRESS with what is expected', () => {
    const loaded = loadWorkerConfig({ TEMPORAL_ADDRESS: 'localhost' });
    assert.equal(loaded.ok, false);
    assert.match(loaded.ok ? '' : loaded.errors.join('\n'), /TEMPORAL_ADDRESS: expected host:port/);
  });
});
