/** Timing helpers shared by the benchmarks (figures to print, never pass/fail). */

/** Median milliseconds of `fn` over `runs` runs. */
export function median(runs: number, fn: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)]!;
}
