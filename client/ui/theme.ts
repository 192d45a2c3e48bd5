/**
 * Shared look of the UI: colours as custom properties (set once on `tc-app`, inherited through
 * every shadow root; dark values under prefers-color-scheme), and the few styles every panel
 * uses (headings, tables, buttons, form fields, monospace hashes).
 */
import { css } from 'lit';

/** Colour tokens, light and dark. Applied on `tc-app`'s host. */
export const themeTokens = css`
  :host {
    color-scheme: light dark;
    --tc-bg: #f6f7f9;
    --tc-panel: #ffffff;
    --tc-fg: #1b1f24;
    --tc-muted: #5b6470;
    --tc-border: #d6dae0;
    --tc-accent: #1f5fbf;
    --tc-accent-fg: #ffffff;
    --tc-ok: #1d7a3a;
    --tc-warn: #8a5a00;
    --tc-bad: #b3261e;
    --tc-side: #b06c00;
    --tc-focus: #1f5fbf;
    --tc-radius: 8px;
    --tc-mono: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --tc-bg: #111418;
      --tc-panel: #1a1e24;
      --tc-fg: #e6e9ed;
      --tc-muted: #9aa4b0;
      --tc-border: #333a44;
      --tc-accent: #6ea8ff;
      --tc-accent-fg: #0b1220;
      --tc-ok: #5fcf80;
      --tc-warn: #f0b44c;
      --tc-bad: #ff7a70;
      --tc-side: #f0a050;
      --tc-focus: #8fbcff;
    }
  }
`;

/** Base styles every panel component includes. */
export const panelStyles = css`
  :host {
    display: block;
    color: var(--tc-fg);
  }
  * {
    box-sizing: border-box;
  }
  h2 {
    font-size: 1.05rem;
    margin: 0 0 0.6rem;
  }
  h3 {
    font-size: 0.95rem;
    margin: 0.9rem 0 0.4rem;
  }
  p {
    margin: 0.3rem 0;
  }
  .muted {
    color: var(--tc-muted);
  }
  .mono,
  code {
    font-family: var(--tc-mono);
    font-size: 0.85em;
    overflow-wrap: anywhere;
  }
  .ok {
    color: var(--tc-ok);
  }
  .warn {
    color: var(--tc-warn);
  }
  .bad {
    color: var(--tc-bad);
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }
  button {
    background: var(--tc-accent);
    color: var(--tc-accent-fg);
    border: 1px solid var(--tc-accent);
    border-radius: 6px;
    padding: 0.35rem 0.8rem;
    cursor: pointer;
  }
  button.secondary {
    background: transparent;
    color: var(--tc-accent);
  }
  button.link {
    background: none;
    border: none;
    padding: 0;
    color: var(--tc-accent);
    text-decoration: underline;
    font-family: var(--tc-mono);
    font-size: 0.85em;
  }
  button:disabled,
  button[aria-disabled='true'] {
    opacity: 0.55;
    cursor: not-allowed;
  }
  input,
  select,
  textarea {
    background: var(--tc-bg);
    border: 1px solid var(--tc-border);
    border-radius: 6px;
    padding: 0.35rem 0.5rem;
    max-width: 100%;
  }
  input[aria-invalid='true'] {
    border-color: var(--tc-bad);
  }
  :focus-visible {
    outline: 2px solid var(--tc-focus);
    outline-offset: 2px;
  }
  label {
    display: block;
    font-weight: 600;
    font-size: 0.9rem;
  }
  .field {
    margin: 0 0 0.7rem;
  }
  .field input,
  .field textarea,
  .field select {
    display: block;
    width: 100%;
    margin-top: 0.2rem;
    font-weight: normal;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  .scroll {
    overflow-x: auto;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    font-size: 0.85rem;
  }
  th,
  td {
    text-align: left;
    padding: 0.3rem 0.4rem;
    border-bottom: 1px solid var(--tc-border);
    vertical-align: top;
  }
  th {
    font-weight: 600;
    color: var(--tc-muted);
  }
  td.num,
  th.num {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
