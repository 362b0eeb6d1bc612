/**
 * The one list of failure types (src/arazzo/failures.ts): well-formed, complete for what the docs
 * name, and guarded by the ESLint rule that refuses a failure-type string anywhere else.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { FAILURE_TYPES, Failure, NEVER_RETRIED_CALL_FAILURES } from '../../src/arazzo/failures.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Expands the config's `/^(A(b|c)|D)$/` pattern into its names (one level of groups). */
function expand(pattern: string): string[] {
  const body = /^\/\^\((.*)\)\$\/$/.exec(pattern)?.[1];
  assert.ok(body, `unexpected pattern shape: ${pattern}`);
  const names: string[] = [];
  let depth = 0;
  let start = 0;
  const parts: string[] = [];
  for (let i = 0; i <= body.length; i++) {
    const ch = body[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if ((ch === '|' && depth === 0) || ch === undefined) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  for (const part of parts) {
    const group = /^(\w*)\(([\w|]+)\)$/.exec(part);
    if (group) for (const tail of group[2]!.split('|')) names.push(group[1]! + tail);
    else names.push(part);
  }
  return names;
}

describe('failure types', () => {
  it('are unique PascalCase names', () => {
    assert.equal(new Set(FAILURE_TYPES).size, FAILURE_TYPES.length);
    for (const type of FAILURE_TYPES) assert.match(type, /^[A-Z][A-Za-z]+$/);
    assert.ok(FAILURE_TYPES.length >= 20);
  });

  it('the never-retried list holds only listed types, never one thrown both ways', () => {
    for (const type of NEVER_RETRIED_CALL_FAILURES) assert.ok(FAILURE_TYPES.includes(type), type);
    assert.ok(!NEVER_RETRIED_CALL_FAILURES.includes(Failure.adoptLookupFailed));
    assert.ok(!NEVER_RETRIED_CALL_FAILURES.includes(Failure.httpTransportError));
  });

  it("the lint rule's pattern names exactly the list", async () => {
    const config = new URL('../../eslint.config.js', import.meta.url).href;
    const { KNOWN_FAILURE_TYPES } = (await import(config)) as { KNOWN_FAILURE_TYPES: string };
    assert.deepEqual(expand(KNOWN_FAILURE_TYPES).sort(), [...FAILURE_TYPES].sort());
  });

  it('every failure type README.md and docs/reliability.md name is in the list', async () => {
    const named = new Set<string>();
    for (const file of ['README.md', 'docs/reliability.md']) {
      const text = await readFile(`${root}${file}`, 'utf8');
      // Our prefix: every type the workflow or the prepare activity ends a run with starts with it.
      for (const m of text.matchAll(/`(Arazzo[A-Z][A-Za-z]+)`/g)) named.add(m[1]!);
    }
    // Class names of in-process errors, not failure types.
    for (const name of ['ArazzoError', 'ArazzoExpressionError', 'ArazzoConditionError', 'ArazzoRequestError'])
      named.delete(name);
    assert.ok(named.size > 3, 'the docs name failure types');
    for (const name of named) assert.ok((FAILURE_TYPES as readonly string[]).includes(name), name);
  });
});

describe('the lint rule against failure-type strings outside the list', () => {
  const probe = fileURLToPath(new URL('../../src/activities/failure-type-probe.ts', import.meta.url));
  after(() => rm(probe, { force: true }));

  async function lint(source: string): Promise<number[]> {
    await writeFile(probe, source);
    const [result] = await new ESLint({ cwd: root }).lintFiles([probe]);
    return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.line);
  }

  it('flags a new type thrown as a string, a listed type written out, and a literal retry list', async () => {
    const lines = await lint(
      [
        "import { ApplicationFailure } from '@temporalio/common';",
        "export const a = ApplicationFailure.nonRetryable('m', 'SomethingNew');",
        "export const b = ApplicationFailure.create({ message: 'm', type: 'Other' });",
        `export const c = '${Failure.invalidInput}';`,
        "export const d = { nonRetryableErrorTypes: ['X'] };",
        'export function failure(m: string, t: string): Error {',
        '  return new Error(m + t);',
        '}',
        "export const e = failure('m', 'T');",
        '',
      ].join('\n'),
    );
    assert.deepEqual(lines, [2, 3, 4, 5, 9]);
  });

  it('accepts types taken from the list', async () => {
    const lines = await lint(
      [
        "import { ApplicationFailure } from '@temporalio/common';",
        "import { Failure } from '../arazzo/failures.js';",
        "export const a = ApplicationFailure.nonRetryable('m', Failure.unknownSource);",
        'export const b = ApplicationFailure.create({ message: "m", type: Failure.resourceBusy });',
        '',
      ].join('\n'),
    );
    assert.deepEqual(lines, []);
  });
});
