/**
 * The checkers notice a vector changed by one byte: for every vector of every file, each
 * expected value in turn is changed (a hex string has one bit of its middle byte flipped, a
 * number is incremented, other text gets its last character replaced; a refused vector gets
 * another reason) and the vector's check must then fail. Free inputs (SectionSpec.inputs) and
 * labels are left alone.
 */
import { describe, expect, it } from 'vitest';
import { SPECS, loadVectorFile, vectorFileNames } from './files.js';
import { vectorsOf, type J, type SectionSpec } from './spec.js';

const LABELS = new Set(['name', 'note', 'description']);
const REASONS = new Set(['reason', 'error', 'result']);
/** The key a vector is held under while its leaves are walked (no vector uses it). */
const WRAPPER = '$vector';

/** The one-byte (or one-step) change of a leaf value, or undefined for none. */
export function mutated(value: unknown): unknown {
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  if (typeof value !== 'string') return undefined;
  if (value === '') return '00';
  if (/^([0-9a-f]{2})+$/.test(value)) {
    const at = Math.floor(value.length / 4) * 2;
    const byte = (parseInt(value.slice(at, at + 2), 16) ^ 1).toString(16).padStart(2, '0');
    return value.slice(0, at) + byte + value.slice(at + 2);
  }
  return value.slice(0, -1) + (value.endsWith('x') ? 'y' : 'x');
}

interface Leaf {
  holder: J;
  key: string | number;
  path: string;
}

/** The leaves of `vector` a mutation may touch under `spec`. */
function leaves(vector: J, spec: SectionSpec, path: string): Leaf[] {
  const out: Leaf[] = [];
  const skip = new Set(spec.inputs ?? []);
  const walk = (holder: J, key: string | number, at: string) => {
    const value = holder[key];
    if (typeof key === 'string' && (LABELS.has(key) || skip.has(key))) return;
    if (value !== null && typeof value === 'object') {
      for (const k of Array.isArray(value) ? value.keys() : Object.keys(value))
        walk(value, k, `${at}.${k}`);
      return;
    }
    if (spec.kind === 'invalid' && !(typeof key === 'string' && REASONS.has(key))) return;
    out.push({ holder, key, path: at });
  };
  walk({ [WRAPPER]: vector }, WRAPPER, path);
  return out;
}

async function detects(check: () => void | Promise<void>): Promise<boolean> {
  try {
    await check();
    return false;
  } catch {
    return true;
  }
}

describe('a vector changed by one byte fails its check', () => {
  it.each(vectorFileNames())(
    '%s.json',
    async (name) => {
      const file = loadVectorFile(name);
      const spec = SPECS[name]!;
      const missed: string[] = [];
      let tried = 0;
      for (const [section, label, vector] of vectorsOf(file, spec)) {
        const s = spec[section]!;
        if (s.inputs?.includes(section)) continue; // the whole section is a free input
        for (const leaf of leaves(vector, s, label)) {
          const original = leaf.holder[leaf.key];
          const changed = mutated(original);
          if (changed === undefined) continue;
          // A whole-section scalar lives on the file itself: mutate it there.
          const target = leaf.key === WRAPPER ? file : leaf.holder;
          const key = target === file ? section : leaf.key;
          target[key] = changed;
          tried++;
          const current = s.kind === 'whole' ? file[section] : vector;
          if (!(await detects(() => s.check(current, file)))) missed.push(leaf.path);
          target[key] = original;
        }
      }
      expect(missed).toEqual([]);
      expect(tried).toBeGreaterThan(0);
      console.log(`${name}.json: ${tried} one-byte changes, all detected`);
    },
    120_000,
  );

  it('the mutation itself changes exactly one byte of hex', () => {
    expect(mutated('00ff10')).toBe('00fe10');
    expect(mutated('ab')).toBe('aa');
    expect(mutated(7)).toBe(8);
    expect(mutated('bad-signature')).toBe('bad-signaturx');
  });
});
