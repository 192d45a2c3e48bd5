/** Types of test-tally.mjs (plain JavaScript, so `npm test` needs no compiler). */
export interface VitestRun {
  status: number;
  report?: { numPassedTests: number; numFailedTests: number };
}
export interface PlaywrightRun {
  status: number;
  report?: {
    stats: { expected: number; unexpected: number; flaky: number };
    errors?: { message?: string }[];
  };
}
export function tally(
  vitest: VitestRun,
  e2e: PlaywrightRun | undefined,
): { passed: number; failed: number; problems: string[] };
