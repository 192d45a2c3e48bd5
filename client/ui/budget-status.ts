/**
 * The peers panel's line on the connection budget (client/net/connection-budget.ts): how many
 * WebRTC connections this tab created, how many the browser still holds against its cap, and,
 * when the budget runs low, what the node does about it.
 */
import type { BudgetStatus } from '../net/connection-budget.js';

/** e.g. "WebRTC connections: 12 created, 9 held of the browser's 500 per tab." */
export function budgetLine(status: BudgetStatus): string {
  const line = `WebRTC connections: ${status.created} created, ${status.uncollected} held of the browser's ${status.cap} per tab.`;
  if (status.level === 'low')
    return `${line} Running low: this tab keeps its links and makes new ones only to stay linked.`;
  if (status.level === 'exhausted')
    return `${line} Used up: no new links until the browser releases closed ones (or open a new tab).`;
  return line;
}
