/**
 * The one intent components emit to navigate: "show this in the explorer" (a block hash,
 * height, txid or address). It bubbles out of shadow roots to `tc-app`, which hands it to the
 * explorer.
 */
export const SHOW_EVENT = 'tc-show';

export type ShowEvent = CustomEvent<{ query: string }>;

/** Dispatch a `tc-show` intent from `source`. */
export function requestShow(source: EventTarget, query: string): void {
  source.dispatchEvent(
    new CustomEvent(SHOW_EVENT, { detail: { query }, bubbles: true, composed: true }),
  );
}

declare global {
  interface HTMLElementEventMap {
    [SHOW_EVENT]: ShowEvent;
  }
}
