/**
 * core/'s layering (eslint.config.js, docs/architecture.md): each folder imports only its own
 * files and the layers below it. A planted upward or sideways import must fail the lint, and
 * the real tree must pass it.
 */
import { ESLint } from 'eslint';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const eslint = new ESLint({ cwd: root });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: root + filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('core layering lint rule', () => {
  it.each([
    ['core/primitives/planted.ts', "import { Chain } from '../chain/chain.js';"],
    ['core/primitives/planted.ts', "import { nextBits } from '../consensus/difficulty.js';"],
    ['core/consensus/planted.ts', "import { Mempool } from '../mempool/mempool.js';"],
    ['core/mempool/planted.ts', "import { NodeState } from '../chain/node-state.js';"],
    ['core/mining/planted.ts', "import { encodeMessage } from '../wire/wire.js';"],
    ['core/wire/planted.ts', "import { Chain } from '../chain/chain.js';"],
    ['core/chain/planted.ts', "import { mineRange } from '../mining/mine-range.js';"],
    ['core/consensus/planted.ts', "import { openDB } from 'idb';"],
    ['core/consensus/planted.ts', "import { toHex } from '../index.js';"],
    ['core/consensus/planted.ts', "import { toHex } from './../primitives/bytes.js';"],
    ['client/node-planted.ts', "import { Chain } from '../core/chain/chain.js';"],
    ['tracker/planted.ts', "import { encodeTx } from '../core/primitives/tx.js';"],
  ])('refuses %s: %s', async (file, code) => {
    const messages = await restrictedImports(file, `${code}\nexport {};\n`);
    expect(messages.length).toBe(1);
  });

  it.each([
    ['core/primitives/planted.ts', "import { toHex } from './bytes.js';"],
    ['core/consensus/planted.ts', "import { toHex } from '../primitives/bytes.js';"],
    ['core/chain/planted.ts', "import { Mempool } from '../mempool/mempool.js';"],
    ['core/mining/planted.ts', "import { sha256 } from '@noble/hashes/sha2.js';"],
    ['client/node-planted.ts', "import { Chain } from '../core/index.js';"],
    ['tracker/planted.ts', "import { parseJoin } from '../core/wire/signal.js';"],
  ])('allows %s: %s', async (file, code) => {
    expect(await restrictedImports(file, `${code}\nexport {};\n`)).toEqual([]);
  });

  it('the real core/ tree passes', async () => {
    const results = await eslint.lintFiles(['core/**/*.ts']);
    const problems = results.flatMap((r) => r.messages.map((m) => `${r.filePath}: ${m.message}`));
    expect(problems).toEqual([]);
  });

  it('every folder of core opens with a comment saying what it owns and may import', () => {
    const folders = readdirSync(root + 'core', { withFileTypes: true }).filter((d) =>
      d.isDirectory(),
    );
    expect(folders.map((d) => d.name).sort()).toEqual(
      ['chain', 'consensus', 'mempool', 'mining', 'primitives', 'wire'].sort(),
    );
    for (const folder of folders) {
      const index = readFileSync(`${root}core/${folder.name}/index.ts`, 'utf8');
      expect(index.startsWith('/**')).toBe(true);
      expect(index).toMatch(/May import:/);
    }
  });
});
