/**
 * The fuzzer itself: a seed always gives the same bytes (a failure is
 * reproduced from its seed alone), seeds differ, and every kind of mutation
 * is used.
 */
import { describe, expect, it } from 'vitest';
import { fuzzCase, fuzzCases, loadRecordings } from './byte-fuzzer.js';

const recordings = loadRecordings('driver');

describe('byteFuzzer', () => {
  it('gives the same case for the same seed', () => {
    expect(fuzzCase(recordings, 7)).toEqual(fuzzCase(recordings, 7));
  });

  it('gives different bytes for different seeds, starting from recorded traffic', () => {
    const cases = fuzzCases(recordings, 0, 50);
    expect(new Set(cases.map((one) => one.bytes.toString('base64'))).size).toBe(50);
    expect(cases[0]?.steps[0]).toMatch(/^\S+\.xml bytes \d+\.\.\d+$/);
  });

  it('uses every mutation: bit flips, insertions, deletions, splices, truncation, repeated chunks', () => {
    const kinds = new Set(
      fuzzCases(recordings, 0, 200).flatMap((one) => one.steps.slice(1).map((step) => step.split(' ')[0])),
    );
    expect([...kinds].sort()).toEqual(['delete', 'flip', 'insert', 'repeat', 'splice', 'truncate']);
  });
});
