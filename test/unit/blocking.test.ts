import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activeResourceIn, lookupReadable } from '../../src/arazzo/machine/index.js';

const adopt = {
  itemsPointer: '/data',
  idPointer: '/jobId',
  statusPointer: '/status',
  activeStatuses: ['pending', 'running', 'incomplete'],
  terminalStatuses: ['succeeded', 'failed', 'cancelled'],
};

describe('the resource that blocks a create (onConflict: wait)', () => {
  it('is the newest listed resource not in a terminal status, whatever its type', () => {
    const body = {
      data: [
        { jobId: 9, status: 'succeeded', jobType: 'sync' },
        { jobId: 8, status: 'running', jobType: 'reset' },
        { jobId: 7, status: 'running', jobType: 'sync' },
      ],
    };
    assert.deepEqual(activeResourceIn(body, adopt), { id: 8, status: 'running' });
  });

  it('counts statuses it does not know (queued) as active when terminal ones are declared', () => {
    assert.deepEqual(activeResourceIn({ data: [{ jobId: 3, status: 'queued' }] }, adopt), {
      id: 3,
      status: 'queued',
    });
    const onlyActive = { ...adopt, terminalStatuses: [] };
    assert.equal(activeResourceIn({ data: [{ jobId: 3, status: 'queued' }] }, onlyActive), undefined);
  });

  it('is none when every resource ended, or items lack an id or a status', () => {
    assert.equal(activeResourceIn({ data: [{ jobId: 1, status: 'failed' }] }, adopt), undefined);
    assert.equal(activeResourceIn({ data: [{ status: 'running' }, { jobId: 2 }] }, adopt), undefined);
    assert.equal(activeResourceIn({ data: [] }, adopt), undefined);
  });

  it('tells a readable lookup from one without the list', () => {
    assert.ok(lookupReadable({ data: [] }, '/data'));
    assert.ok(!lookupReadable({ message: 'nope' }, '/data'));
    assert.ok(!lookupReadable('text', '/data'));
  });
});
