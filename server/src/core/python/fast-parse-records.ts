/**
 * The node records the fast path (`fast-parse.ts`) writes for lezer's `Tree.build`: four numbers per node, in
 * postfix order (type, from, to, size = 4 × (1 + descendants); size -1: a subtree lezer parsed, `type` its
 * index in the reused trees). Kept in one typed array that is reused from one parse to the next: a growing
 * plain array would be copied (and the copies collected) many times per segment, which a fresh process pays
 * before its code is optimised. `tree` makes of them the tree `Tree.build` makes, in one pass per buffer
 * instead of lezer's calls per record through a cursor (`test/unit/fast-parse-records.test.ts`).
 */
import {
  DefaultBufferLength,
  type NodeType,
  Tree,
  TreeBuffer,
  type BufferCursor,
  type NodeSet,
} from '@lezer/common';

/** The array the last parse left, reused by the next (the fast path runs one parse at a time). */
let spare: Int32Array | undefined;

export class Records {
  data: Int32Array;
  /** Numbers written (four per record). */
  length = 0;
  /** Scratch for prefixOrder. */
  private stack = new Int32Array(64);

  constructor() {
    this.data = spare ?? new Int32Array(1 << 15);
    spare = undefined;
  }

  /** Gives the array back for the next parse (nothing may use these records afterwards). */
  release(): void {
    spare = this.data;
  }

  push(type: number, from: number, to: number, size: number): void {
    const at = this.length;
    if (at + 4 > this.data.length) this.grow(at + 4);
    const { data } = this;
    data[at] = type;
    data[at + 1] = from;
    data[at + 2] = to;
    data[at + 3] = size;
    this.length = at + 4;
  }

  /** Inserts `values` (whole records) at index `at`, moving the records from there on behind them. */
  insert(at: number, values: readonly number[]): void {
    const count = values.length;
    if (this.length + count > this.data.length) this.grow(this.length + count);
    const { data } = this;
    data.copyWithin(at + count, at, this.length);
    data.set(values, at);
    this.length += count;
  }

  /**
   * The tree `Tree.build` makes of these records (node for node and buffer for buffer: the same grouping of
   * top-level nodes into TreeBuffers, the same contents), without its per-record calls through a cursor;
   * undefined when a top-level node spans more than a buffer holds (lezer's build then nests it).
   */
  tree(nodeSet: NodeSet, top: NodeType, length: number, reused: readonly Tree[]): Tree | undefined {
    const { data } = this;
    const children: (Tree | TreeBuffer)[] = [];
    const positions: number[] = [];
    let pos = this.length;
    while (pos > 0) {
      const start = data[pos - 3] as number;
      const end = data[pos - 2] as number;
      const size = data[pos - 1] as number;
      if (size === -1) {
        children.push(reused[data[pos - 4] as number] as Tree);
        positions.push(start);
        pos -= 4;
        continue;
      }
      if (end - start > DefaultBufferLength) return undefined;
      // As lezer's findBufferSize: the previous siblings that end within a buffer's length of this node's end.
      const minStart = end - DefaultBufferLength;
      let from = pos;
      let base = start;
      while (from > 0) {
        const s = data[from - 1] as number;
        if (s < 0 || (data[from - 3] as number) < minStart) break;
        base = data[from - 3] as number;
        from -= s;
      }
      if (pos - from === 4) {
        // A lone leaf is a node of its own.
        children.push(new Tree(nodeSet.types[data[pos - 4] as number] as NodeType, [], [], end - start));
        positions.push(start);
        pos -= 4;
        continue;
      }
      children.push(new TreeBuffer(this.prefixOrder(from, pos, base), end - base, nodeSet));
      positions.push(base);
      pos = from;
    }
    return new Tree(top, children.reverse(), positions.reverse(), length);
  }

  /**
   * The records [from, to) (whole subtrees) in a TreeBuffer's prefix order, positions relative to `base`:
   * a node's record goes before its subtree, which keeps its size, so it lands at its subtree's first index
   * plus four per ancestor; its last field is the index after its subtree.
   */
  private prefixOrder(from: number, to: number, base: number): Uint16Array {
    const { data } = this;
    const out = new Uint16Array(to - from);
    /** Where the subtrees of the current node's ancestors start (input indices). */
    const ancestors =
      this.stack.length >= (to - from) / 4 ? this.stack : (this.stack = new Int32Array(to - from));
    let depth = 0;
    for (let k = to - 4; k >= from; k -= 4) {
      const size = data[k + 3] as number;
      const subtree = k + 4 - size;
      while (depth > 0 && (ancestors[depth - 1] as number) > k) depth--;
      const at = subtree - from + 4 * depth;
      out[at] = data[k] as number;
      out[at + 1] = (data[k + 1] as number) - base;
      out[at + 2] = (data[k + 2] as number) - base;
      out[at + 3] = at + size;
      if (size > 4) ancestors[depth++] = subtree;
    }
    return out;
  }

  /** A cursor for `Tree.build` over the records written, from the last. */
  cursor(): BufferCursor {
    return new RecordCursor(this.data, this.length);
  }

  private grow(min: number): void {
    let size = this.data.length * 2;
    while (size < min) size *= 2;
    const data = new Int32Array(size);
    data.set(this.data.subarray(0, this.length));
    this.data = data;
  }
}

/** Lezer's `FlatBufferCursor` over an Int32Array. */
class RecordCursor implements BufferCursor {
  constructor(
    private readonly data: Int32Array,
    public pos: number,
  ) {}
  get id(): number {
    return this.data[this.pos - 4] as number;
  }
  get start(): number {
    return this.data[this.pos - 3] as number;
  }
  get end(): number {
    return this.data[this.pos - 2] as number;
  }
  get size(): number {
    return this.data[this.pos - 1] as number;
  }
  next(): void {
    this.pos -= 4;
  }
  fork(): BufferCursor {
    return new RecordCursor(this.data, this.pos);
  }
}
