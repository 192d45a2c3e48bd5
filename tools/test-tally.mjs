/**
 * The closing line of `npm test` (test-all.mjs): how many tests passed and failed, from the
 * vitest and Playwright JSON reports and the two runners' exit statuses. A runner that exits
 * non-zero without a failing test in its report (it crashed, or Playwright could not start its
 * web server because the port was taken) counts as one failure, so such a run never reads as
 * green.
 */

/**
 * @param {{ status: number, report?: { numPassedTests: number, numFailedTests: number } }} vitest
 * @param {{ status: number, report?: { stats: { expected: number, unexpected: number, flaky: number }, errors?: { message?: string }[] } } | undefined} e2e
 *   undefined when there are no browser tests
 * @returns {{ passed: number, failed: number, problems: string[] }}
 */
export function tally(vitest, e2e) {
  let passed = 0;
  let failed = 0;
  const problems = [];
  if (vitest.report) {
    passed += vitest.report.numPassedTests;
    failed += vitest.report.numFailedTests;
  }
  if (vitest.status !== 0 && !(vitest.report && vitest.report.numFailedTests > 0)) {
    failed += 1;
    problems.push(`vitest exited with status ${vitest.status} and no failing test in its report`);
  }
  if (e2e) {
    const stats = e2e.report?.stats;
    if (stats) {
      passed += stats.expected + stats.flaky;
      failed += stats.unexpected;
    }
    if (e2e.status !== 0 && !(stats && stats.unexpected > 0)) {
      failed += 1;
      const errors = (e2e.report?.errors ?? []).map((e) => e.message ?? String(e)).join('; ');
      problems.push(
        `Playwright exited with status ${e2e.status} and no failing test in its report` +
          (errors ? `: ${errors}` : '') +
          ' (a server left over from another run may hold the e2e port 8091: stop it and run again)',
      );
    }
  }
  return { passed, failed, problems };
}
