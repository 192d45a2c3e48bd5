/**
 * Storage failures the UI must explain. A browser that refuses more data raises a
 * `QuotaExceededError` DOMException (on a request or as the transaction's abort reason); we
 * turn it into `StorageFullError` with a message a user can act on. Anything else propagates
 * unchanged: it is a bug or a broken disk, not something to explain away.
 */

export class StorageFullError extends Error {
  override readonly name = 'StorageFullError';

  constructor(options?: { cause?: unknown }) {
    super(
      'This browser refused to store more data for Tabcoin (storage quota). Free space or clear ' +
        'old nodes (site settings → storage, or delete nodes you no longer use) and reload.',
      options,
    );
  }
}

/** Names browsers give a quota failure (Firefox before 2019 used its own). */
const QUOTA_NAMES = new Set(['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED']);

/** True when `error` is a browser's "out of storage quota" error. */
export function isQuotaError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'name' in error &&
    QUOTA_NAMES.has(String((error as { name: unknown }).name))
  );
}

/**
 * The one error to report for a failed transaction, given everything that failed in it (the
 * cause first, then request errors and the transaction's own error). A quota failure anywhere
 * wins; otherwise the first error that is not the knock-on `AbortError` of other requests.
 */
export function storageFailure(errors: readonly unknown[]): unknown {
  const quota = errors.find(isQuotaError);
  if (quota !== undefined) return new StorageFullError({ cause: quota });
  const named = (e: unknown) => (e as { name?: unknown } | null)?.name;
  return (
    errors.find((e) => e != null && named(e) !== 'AbortError') ?? errors.find((e) => e != null)
  );
}
