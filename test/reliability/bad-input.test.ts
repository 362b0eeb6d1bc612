/**
 * Bad input: every broken document of the corpus plus generated enormous, deeply nested and
 * binary ones (worker refuses to start naming file:line and the field), hostile workflow inputs
 * (clear error before any request), and bad configuration (refusal naming the variable). See
 * lib/bad-input.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runBadInput } from './lib/bad-input.js';

describe('bad input', () => {
  let bugProblems: string[] = [];
  it('documents, workflow inputs and configuration: each refused with a clear error before any request; the running worker and a good run unaffected', async () => {
    bugProblems = (await runBadInput({ label: 'full', processSample: 4 })).bugProblems;
  });
  it('undeclared input fields (extra, __proto__, constructor, a deep object) are refused; workflow types toString and constructor fail ArazzoUnknownWorkflow', () => {
    assert.deepEqual(bugProblems, []);
  });
});
