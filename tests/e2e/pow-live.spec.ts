/**
 * Proof of work, live, read as a person reads it: on a regtest network with a raised difficulty
 * (`&pow=24`, ~17 M hashes a block) "Mine a block" makes the nonce shown advance while the
 * state says hashing, then stop at "Block found"; the winning hash shown has as many leading
 * zero bits as the view says, at least the target's 24, and it is the new tip, whose bits are
 * the raised ones; the node list links to it with its `pow`. `SCREENSHOTS=1` also writes docs/img/pow-live-*.png (light and dark, 1920 and
 * 400 px wide).
 */
import { createRequire } from 'node:module';
import { expect, test, type Page } from '@playwright/test';
import { regtestParams } from '../../core/index.js';

const POW = 24;
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface Axe {
  run: (
    context: unknown,
    options: unknown,
  ) => Promise<{ violations: { id: string; help: string; nodes: { target: unknown[] }[] }[] }>;
}

/** axe-core's violations on the page as it is now (as tests/e2e/a11y.spec.ts checks the app). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: Axe }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.help} ${JSON.stringify(v.nodes[0]?.target)}`);
  });
}
const run = Date.now().toString(36);

interface Seen {
  state: string;
  nonce: string;
}

declare global {
  interface Window {
    powSeen?: Seen[];
  }
}

/** Leading zero bits of a display hex hash (most significant digit first). */
function zerosOf(hex: string): number {
  const value = BigInt(`0x${hex}`);
  return 256 - (value === 0n ? 0 : value.toString(2).length);
}

/** Record, every animation frame, the state and nonce the view shows (when they change). */
async function recordView(page: Page): Promise<void> {
  await page.evaluate(() => {
    const deep = (root: Document | ShadowRoot, selector: string): Element | null => {
      const hit = root.querySelector(selector);
      if (hit) return hit;
      for (const el of root.querySelectorAll('*')) {
        const inner = el.shadowRoot && deep(el.shadowRoot, selector);
        if (inner) return inner;
      }
      return null;
    };
    window.powSeen = [];
    const tick = () => {
      const view = deep(document, 'tc-pow-live')?.shadowRoot;
      const state = view?.querySelector('[aria-label="Proof of work state"]')?.textContent ?? '';
      const nonce = view?.querySelector('output[aria-label="Nonce"]')?.textContent ?? '';
      const last = window.powSeen!.at(-1);
      if (!last || last.state !== state.trim() || last.nonce !== nonce.trim()) {
        window.powSeen!.push({ state: state.trim(), nonce: nonce.trim() });
      }
      requestAnimationFrame(tick);
    };
    tick();
  });
}

/** Resolves after `frames` animation frames: the page has had the chance to render. */
const frames = (page: Page, count: number) =>
  page.evaluate(
    (n) =>
      new Promise<void>((resolve) => {
        const step = (left: number) =>
          left === 0 ? resolve() : requestAnimationFrame(() => step(left - 1));
        step(n);
      }),
    count,
  );

async function screenshots(page: Page): Promise<void> {
  const panel = page.locator('tc-miner details.pow');
  for (const [width, height] of [
    [1920, 1080],
    [400, 1000],
  ] as const) {
    await page.setViewportSize({ width, height });
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await frames(page, 3);
      await panel.screenshot({ path: `docs/img/pow-live-${width}-${colorScheme}.png` });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('proof of work, live: the nonce advances while hashing and stops at the block', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const nodeId = `pow-${run}`;
  await page.goto(`/?network=regtest&pow=${POW}&node=${nodeId}`);
  await expect(page.getByLabel('Node id')).toHaveText(nodeId);
  // Its own network: the raised difficulty's genesis, not plain regtest's.
  const params = regtestParams(POW);
  expect(await page.evaluate(() => window.tabcoin!.params.genesisId)).toBe(params.genesisId);

  // Open by default on a raised difficulty, and visible.
  await expect(page.getByText('Proof of work, live')).toBeVisible();
  const view = page.locator('tc-pow-live');
  await expect(view).toBeVisible();
  await recordView(page);

  // A lucky block can be found before the view has rendered twice: then mine another (at
  // most 4; at ~0.5 s of a ~5 s mean search, each is that lucky with a chance of ~10%).
  const mine = page.getByRole('button', { name: 'Mine a block' });
  let nonces: number[] = [];
  let blocks = 0;
  while (blocks < 4 && new Set(nonces).size < 2) {
    await page.evaluate(() => (window.powSeen = []));
    await mine.click();
    blocks++;
    await expect
      .poll(() => page.evaluate(() => window.tabcoin!.state.chain.height), { timeout: 240_000 })
      .toBe(blocks);
    await expect(view.getByLabel('Proof of work state')).toContainText('Block found');
    // While hashing, the nonce shown moved forward.
    const seen = await page.evaluate(() => window.powSeen!);
    const hashing = seen.filter((s) => s.state.startsWith('Hashing (main thread)'));
    nonces = hashing.filter((s) => s.nonce !== '—').map((s) => Number(s.nonce));
    for (let i = 1; i < nonces.length; i++) expect(nonces[i]).toBeGreaterThan(nonces[i - 1]!);
  }
  expect(new Set(nonces).size, `distinct nonces seen over ${blocks} blocks`).toBeGreaterThanOrEqual(
    2,
  );
  // The template was shown: the target needs the raised number of leading zero bits.
  await expect(view.getByLabel('Target leading zero bits')).toHaveText(String(POW));

  // Found: the state names the nonce, the nonce shown is that one, and it stays there.
  const state = (await view.getByLabel('Proof of work state').textContent()) ?? '';
  const foundNonce = Number(/nonce (\d+)/.exec(state)?.[1]);
  expect(Number.isInteger(foundNonce)).toBe(true);
  await expect(view.getByLabel('Nonce', { exact: true })).toHaveText(String(foundNonce));
  expect(foundNonce).toBeGreaterThan(Math.max(...nonces));
  const settled = (await page.evaluate(() => window.powSeen!.length)) - 1;
  await frames(page, 30);
  const after = await page.evaluate((from) => window.powSeen!.slice(from), settled);
  expect(after).toEqual([{ state: state.trim(), nonce: String(foundNonce) }]);

  // The winning hash: its leading zero bits are as shown, at least the target's.
  const best = view.locator('[data-what="best"]');
  const hash = (await best.getAttribute('data-hash'))!;
  expect(hash).toMatch(/^[0-9a-f]{64}$/);
  expect(await best.textContent()).toBe(hash); // shown in full
  const shownZeros = Number(await view.getByLabel('Best hash leading zero bits').textContent());
  expect(shownZeros).toBe(zerosOf(hash));
  expect(shownZeros).toBeGreaterThanOrEqual(POW);
  await expect(view.getByText('Winning hash')).toBeVisible();

  // It is the block the node just connected: the tip, at the raised bits.
  const tip = await page.evaluate(() => {
    const t = window.tabcoin!.state.chain.tip;
    return { id: t.id, bits: t.header.bits, nonce: t.header.nonce, height: t.height };
  });
  expect(tip).toEqual({ id: hash, bits: params.powLimitBits, nonce: foundNonce, height: blocks });

  // Every sampled hash in the strip shows its own leading zero bits.
  const rows = view.locator('li:not(.target)');
  expect(await rows.count()).toBeGreaterThanOrEqual(2);
  for (const row of await rows.all()) {
    const rowHash = (await row.locator('[data-hash]').getAttribute('data-hash'))!;
    // Shown shortened: its first digits, the leading zeros among them.
    const shown = (await row.locator('[data-hash]').textContent())!.replace('…', '');
    expect(rowHash.startsWith(shown)).toBe(true);
    const cells = row.locator('span.num');
    expect(Number(await cells.last().textContent())).toBe(zerosOf(rowHash));
  }

  // The open view passes axe-core, light and dark.
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    expect(await axeViolations(page), colorScheme).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });

  // The node list opens this node on its own network again: `pow=24` in its link.
  const listed = page.locator('tc-node-picker li', { hasText: nodeId });
  await expect(listed).toContainText(`(regtest, pow ${POW})`);
  await expect(listed).toContainText('this tab');
  const href = (await listed.locator('a').getAttribute('href'))!;
  expect(new URLSearchParams(href.slice(1)).get('pow')).toBe(String(POW));

  if (process.env.SCREENSHOTS) await screenshots(page);
});

test('a difficulty setting out of range, or off regtest, is refused in words', async ({ page }) => {
  await page.goto(`/?network=regtest&pow=99&node=pow-bad-${run}`);
  await expect(page.getByRole('alert')).toContainText(
    'pow=99: the leading zero bits must be a whole number from 2 to 32',
  );
  await page.goto(`/?pow=20&node=pow-main-${run}`);
  await expect(page.getByRole('alert')).toContainText('pow= needs network=regtest');
});
