/**
 * The future-time limit (core/consensus/block-checks.ts, per network in params.ts) and the
 * griefing it bounds (tools/ftl-griefing.ts): the figures docs/consensus.md quotes are rerun.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAIN, REGTEST, checkHeaderContext, type BlockHeader } from '../../../core/index.js';
import { DOCUMENTED_RUNS, simulateFtlGriefing } from '../../../tools/ftl-griefing.js';

const NOW = MAIN.genesis.header.time + 1_000;
const header = (time: number): BlockHeader => ({ ...MAIN.genesis.header, time });
const context = { expectedBits: MAIN.genesis.header.bits, medianTimePast: NOW - 100, now: NOW };

describe('future-time limit', () => {
  it('is 3 spacings on main (inside the retarget cap of 6) and 120 s on regtest', () => {
    expect(MAIN.maxFutureBlockTime).toBe(3 * MAIN.targetSpacing);
    expect(REGTEST.maxFutureBlockTime).toBe(120);
  });

  it('accepts a main block at now + 30 s and refuses now + 31 s as time-future (score 0)', () => {
    const limit = { ...context, maxFutureBlockTime: MAIN.maxFutureBlockTime };
    expect(checkHeaderContext(header(NOW + 30), limit).ok).toBe(true);
    const late = checkHeaderContext(header(NOW + 31), limit);
    expect(!late.ok && [late.reason, late.category, late.score]).toEqual([
      'time-too-new',
      'time-future',
      0,
    ]);
  });
});

describe('griefing by a miner stamping blocks at the limit (docs/consensus.md figures)', () => {
  const [old, current] = DOCUMENTED_RUNS.map((run) => simulateFtlGriefing(run));
  const docs = readFileSync(new URL('../../../docs/consensus.md', import.meta.url), 'utf8');
  const percent = (stretch: number) => `+${((stretch - 1) * 100).toFixed(1)}%`;

  it('stretched block time by about a third at 120 s and by under 1% at main’s limit', () => {
    expect(old!.stretch).toBeGreaterThan(1.25);
    expect(current!.stretch).toBeLessThan(1.01);
  });

  it('matches the figures docs/consensus.md quotes', () => {
    expect(docs).toContain(`120 s (12 spacings): ${percent(old!.stretch)}`);
    expect(docs).toContain(`30 s (3 spacings): ${percent(current!.stretch)}`);
  });
});
