/** The vector files and their checkers; every file in docs/vectors must have one. */
import { readFileSync, readdirSync } from 'node:fs';
import {
  addresses,
  compactBits,
  difficulty,
  encoding,
  genesis,
  transactions,
} from './check-consensus.js';
import { blocks, signal, wire } from './check-blocks-wire.js';
import { compact } from './check-compact.js';
import type { FileSpec, J } from './spec.js';

export const VECTOR_DIR = new URL('../../../docs/vectors/', import.meta.url);

export const SPECS: Record<string, FileSpec> = {
  encoding,
  addresses,
  'compact-bits': compactBits,
  difficulty,
  genesis,
  transactions,
  blocks,
  wire,
  signal,
  compact,
};

/** Names (without .json) of the files in docs/vectors. */
export function vectorFileNames(): string[] {
  return readdirSync(VECTOR_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

export function loadVectorFile(name: string): J {
  return JSON.parse(readFileSync(new URL(`${name}.json`, VECTOR_DIR), 'utf8'));
}
