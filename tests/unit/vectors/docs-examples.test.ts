/**
 * The worked examples in docs/consensus.md and docs/protocol.md are the vectors' bytes: each
 * `<!-- vectors:NAME -->` block is re-rendered from docs/vectors/*.json (tools/vectors/
 * render-docs.ts) and must equal what the document holds, so docs, vectors and code (checked
 * by vectors.test.ts) cannot drift apart.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatted } from '../../../tools/gen-vectors.js';
import { exampleNames, renderDocs } from '../../../tools/vectors/render-docs.js';
import { SPECS, loadVectorFile } from './files.js';

const vectors = Object.fromEntries(Object.keys(SPECS).map((n) => [n, loadVectorFile(n)]));
const docPath = (name: string) => new URL(`../../../docs/${name}`, import.meta.url).pathname;

describe.each(['consensus.md', 'protocol.md'])('docs/%s', (name) => {
  const text = readFileSync(docPath(name), 'utf8');

  it('embeds the worked examples the specification promises', () => {
    const expected =
      name === 'consensus.md'
        ? ['header', 'coinbase', 'transfer', 'merkle', 'addresses', 'sighash']
        : ['signal-objects', 'wire-chunked', 'wire-hello', 'wire-messages'];
    expect(exampleNames(text)).toEqual(expect.arrayContaining(expected));
    if (name === 'consensus.md') {
      expect(exampleNames(text)).toEqual(
        expect.arrayContaining(['genesis-main', 'genesis-regtest']),
      );
    }
  });

  it('holds exactly the examples rendered from the vectors', async () => {
    expect(await formatted(docPath(name), renderDocs(text, vectors))).toBe(text);
  });

  it('would notice one changed hex digit in an example', async () => {
    const start = text.indexOf('<!-- vectors:');
    const end = text.indexOf('<!-- /vectors:', start);
    const at = start + text.slice(start, end).search(/[0-9a-f]{12}/);
    expect(at).toBeGreaterThan(start);
    const tampered = text.slice(0, at) + (text[at] === 'a' ? 'b' : 'a') + text.slice(at + 1);
    expect(tampered).not.toBe(text);
    expect(await formatted(docPath(name), renderDocs(tampered, vectors))).not.toBe(tampered);
  });
});
