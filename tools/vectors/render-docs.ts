/**
 * The worked examples embedded in docs/*.md, rendered from the vector files: each sits between
 * `<!-- vectors:NAME -->` and `<!-- /vectors:NAME -->`. tools/gen-vectors.ts rewrites them;
 * tests/unit/vectors/docs-examples.test.ts checks the docs still match the vectors.
 */

/** The vector files, parsed, by name without `.json`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type VectorFiles = Record<string, any>;

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b.toString('hex');
};
const u64 = (n: string) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b.toString('hex');
};
const varint = (n: number) =>
  n < 0xfd
    ? n.toString(16).padStart(2, '0')
    : 'fd' + Buffer.from([n & 0xff, n >> 8]).toString('hex');
const wrap = (hex: string) => hex.match(/.{1,64}/g)?.join('\n') ?? '';
const fence = (body: string) => '```text\n' + body + '\n```';

interface Row {
  field: string;
  hex: string;
  value: string;
}

function table(rows: Row[], whole: string): string {
  const joined = rows.map((r) => r.hex).join('');
  if (joined !== whole) throw new Error(`annotated fields do not add up to the vector's bytes`);
  const lines = ['| field | bytes (hex) | value |', '| --- | --- | --- |'];
  for (const r of rows) lines.push(`| ${r.field} | \`${r.hex || '(none)'}\` | ${r.value} |`);
  return lines.join('\n');
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function headerRows(h: any): Row[] {
  return [
    { field: 'version (u32)', hex: u32(h.version), value: String(h.version) },
    { field: 'prev hash (32)', hex: h.prevHash, value: 'internal byte order' },
    { field: 'merkle root (32)', hex: h.merkleRoot, value: 'internal byte order' },
    { field: 'time (u32)', hex: u32(h.time), value: String(h.time) },
    { field: 'bits (u32)', hex: u32(h.bits), value: `0x${h.bits.toString(16).padStart(8, '0')}` },
    { field: 'nonce (u32)', hex: u32(h.nonce), value: String(h.nonce) },
  ];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function txRows(tx: any): Row[] {
  const rows: Row[] = [{ field: 'version (u32)', hex: u32(tx.version), value: String(tx.version) }];
  rows.push({
    field: 'input count (varint)',
    hex: varint(tx.inputs.length),
    value: String(tx.inputs.length),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  tx.inputs.forEach((input: any, i: number) => {
    rows.push({
      field: `input ${i} prev txid (32)`,
      hex: input.prevTxid,
      value: 'internal byte order',
    });
    rows.push({
      field: `input ${i} prev index (u32)`,
      hex: u32(input.vout),
      value: String(input.vout),
    });
    const len = input.script.length / 2;
    rows.push({ field: `input ${i} script length (varint)`, hex: varint(len), value: String(len) });
    rows.push({
      field: `input ${i} script`,
      hex: input.script,
      value: len ? 'coinbase: varint height, u32 extra nonce, tag' : '',
    });
  });
  rows.push({
    field: 'output count (varint)',
    hex: varint(tx.outputs.length),
    value: String(tx.outputs.length),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  tx.outputs.forEach((output: any, i: number) => {
    rows.push({
      field: `output ${i} amount (u64)`,
      hex: u64(output.amount),
      value: `${output.amount} units`,
    });
    rows.push({ field: `output ${i} public key (32)`, hex: output.pubkey, value: 'x-only key' });
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  tx.inputs.forEach((input: any, i: number) => {
    const len = input.witness.length / 2;
    rows.push({ field: `witness ${i} length (varint)`, hex: varint(len), value: String(len) });
    rows.push({ field: `witness ${i}`, hex: input.witness, value: len ? 'BIP340 signature' : '' });
  });
  rows.push({ field: 'lock time (u32)', hex: u32(tx.lockTime), value: String(tx.lockTime) });
  return rows;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const byName = (list: any[], name: string) => {
  const found = list.find((v) => v.name === name || v.network === name);
  if (!found) throw new Error(`no vector named ${name}`);
  return found;
};

/** Markdown for the block named `name`. */
export function renderExample(name: string, v: VectorFiles): string {
  if (name.startsWith('genesis-')) {
    const g = byName(v.genesis.networks, name.slice('genesis-'.length));
    return [
      `id \`${g.id}\`, hash (internal order) \`${g.hash}\`, coinbase txid \`${g.coinbase.txid}\`.`,
      '',
      table(headerRows(g.header), g.headerHex),
      '',
      `The whole block (${g.hex.length / 2} bytes; header, tx count, coinbase), 32 bytes a line:`,
      '',
      fence(wrap(g.hex)),
    ].join('\n');
  }
  if (name === 'header') {
    const h = byName(v.blocks.headers, 'regtest block 1');
    return [table(headerRows(h.fields), h.hex), '', `Block id (display order): \`${h.id}\`.`].join(
      '\n',
    );
  }
  if (name === 'coinbase' || name === 'transfer') {
    const tx = byName(
      v.transactions.valid,
      name === 'coinbase' ? 'coinbase height 1 (regtest block 1)' : 'transfer-regtest',
    );
    return [
      table(txRows(tx.fields), tx.hex),
      '',
      `txid \`${tx.txid}\`, wtxid \`${tx.wtxid}\`, ${tx.size} bytes.`,
    ].join('\n');
  }
  if (name === 'sighash') {
    const s = v.transactions.sighashSteps;
    return fence(
      [
        `tag            = "${s.tag}"`,
        `SHA256(tag)    = ${s.tagHash}`,
        `genesis hash   = ${s.genesisHash}   (regtest, internal byte order)`,
        'tx, no witness =',
        wrap(s.txNoWitness),
        'sighash = SHA256(SHA256(tag) ‖ SHA256(tag) ‖ genesis hash ‖ tx without witnesses)',
        `        = ${s.sighash}`,
        `signature (BIP340, key ${s.pubkey}) =`,
        wrap(s.signature),
      ].join('\n'),
    );
  }
  if (name === 'addresses') {
    const rows = ['| network | x-only public key | address |', '| --- | --- | --- |'];
    for (const a of v.addresses.valid.slice(0, 2))
      rows.push(`| ${a.network} | \`${a.pubkey}\` | \`${a.address}\` |`);
    return rows.join('\n');
  }
  if (name === 'merkle') {
    const m = byName(v.blocks.merkle, 'three leaves: the third is paired with itself');
    return fence(
      [...m.leaves.map((l: string, i: number) => `leaf ${i} = ${l}`), `root   = ${m.root}`].join(
        '\n',
      ),
    );
  }
  if (name === 'wire-messages') {
    const lines = ['| message | hex |', '| --- | --- |'];
    for (const m of v.wire.messages) {
      if (!m.hex || m.hex.length > 400) continue;
      lines.push(`| ${m.name} | \`${m.hex}\` |`);
    }
    return lines.join('\n');
  }
  if (name === 'wire-hello') {
    const m = byName(v.wire.messages, 'hello at genesis (regtest)');
    const f = m.fields;
    const text = (t: string) => varint(Buffer.byteLength(t)) + Buffer.from(t).toString('hex');
    const le256 = Buffer.from(BigInt(f.chainWork).toString(16).padStart(64, '0'), 'hex');
    const rows: Row[] = [
      { field: 'tag (u8)', hex: '01', value: 'hello' },
      { field: 'version (u32)', hex: u32(f.version), value: String(f.version) },
      {
        field: 'network (32)',
        hex: Buffer.from(f.network, 'hex').reverse().toString('hex'),
        value: `genesis id ${f.network.slice(0, 16)}… reversed`,
      },
      { field: 'nodeId (string)', hex: text(f.nodeId), value: `"${f.nodeId}"` },
      { field: 'tip (32)', hex: f.tip, value: 'the genesis hash (height 0)' },
      { field: 'height (u32)', hex: u32(f.height), value: String(f.height) },
      { field: 'chainWork (u256)', hex: le256.reverse().toString('hex'), value: f.chainWork },
      { field: 'userAgent (string)', hex: text(f.userAgent), value: `"${f.userAgent}"` },
    ];
    return [
      table(rows, m.hex),
      '',
      `As one frame: \`00\` followed by these ${m.hex.length / 2} bytes.`,
    ].join('\n');
  }
  if (name === 'signal-objects') {
    const pick = (n: string) => byName(v.signal.cases, n).payload;
    const payloads = [
      'signal: simple-peer offer',
      'signal: simple-peer answer',
      'signal: trickled ICE candidate',
    ].map(pick);
    return '```json\n' + payloads.map((p) => JSON.stringify(p, null, 2)).join('\n') + '\n```';
  }
  if (name === 'wire-chunked') {
    const m = v.wire.messages.find((x: { frames: string[] }) => x.frames.length > 1);
    return fence(
      m.frames
        .map((f: string, i: number) => `frame ${i}: ${f.slice(0, 12)}… (${f.length / 2} bytes)`)
        .join('\n'),
    );
  }
  throw new Error(`unknown docs example ${name}`);
}

const MARKER = /<!-- vectors:([a-z0-9-]+) -->\n(?:[\s\S]*?\n)?<!-- \/vectors:\1 -->/g;

/** `markdown` with every marked example re-rendered from `vectors`. */
export function renderDocs(markdown: string, vectors: VectorFiles): string {
  return markdown.replace(
    MARKER,
    (_, name: string) =>
      `<!-- vectors:${name} -->\n${renderExample(name, vectors)}\n<!-- /vectors:${name} -->`,
  );
}

/** Names of the examples `markdown` embeds. */
export function exampleNames(markdown: string): string[] {
  return [...markdown.matchAll(MARKER)].map((m) => m[1]!);
}
