import { describe, expect, it } from 'vitest';
import { tally } from '../../../tools/test-tally.mjs';

const vitestOk = { status: 0, report: { numPassedTests: 10, numFailedTests: 0 } };
const stats = (expected: number, unexpected: number, flaky = 0) => ({
  stats: { expected, unexpected, flaky },
});

describe('npm test closing line', () => {
  it('adds vitest and Playwright counts, flaky tests counted as passed', () => {
    expect(tally(vitestOk, { status: 0, report: stats(4, 0, 1) })).toEqual({
      passed: 15,
      failed: 0,
      problems: [],
    });
  });

  it('counts failing tests of both runners', () => {
    const vitest = { status: 1, report: { numPassedTests: 9, numFailedTests: 1 } };
    const result = tally(vitest, { status: 1, report: stats(3, 2) });
    expect(result).toMatchObject({ passed: 12, failed: 3 });
    expect(result.problems).toEqual([]);
  });

  it('a Playwright run that never started (its web server port taken) is a failure', () => {
    const report = {
      ...stats(0, 0),
      errors: [{ message: 'http://127.0.0.1:8091/healthz is already used' }],
    };
    const result = tally(vitestOk, { status: 1, report });
    expect(result).toMatchObject({ passed: 10, failed: 1 });
    expect(result.problems[0]).toMatch(/Playwright exited with status 1.*already used.*8091/);
  });

  it('a runner that crashed without a report is a failure', () => {
    expect(tally({ status: 1 }, { status: 0, report: stats(2, 0) })).toMatchObject({
      passed: 2,
      failed: 1,
    });
    expect(tally(vitestOk, { status: 134 })).toMatchObject({ passed: 10, failed: 1 });
  });

  it('no browser tests: vitest alone', () => {
    expect(tally(vitestOk, undefined)).toEqual({ passed: 10, failed: 0, problems: [] });
  });
});
