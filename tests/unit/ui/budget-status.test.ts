/** The peers panel's connection-budget line at each level. */
import { describe, expect, it } from 'vitest';
import { ConnectionBudget, PeerConnectionCount } from '../../../client/net/connection-budget.js';
import { budgetLine } from '../../../client/ui/budget-status.js';

describe('budgetLine', () => {
  it('counts created and held connections, and says what a low budget means', () => {
    const count = new PeerConnectionCount();
    const budget = new ConnectionBudget(count, 0);
    count.created = 12;
    count.collected = 3;
    expect(budgetLine(budget.status(0))).toBe(
      "WebRTC connections: 12 created, 9 held of the browser's 500 per tab.",
    );
    count.created = 410;
    expect(budgetLine(budget.status(0))).toMatch(/Running low: this tab keeps its links/);
    count.created = 490;
    expect(budgetLine(budget.status(0))).toMatch(/Used up: no new links until the browser/);
  });
});
