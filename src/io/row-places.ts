/**
 * Where a table's rows sit in its file: the CSV line or the Arrow/Parquet row (from 1) of each.
 * Kept as the rows where `place - row` changes (after the header, a quoted line break, a skipped
 * line), so it costs nothing for a table with one record a line.
 */
export interface RowPlaces {
  readonly word: 'line' | 'row';
  /** Ascending rows (from 0) from which place = row + shift[k]. */
  readonly from: Int32Array;
  readonly shift: Int32Array;
}

/** Collects RowPlaces while records are read, each with the place the reader gives it. */
export class RowPlacesBuilder {
  #from: number[] = [];
  #shift: number[] = [];
  #rows = 0;

  add(place: number): void {
    this.#step(this.#rows, place - this.#rows);
    this.#rows++;
  }

  /** Row `row` and those after it sit at row + shift (a run of rows, in order). */
  #step(row: number, shift: number): void {
    if (this.#shift.length === 0 || this.#shift[this.#shift.length - 1] !== shift) {
      this.#from.push(row);
      this.#shift.push(shift);
    }
  }

  /**
   * Takes a part's places as the rows that follow: its rows come after `rows` earlier ones, its
   * lines after `lines` earlier lines of the file.
   */
  append(part: RowPlaces, rows: number, lines: number, count: number): void {
    for (let k = 0; k < part.from.length; k++)
      this.#step(part.from[k]! + rows, part.shift[k]! + lines - rows);
    this.#rows = rows + count;
  }

  finish(word: 'line' | 'row'): RowPlaces {
    return { word, from: Int32Array.from(this.#from), shift: Int32Array.from(this.#shift) };
  }
}

/** The place of `row` (from 0) in its file; row + 1 when the places are not known. */
export function placeOfRow(places: RowPlaces | undefined, row: number): number {
  if (places === undefined || places.from.length === 0) return row + 1;
  let lo = 0;
  let hi = places.from.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (places.from[mid]! <= row) lo = mid;
    else hi = mid - 1;
  }
  return row + places.shift[lo]!;
}
