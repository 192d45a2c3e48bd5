/**
 * axe-core's violations on a page as readable lines (WCAG 2.x A/AA and best practices), for
 * e2e specs; axe-core is a devDependency, loaded from node_modules into the page.
 */
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');

interface AxeResult {
  violations: {
    id: string;
    impact: string | null;
    help: string;
    nodes: { target: unknown[]; failureSummary?: string }[];
  }[];
}
type AxeWindow = { axe?: { run(context: unknown, options: unknown): Promise<AxeResult> } };

export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => !!(window as AxeWindow).axe))) {
    await page.addScriptTag({ path: AXE_PATH });
  }
  const result = await page.evaluate(() =>
    (window as AxeWindow).axe!.run(document, { resultTypes: ['violations'] }),
  );
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .slice(0, 3)
        .map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`)
        .join(' | ')}`,
  );
}
