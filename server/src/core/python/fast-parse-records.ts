/**
 * The node records the fast path (`fast-parse.ts`) writes for lezer's `Tree.build`: four numbers per node, in
 * postfix order (type, from, to, size = 4 × (1 + descendants); size -1: a subtree lezer parsed, `type` its
 * index in the reused trees). Kept in one typed array that is reused from one parse to the next: a growing
 * plain array would be copied (and the copies collected) many times per segment, which a fresh process pays
 * before its code is optimised.
 */
import type { BufferCursor } from '@lezer/common';

/** The array the last parse left, reused by the next (the fast path runs one parse at a time). */
let spare: Int32Array | undefined;

export class Records {
  data: Int32Array;
  /** Numbers written (four per record). */
  length = 0;

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
