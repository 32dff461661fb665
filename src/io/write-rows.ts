/**
 * Leading cells shared between the CSV files of a set (write.ts writeCsv): a call list repeats, for
 * each subscriber it holds, the first columns of scores.csv (subscriber_id up to reasons). The first
 * file to write a row notes where its leading cells lie in the piece of bytes it writes, and keeps
 * that piece once written (a copy of it, exactly its size); the others copy the cells from there
 * instead of making them again. What is kept is bounded (ROW_BYTES_BUDGET): past it, rows are made
 * again, so a run of any size writes the same bytes and only the time saved stops growing.
 */
import type { CsvBytes } from './write-bytes.js';

/** Most bytes kept for one set of files. */
export const ROW_BYTES_BUDGET = 256 * 2 ** 20;
/** The longest run of leading cells kept (a row's length is stored in 16 bits). */
const MAX_ROW = 0xffff;
const NOT_KEPT = -1;
/** Noted by a writer, in a piece not yet handed over. */
const PENDING = -2;

/**
 * How a table's leading columns repeat those of other tables of its set: in every table naming the
 * same `group`, row i's first `columns` cells are the cells of row `rows[i]` (row i without `rows`)
 * of a common row space of `size` rows. The caller promises it; the writer trusts it.
 */
export interface LeadCells {
  readonly group: object;
  readonly size: number;
  readonly columns: number;
  readonly rows?: Int32Array;
}

/** The kept leading cells of the rows of one group. */
export class RowBytes {
  readonly pieces: Uint8Array[] = [];
  /** Per row: the piece holding its cells, or NOT_KEPT, or PENDING. */
  readonly piece: Int32Array;
  readonly at: Int32Array;
  readonly length: Uint16Array;
  kept = 0;

  constructor(
    size: number,
    readonly budget = ROW_BYTES_BUDGET,
  ) {
    this.piece = new Int32Array(size).fill(NOT_KEPT);
    this.at = new Int32Array(size);
    this.length = new Uint16Array(size);
  }

  /** Writes the kept cells of `row` to `out`; false when they were not kept. */
  copy(out: CsvBytes, row: number): boolean {
    if (!(row >= 0 && row < this.piece.length)) return false;
    const piece = this.piece[row]!;
    if (piece < 0) return false;
    const at = this.at[row]!;
    out.range(this.pieces[piece]!, at, at + this.length[row]!);
    return true;
  }

  /** A writer's notes of the rows it makes, resolved as it hands over each piece of bytes. */
  keeper(): RowKeeper {
    return new RowKeeper(this);
  }
}

export class RowKeeper {
  #pending: number[] = [];

  constructor(private readonly rows: RowBytes) {}

  /** Notes that `row`'s cells are bytes [from, to) of the piece being written. */
  keep(row: number, from: number, to: number): void {
    const r = this.rows;
    if (!(row >= 0 && row < r.piece.length) || r.piece[row] !== NOT_KEPT) return;
    if (to - from > MAX_ROW || r.kept >= r.budget) return;
    r.piece[row] = PENDING;
    r.at[row] = from;
    r.length[row] = to - from;
    this.#pending.push(row);
  }

  /** The piece just written: kept (a copy of it) for the rows noted in it, while the budget allows. */
  written(bytes: Uint8Array): void {
    const r = this.rows;
    const pending = this.#pending;
    if (pending.length === 0) return;
    this.#pending = [];
    const fits = r.kept + bytes.length <= r.budget;
    const piece = fits ? r.pieces.push(new Uint8Array(bytes)) - 1 : NOT_KEPT;
    if (fits) r.kept += bytes.length;
    for (const row of pending) r.piece[row] = piece;
  }
}

/** The kept rows of each group of a set of files. */
export class RowCache {
  readonly #groups = new WeakMap<object, RowBytes>();

  constructor(private readonly budget = ROW_BYTES_BUDGET) {}

  of(lead: LeadCells): RowBytes {
    let rows = this.#groups.get(lead.group);
    if (rows === undefined) {
      rows = new RowBytes(lead.size, this.budget);
      this.#groups.set(lead.group, rows);
    }
    return rows;
  }
}

/** A table repeating rows of a main one: `rows[k]` is the main table's row of its row k. */
export interface RepeatedRows<T> {
  readonly table: T;
  readonly rows: Int32Array;
}

/**
 * A main table and tables that repeat its rows, with their leading columns marked shared: as many as
 * the headers all of them begin with alike. The caller promises that a column of the same name holds
 * the same value in a repeating row and in its main row.
 */
export function withSharedLead<
  T extends { readonly n: number; readonly columns: readonly { header: string }[] },
>(
  main: T,
  repeats: readonly RepeatedRows<T>[],
): { main: T & { lead?: LeadCells }; repeats: (T & { lead?: LeadCells })[] } {
  let columns = main.columns.length;
  for (const { table } of repeats) {
    let k = 0;
    while (k < columns && k < table.columns.length && table.columns[k]!.header === main.columns[k]!.header)
      k++;
    columns = k;
  }
  if (repeats.length === 0 || columns === 0) return { main, repeats: repeats.map((r) => r.table) };
  const group = {};
  const lead = { group, size: main.n, columns };
  return {
    main: { ...main, lead },
    repeats: repeats.map(({ table, rows }) => ({ ...table, lead: { ...lead, rows } })),
  };
}
