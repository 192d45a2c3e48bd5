/**
 * Straight-line programs over 32-bit words ("plans") for the mining kernels. A plan is built
 * by running SHA-256 symbolically: every value is a node that is a constant, depends only on
 * the template (the first 76 header bytes), or depends on the nonce. The builder folds
 * constants, shares equal subexpressions, and groups the template-only terms of every sum into
 * one node, so a backend (generated JavaScript, WebAssembly SIMD) computes per nonce only what
 * really changes, and the rest once per template (`evaluatePlan`).
 *
 * @example
 * const b = new PlanBuilder({ bitselect: false });
 * const x = b.add(b.input(0), b.constant(1), b.constant(2)); // input 0 + 3
 * const plan = finishPlan(b, [b.xor(x, b.variable(0))]);
 */

export type PlanOp =
  'const' | 'input' | 'var' | 'add' | 'xor' | 'and' | 'or' | 'rotr' | 'shr' | 'sel';

/** 0: known when the code is built; 1: known once per template; 2: changes with the nonce. */
export type PlanLevel = 0 | 1 | 2;

export interface PlanNode {
  readonly op: PlanOp;
  /** Operand node ids (always smaller than this node's id). */
  readonly args: readonly number[];
  /** `const`: the value (int32); `input`/`var`: the index; `rotr`/`shr`: the shift. */
  readonly imm: number;
  readonly level: PlanLevel;
}

export interface PlanOptions {
  /**
   * Express Ch and Maj as a bit select (`sel`), one instruction in WebAssembly SIMD. Without it
   * they use xor/and forms, Maj sharing one xor with the previous round.
   */
  readonly bitselect: boolean;
}

export interface Plan {
  /** Live nodes in evaluation order (ids are indices). */
  readonly nodes: readonly PlanNode[];
  readonly outputs: readonly number[];
  /** Template-level nodes that nonce-level nodes or outputs read: computed once per template. */
  readonly slots: readonly number[];
  /** Number of `input` words the template provides. */
  readonly inputCount: number;
  /** Number of `var` words that change per nonce. */
  readonly varCount: number;
}

const key = (op: PlanOp, args: readonly number[], imm: number): string =>
  `${op}:${imm}:${args.join(',')}`;

/** Builds a plan node by node, folding constants and sharing equal nodes. */
export class PlanBuilder {
  readonly nodes: PlanNode[] = [];
  private readonly known = new Map<string, number>();

  constructor(readonly options: PlanOptions) {}

  private make(op: PlanOp, args: readonly number[], imm = 0): number {
    const k = key(op, args, imm);
    const found = this.known.get(k);
    if (found !== undefined) return found;
    let level: PlanLevel = op === 'input' ? 1 : op === 'var' ? 2 : 0;
    for (const a of args) level = Math.max(level, this.nodes[a]!.level) as PlanLevel;
    this.nodes.push({ op, args, imm, level });
    this.known.set(k, this.nodes.length - 1);
    return this.nodes.length - 1;
  }

  /** The value of a constant node, or undefined. */
  valueOf(id: number): number | undefined {
    const node = this.nodes[id]!;
    return node.op === 'const' ? node.imm : undefined;
  }

  constant(value: number): number {
    return this.make('const', [], value | 0);
  }

  input(index: number): number {
    return this.make('input', [], index);
  }

  variable(index: number): number {
    return this.make('var', [], index);
  }

  /**
   * Sum modulo 2^32. Constant terms fold into one; when nonce-level terms are present, the
   * template-level terms (and the constant) become one node of their own, computed per template.
   */
  add(...terms: number[]): number {
    let sum = 0;
    const template: number[] = [];
    const varying: number[] = [];
    for (const t of terms) {
      const value = this.valueOf(t);
      if (value !== undefined) sum = (sum + value) | 0;
      else if (this.nodes[t]!.level === 1) template.push(t);
      else varying.push(t);
    }
    const fixed = sum === 0 ? [] : [this.constant(sum)];
    if (varying.length === 0) return this.sum([...template, ...fixed]);
    const hoisted = template.length === 0 ? fixed : [this.sum([...template, ...fixed])];
    return this.sum([...varying, ...hoisted]);
  }

  private sum(terms: number[]): number {
    if (terms.length === 0) return this.constant(0);
    if (terms.length === 1) return terms[0]!;
    return this.make(
      'add',
      [...terms].sort((a, b) => a - b),
    );
  }

  xor(a: number, b: number): number {
    const [x, y] = [this.valueOf(a), this.valueOf(b)];
    if (x !== undefined && y !== undefined) return this.constant(x ^ y);
    if (x === 0) return b;
    if (y === 0) return a;
    if (a === b) return this.constant(0);
    return this.make('xor', a < b ? [a, b] : [b, a]);
  }

  and(a: number, b: number): number {
    const [x, y] = [this.valueOf(a), this.valueOf(b)];
    if (x !== undefined && y !== undefined) return this.constant(x & y);
    if (x === 0 || y === 0) return this.constant(0);
    if (x === -1 || a === b) return b;
    if (y === -1) return a;
    return this.make('and', a < b ? [a, b] : [b, a]);
  }

  or(a: number, b: number): number {
    const [x, y] = [this.valueOf(a), this.valueOf(b)];
    if (x !== undefined && y !== undefined) return this.constant(x | y);
    if (x === -1 || y === -1) return this.constant(-1);
    if (x === 0 || a === b) return b;
    if (y === 0) return a;
    return this.make('or', a < b ? [a, b] : [b, a]);
  }

  /** Rotate right by `n` bits (0 < n < 32). */
  rotr(a: number, n: number): number {
    const x = this.valueOf(a);
    if (x !== undefined) return this.constant((x >>> n) | (x << (32 - n)));
    return this.make('rotr', [a], n);
  }

  /** Logical shift right by `n` bits (0 < n < 32). */
  shr(a: number, n: number): number {
    const x = this.valueOf(a);
    if (x !== undefined) return this.constant(x >>> n);
    return this.make('shr', [a], n);
  }

  /** Bitwise `mask ? ifOne : ifZero`. */
  sel(mask: number, ifOne: number, ifZero: number): number {
    const [m, x, y] = [this.valueOf(mask), this.valueOf(ifOne), this.valueOf(ifZero)];
    if (m !== undefined && x !== undefined && y !== undefined) {
      return this.constant(y ^ (m & (x ^ y)));
    }
    if (m === 0 || ifOne === ifZero) return ifZero;
    if (m === -1) return ifOne;
    return this.make('sel', [mask, ifOne, ifZero]);
  }

  /** SHA-256 Ch(e, f, g): f where e is 1, g where e is 0. */
  ch(e: number, f: number, g: number): number {
    if (this.options.bitselect) return this.sel(e, f, g);
    return this.xor(g, this.and(e, this.xor(f, g)));
  }

  /** SHA-256 Maj(a, b, c); `b ^ c` is the previous round's `a ^ b`, shared. */
  maj(a: number, b: number, c: number): number {
    const ab = this.xor(a, b);
    if (this.options.bitselect) return this.sel(ab, c, b);
    return this.xor(b, this.and(ab, this.xor(b, c)));
  }
}

/**
 * Keep only the nodes `outputs` need (renumbered in order) and list the template-level nodes
 * that the per-nonce part reads.
 */
export function finishPlan(builder: PlanBuilder, outputs: readonly number[]): Plan {
  const all = builder.nodes;
  const live = new Uint8Array(all.length);
  const stack = [...outputs];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (live[id]) continue;
    live[id] = 1;
    stack.push(...all[id]!.args);
  }
  const renumber = new Int32Array(all.length).fill(-1);
  const nodes: PlanNode[] = [];
  let inputCount = 0;
  let varCount = 0;
  all.forEach((node, id) => {
    if (!live[id]) return;
    renumber[id] = nodes.length;
    nodes.push({ ...node, args: node.args.map((a) => renumber[a]!) });
    if (node.op === 'input') inputCount = Math.max(inputCount, node.imm + 1);
    if (node.op === 'var') varCount = Math.max(varCount, node.imm + 1);
  });
  const renumbered = outputs.map((o) => renumber[o]!);
  const read = new Set<number>();
  for (const node of nodes) {
    if (node.level === 2) for (const a of node.args) read.add(a);
  }
  for (const o of renumbered) read.add(o);
  const slots = [...read].filter((id) => nodes[id]!.level === 1).sort((a, b) => a - b);
  return { nodes, outputs: renumbered, slots, inputCount, varCount };
}

/** Value of one node given the values of its operands (int32 in, int32 out). */
function apply(node: PlanNode, v: Int32Array, inputs: ArrayLike<number>, vars: ArrayLike<number>) {
  const [a = 0, b = 0, c = 0] = node.args;
  switch (node.op) {
    case 'const':
      return node.imm;
    case 'input':
      return inputs[node.imm]! | 0;
    case 'var':
      return vars[node.imm]! | 0;
    case 'add': {
      let sum = 0;
      for (const t of node.args) sum = (sum + v[t]!) | 0;
      return sum;
    }
    case 'xor':
      return v[a]! ^ v[b]!;
    case 'and':
      return v[a]! & v[b]!;
    case 'or':
      return v[a]! | v[b]!;
    case 'rotr':
      return (v[a]! >>> node.imm) | (v[a]! << (32 - node.imm));
    case 'shr':
      return (v[a]! >>> node.imm) | 0;
    case 'sel':
      return v[c]! ^ (v[a]! & (v[b]! ^ v[c]!));
  }
}

/**
 * Interpret a plan. With `vars` omitted only constant and template-level nodes are computed
 * (what a kernel needs once per template); the returned array holds every node's value.
 */
export function evaluatePlan(
  plan: Plan,
  inputs: ArrayLike<number>,
  vars?: ArrayLike<number>,
): Int32Array {
  const values = new Int32Array(plan.nodes.length);
  const maxLevel = vars === undefined ? 1 : 2;
  plan.nodes.forEach((node, id) => {
    if (node.level <= maxLevel) values[id] = apply(node, values, inputs, vars ?? []);
  });
  return values;
}

/** The template slots of a plan for these inputs, in `plan.slots` order. */
export function templateSlots(plan: Plan, inputs: ArrayLike<number>): Int32Array {
  const values = evaluatePlan(plan, inputs);
  return Int32Array.from(plan.slots, (id) => values[id]!);
}
