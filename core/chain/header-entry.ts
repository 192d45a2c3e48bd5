/**
 * Validating a new header against its parent and building its block-tree entry: the pure part
 * of header acceptance (Chain stores the entry).
 */
import type { BlockEntry } from './block-index.js';
import { expectedBits, medianTimePast, skipFor } from './block-index.js';
import { checkHeaderContext, checkHeaderSanity } from '../consensus/block-checks.js';
import type { BlockHeader } from '../primitives/block.js';
import { hashToHex } from '../primitives/bytes.js';
import { workFromBits } from '../consensus/difficulty.js';
import type { ChainParams } from '../consensus/params.js';
import { reject, type Result } from '../primitives/result.js';

/**
 * The entry for `header` (id `id`) on `parent`, or why it is refused: proof of work, a known
 * and valid parent (`prev-blk-not-found` is not the sender's fault), difficulty and time.
 */
export function headerEntry(
  header: BlockHeader,
  id: string,
  parent: BlockEntry | undefined,
  params: ChainParams,
  now: number,
  sequence: number,
): Result<BlockEntry> {
  const sane = checkHeaderSanity(header, params);
  if (!sane.ok) return sane;
  const prevId = hashToHex(header.prevHash);
  if (!parent) return reject('prev-blk-not-found', `parent ${prevId} is unknown`, 'missing-parent');
  if (parent.status === 'invalid') {
    return reject(
      'bad-prevblk',
      `parent ${prevId} is invalid (${parent.invalidReason ?? 'unknown'})`,
    );
  }
  const context = checkHeaderContext(header, {
    expectedBits: expectedBits(parent, params),
    medianTimePast: medianTimePast(parent),
    now,
    maxFutureBlockTime: params.maxFutureBlockTime,
  });
  if (!context.ok) return context;
  return {
    ok: true,
    value: {
      id,
      header,
      height: parent.height + 1,
      chainWork: parent.chainWork + workFromBits(header.bits),
      sequence,
      parent,
      skip: skipFor(parent, parent.height + 1),
      status: 'header',
    },
  };
}
