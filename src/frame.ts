/**
 * The one data shape passed between stages: named typed-array columns of equal length.
 *
 * - Numbers: `Float64Array` (NaN marks a missing value), `Int32Array` (counts, months, days; never missing).
 * - Flags and small enums: `Uint8Array` (an enum is an index into its value list in `contract.ts`).
 * - Strings: `DictColumn`, Int32 codes into a dictionary; code -1 marks a missing value.
 */
export interface DictColumn {
  readonly kind: 'dict';
  readonly codes: Int32Array;
  readonly dictionary: readonly string[];
}

export type NumericColumn = Float64Array | Int32Array | Uint8Array;
export type Column = NumericColumn | DictColumn;

/**
 * Features column by column, the shape the features stage hands to the model and segment stages;
 * NaN marks a missing value.
 */
export interface FeatureMatrix {
  readonly nRows: number;
  readonly names: readonly string[];
  readonly columns: readonly Float64Array[];
}

export interface Frame {
  readonly n: number;
  readonly cols: Readonly<Record<string, Column>>;
}

export function isDict(c: Column): c is DictColumn {
  return (c as DictColumn).kind === 'dict';
}

export function columnLength(c: Column): number {
  return isDict(c) ? c.codes.length : c.length;
}

/** Builds a frame, checking that every column has `n` rows. */
export function makeFrame(cols: Record<string, Column>, n?: number): Frame {
  const names = Object.keys(cols);
  const rows = n ?? (names.length > 0 ? columnLength(cols[names[0]!]!) : 0);
  for (const name of names) {
    const len = columnLength(cols[name]!);
    if (len !== rows) throw new RangeError(`column "${name}" has ${len} rows, expected ${rows}`);
  }
  return { n: rows, cols: Object.freeze({ ...cols }) };
}

function missingColumn(f: Frame, name: string): Error {
  return new RangeError(`no column "${name}" in frame (has: ${Object.keys(f.cols).join(', ')})`);
}

export function col(f: Frame, name: string): Column {
  const c = f.cols[name];
  if (c === undefined) throw missingColumn(f, name);
  return c;
}

export function f64(f: Frame, name: string): Float64Array {
  const c = col(f, name);
  if (!(c instanceof Float64Array)) throw new TypeError(`column "${name}" is not Float64`);
  return c;
}

export function i32(f: Frame, name: string): Int32Array {
  const c = col(f, name);
  if (!(c instanceof Int32Array)) throw new TypeError(`column "${name}" is not Int32`);
  return c;
}

export function u8(f: Frame, name: string): Uint8Array {
  const c = col(f, name);
  if (!(c instanceof Uint8Array)) throw new TypeError(`column "${name}" is not Uint8`);
  return c;
}

export function dict(f: Frame, name: string): DictColumn {
  const c = col(f, name);
  if (!isDict(c)) throw new TypeError(`column "${name}" is not a dictionary column`);
  return c;
}

/** The string at row `i` of a dictionary column, or null when missing. */
export function dictValue(c: DictColumn, i: number): string | null {
  const code = c.codes[i]!;
  return code < 0 ? null : c.dictionary[code]!;
}

/** Numeric value of any non-dictionary column at row `i`, as a number. */
export function numberAt(c: Column, i: number): number {
  if (isDict(c)) throw new TypeError('dictionary column has no numeric value');
  return c[i]!;
}

/** Builds a dictionary column from strings (null = missing), codes in first-seen order. */
export function dictFromStrings(values: readonly (string | null)[]): DictColumn {
  const index = new Map<string, number>();
  const dictionary: string[] = [];
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      codes[i] = -1;
      continue;
    }
    let code = index.get(v);
    if (code === undefined) {
      code = dictionary.length;
      index.set(v, code);
      dictionary.push(v);
    }
    codes[i] = code;
  }
  return { kind: 'dict', codes, dictionary };
}

export function dictToStrings(c: DictColumn): (string | null)[] {
  const out = new Array<string | null>(c.codes.length);
  for (let i = 0; i < out.length; i++) out[i] = dictValue(c, i);
  return out;
}

/** A zero-filled column of the same numeric type. */
export function emptyLike(c: NumericColumn, n: number): NumericColumn {
  if (c instanceof Float64Array) return new Float64Array(n);
  if (c instanceof Int32Array) return new Int32Array(n);
  return new Uint8Array(n);
}

/**
 * The given rows of a column, in the given order, as a new column of the same type: the one row
 * selection every stage uses (frames, feature matrices, labels, scores).
 */
export function takeColumn<C extends Column>(c: C, rows: ArrayLike<number>): C {
  const r = rows instanceof Int32Array ? rows : Int32Array.from(rows);
  if (isDict(c)) return { kind: 'dict', codes: takeInt32(c.codes, r), dictionary: c.dictionary } as C;
  if (c instanceof Float64Array) return takeFloat64(c, r) as C;
  if (c instanceof Int32Array) return takeInt32(c, r) as C;
  return takeUint8(c as Uint8Array, r) as C;
}

// One copy loop per array type, so each loop's element reads stay monomorphic in V8 however many
// stages call takeColumn with however many column types.
function takeFloat64(source: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = source[rows[i]!]!;
  return out;
}

function takeInt32(source: Int32Array, rows: Int32Array): Int32Array {
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = source[rows[i]!]!;
  return out;
}

function takeUint8(source: Uint8Array, rows: Int32Array): Uint8Array {
  const out = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = source[rows[i]!]!;
  return out;
}

/** The given rows of a feature matrix, in the given order. */
export function takeMatrix(X: FeatureMatrix, rows: ArrayLike<number>): FeatureMatrix {
  return { nRows: rows.length, names: X.names, columns: X.columns.map((c) => takeColumn(c, rows)) };
}

/** A new frame holding the given rows, in the given order. */
export function take(f: Frame, rows: ArrayLike<number>): Frame {
  const cols: Record<string, Column> = {};
  for (const [name, c] of Object.entries(f.cols)) cols[name] = takeColumn(c, rows);
  return makeFrame(cols, rows.length);
}

/** Row indices where `keep(i)` is true. */
export function where(n: number, keep: (i: number) => boolean): Int32Array {
  const out = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) if (keep(i)) out[k++] = i;
  return out.slice(0, k);
}

/** A new frame with some columns added or replaced. */
export function withColumns(f: Frame, extra: Record<string, Column>): Frame {
  return makeFrame({ ...f.cols, ...extra }, f.n);
}

export function select(f: Frame, names: readonly string[]): Frame {
  const cols: Record<string, Column> = {};
  for (const name of names) cols[name] = col(f, name);
  return makeFrame(cols, f.n);
}

/** Stacks frames with the same column names; dictionary columns are re-coded into one dictionary. */
export function concat(frames: readonly Frame[]): Frame {
  if (frames.length === 0) return makeFrame({}, 0);
  const first = frames[0]!;
  const n = frames.reduce((s, f) => s + f.n, 0);
  const cols: Record<string, Column> = {};
  for (const [name, c0] of Object.entries(first.cols)) {
    if (isDict(c0)) {
      const index = new Map<string, number>();
      const dictionary: string[] = [];
      const codes = new Int32Array(n);
      let at = 0;
      for (const f of frames) {
        const c = dict(f, name);
        const remap = c.dictionary.map((v) => {
          let code = index.get(v);
          if (code === undefined) {
            code = dictionary.length;
            index.set(v, code);
            dictionary.push(v);
          }
          return code;
        });
        for (let i = 0; i < f.n; i++) codes[at++] = c.codes[i]! < 0 ? -1 : remap[c.codes[i]!]!;
      }
      cols[name] = { kind: 'dict', codes, dictionary };
    } else {
      const out = emptyLike(c0, n);
      let at = 0;
      for (const f of frames) {
        const c = col(f, name);
        if (isDict(c) || c.constructor !== c0.constructor)
          throw new TypeError(`column "${name}" differs in type`);
        out.set(c, at);
        at += f.n;
      }
      cols[name] = out;
    }
  }
  return makeFrame(cols, n);
}
