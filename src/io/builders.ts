/** Growable typed arrays (capacity doubles) and a string dictionary, for building columns row by row. */
import type { DictColumn } from '../frame.js';

type TypedCtor<T> = { new (n: number): T };
type Typed = Float64Array | Int32Array | Uint8Array | Uint16Array;

export class Growable<T extends Typed> {
  private data: T;
  length = 0;

  constructor(
    private readonly ctor: TypedCtor<T>,
    capacity = 1024,
  ) {
    this.data = new ctor(capacity);
  }

  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length * 2);
    this.data[this.length++] = v;
  }

  get(i: number): number {
    return this.data[i]!;
  }

  set(i: number, v: number): void {
    this.data[i] = v;
  }

  /** Sets the length, filling new slots with `fill`. */
  resize(n: number, fill: number): void {
    if (n > this.data.length) this.grow(Math.max(n, this.data.length * 2));
    if (n > this.length) this.data.fill(fill, this.length, n);
    this.length = n;
  }

  private grow(capacity: number): void {
    const next = new this.ctor(capacity);
    (next as Typed).set(this.data as never);
    this.data = next;
  }

  /** A copy trimmed to the length. */
  finish(): T {
    return this.data.slice(0, this.length) as T;
  }
}

/** Strings to codes in first-seen order. */
export class DictBuilder {
  readonly index = new Map<string, number>();
  readonly dictionary: string[] = [];
  readonly codes = new Growable(Int32Array);

  /** Code of `s`, adding it when new. */
  code(s: string): number {
    let c = this.index.get(s);
    if (c === undefined) {
      c = this.dictionary.length;
      this.index.set(s, c);
      this.dictionary.push(s);
    }
    return c;
  }

  push(s: string): void {
    this.codes.push(this.code(s));
  }

  finish(): DictColumn {
    return { kind: 'dict', codes: this.codes.finish(), dictionary: this.dictionary };
  }
}
