/**
 * Writes the conformance vectors in docs/vectors/*.json from the code, and re-renders the worked
 * examples embedded in docs/*.md between `<!-- vectors:NAME -->` markers. Deterministic (fixed
 * keys and auxiliary randomness): rerun it after any change to an encoding or a rule, then
 * review the diff. `npx tsx tools/gen-vectors.ts` (or `--check` to fail if anything would
 * change, without writing).
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as prettier from 'prettier';
import {
  addressVectors,
  compactBitsVectors,
  difficultyVectors,
  encodingVectors,
  genesisVectors,
} from './vectors/consensus-vectors.js';
import { renderDocs, type VectorFiles } from './vectors/render-docs.js';
import { blockVectors, transactionVectors } from './vectors/tx-block-vectors.js';
import { signalVectors, wireVectors } from './vectors/wire-vectors.js';
import { compactVectors } from './vectors/compact-vectors.js';

const ROOT = new URL('..', import.meta.url).pathname;
export const VECTOR_DIR = join(ROOT, 'docs', 'vectors');
const DOCS = ['consensus.md', 'protocol.md'].map((name) => join(ROOT, 'docs', name));

/** Every vector file's content, by file name without `.json`. */
export async function generateVectors(): Promise<VectorFiles> {
  return {
    encoding: encodingVectors(),
    addresses: addressVectors(),
    'compact-bits': compactBitsVectors(),
    difficulty: difficultyVectors(),
    genesis: genesisVectors(),
    transactions: transactionVectors(),
    blocks: await blockVectors(),
    wire: wireVectors(),
    signal: signalVectors(),
    compact: compactVectors(),
  };
}

/** Prettier-formatted text of a file, with the repository's settings. */
export async function formatted(path: string, text: string): Promise<string> {
  const options = (await prettier.resolveConfig(path)) ?? {};
  return prettier.format(text, { ...options, filepath: path });
}

async function main(check: boolean): Promise<void> {
  const files = await generateVectors();
  const outputs = new Map<string, string>();
  for (const [name, content] of Object.entries(files)) {
    const path = join(VECTOR_DIR, `${name}.json`);
    outputs.set(path, await formatted(path, JSON.stringify(content, null, 2)));
  }
  for (const path of DOCS) {
    outputs.set(path, await formatted(path, renderDocs(readFileSync(path, 'utf8'), files)));
  }
  const stale = readdirSync(VECTOR_DIR).filter(
    (f) => f.endsWith('.json') && !outputs.has(join(VECTOR_DIR, f)),
  );
  if (stale.length > 0) throw new Error(`vector files the generator does not make: ${stale}`);
  const changed = [...outputs].filter(([path, text]) => {
    try {
      return readFileSync(path, 'utf8') !== text;
    } catch {
      return true;
    }
  });
  for (const [path, text] of changed) {
    console.log(`${check ? 'would change' : 'wrote'} ${path.slice(ROOT.length)}`);
    if (!check) writeFileSync(path, text);
  }
  if (check && changed.length > 0) process.exitCode = 1;
  if (changed.length === 0) console.log('vectors and docs examples are up to date');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main(process.argv.includes('--check'));
}
