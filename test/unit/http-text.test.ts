import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodePercentLenient,
  hasControlCharacter,
  retryAfterDelayMs,
  retryAfterDelaySeconds,
} from '../../src/arazzo/http-text.js';
import { retryAfterMs } from '../../src/activities/http.js';
import { retryAfterSeconds } from '../../src/arazzo/machine/index.js';

const NOW = Date.parse('Tue, 01 Dec 2026 05:00:00 GMT');

describe('Retry-After (RFC 9110: delay-seconds or HTTP-date)', () => {
  // [value, exact ms, whole seconds (the machine), activity delay (at least 1 s)]
  const table: [string | undefined, number | undefined, number | undefined, number | undefined][] = [
    ['0', 0, 0, 1000],
    ['120', 120_000, 120, 120_000],
    [' 7 ', 7000, 7, 7000],
    ['Tue, 01 Dec 2026 05:00:30 GMT', 30_000, 30, 30_000],
    ['Tue, 01 Dec 2026 05:00:30 GMT ', 30_000, 30, 30_000],
    ['Tue, 01 Dec 2026 05:00:00 GMT', 0, 0, 1000],
    ['Tue, 01 Dec 2026 04:00:00 GMT', 0, 0, 1000],
    ['Tuesday, 01-Dec-26 05:00:10 GMT', 10_000, 10, 10_000],
    ['Tue Dec  1 05:00:20 2026', 20_000, 20, 20_000],
    ['2026-12-01T05:00:20Z', undefined, undefined, undefined],
    ['', undefined, undefined, undefined],
    ['   ', undefined, undefined, undefined],
    ['soon', undefined, undefined, undefined],
    [undefined, undefined, undefined, undefined],
  ];
  for (const [value, ms, seconds, activityMs] of table) {
    it(`${JSON.stringify(value)} → ${ms} ms, ${seconds} s, activity ${activityMs} ms`, () => {
      assert.equal(retryAfterDelayMs(value, NOW), ms);
      assert.equal(retryAfterDelaySeconds(value, NOW), seconds);
      assert.equal(retryAfterSeconds(value === undefined ? {} : { 'retry-after': value }, NOW), seconds);
      assert.equal(retryAfterMs(value, NOW), activityMs);
    });
  }

  it('an HTTP-date means GMT whatever the process time zone (workflow code replays anywhere)', () => {
    const zone = process.env.TZ;
    try {
      for (const tz of ['America/New_York', 'Asia/Kolkata', 'UTC']) {
        process.env.TZ = tz;
        assert.equal(retryAfterDelaySeconds('Tue Dec  1 05:00:20 2026', NOW), 20, tz);
        assert.equal(retryAfterDelaySeconds('Tue, 01 Dec 2026 05:00:20 GMT', NOW), 20, tz);
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('a date a fraction of a second ahead rounds up to a whole second in the machine', () => {
    assert.equal(retryAfterDelayMs('Tue, 01 Dec 2026 05:00:01 GMT', NOW + 200), 800);
    assert.equal(retryAfterDelaySeconds('Tue, 01 Dec 2026 05:00:01 GMT', NOW + 200), 1);
  });
});

describe('hasControlCharacter', () => {
  const table: [string, boolean][] = [
    ['plain text', false],
    ['tab\there', false],
    ['', false],
    ['é ü 日本', false],
    ['line\nbreak', true],
    ['carriage\rreturn', true],
    ['nul\u0000', true],
    ['unit sep\u001f', true],
    ['del\u007f', true],
    ['space ~', false],
  ];
  for (const [text, expected] of table) {
    it(`${JSON.stringify(text)} → ${expected}`, () => assert.equal(hasControlCharacter(text), expected));
  }
});

describe('decodePercentLenient', () => {
  const table: [string, string][] = [
    ['a%20b', 'a b'],
    ['%7Bid%7D', '{id}'],
    ['%E6%97%A5', '日'],
    ['100%', '100%'],
    ['%zz', '%zz'],
    ['%E6%97', '%E6%97'],
    ['plain', 'plain'],
    ['a+b', 'a+b'],
  ];
  for (const [text, expected] of table) {
    it(`${JSON.stringify(text)} → ${JSON.stringify(expected)}`, () =>
      assert.equal(decodePercentLenient(text), expected));
  }
});
