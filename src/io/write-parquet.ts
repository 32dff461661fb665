/**
 * Writing a table as a Parquet file (hyparquet-writer), snappy-compressed, in row groups of
 * ROW_GROUP_ROWS rows built one at a time, so memory holds one row group of cells whatever the
 * table's size. Frame columns keep their types (Float64 as DOUBLE, Int32 and Uint8 as INT32,
 * dictionary columns as STRING); spec columns become STRING (text) or DOUBLE (number). Every column
 * is OPTIONAL: a blank cell (null, or a number that is not finite, as CSV leaves blank) is a null.
 * Written atomically. hyparquet-writer is imported when a Parquet file is written, not when the CLI starts.
 */
import type { SchemaElement } from 'hyparquet';
import { type Column, type Frame, isDict } from '../frame.js';
import { writeFileAtomic } from './atomic.js';
import type { OutColumn, OutTable } from './write.js';

/** Rows per row group: large enough to compress well, small enough to hold as JS values. */
export const ROW_GROUP_ROWS = 100_000;

interface ParquetColumn {
  readonly element: SchemaElement;
  /** Rows [from, to) as the writer takes them: numbers, strings or nulls. */
  slice(from: number, to: number): unknown[];
}

const optional = (name: string, type: SchemaElement['type'], more: Partial<SchemaElement> = {}) =>
  ({ name, type, repetition_type: 'OPTIONAL', ...more }) as SchemaElement;

function frameColumn(name: string, c: Column): ParquetColumn {
  if (isDict(c)) {
    return {
      element: optional(name, 'BYTE_ARRAY', { converted_type: 'UTF8' }),
      slice: (from, to) => {
        const out = new Array<string | null>(to - from);
        for (let i = from; i < to; i++) out[i - from] = c.codes[i]! < 0 ? null : c.dictionary[c.codes[i]!]!;
        return out;
      },
    };
  }
  if (c instanceof Float64Array) return numbers(optional(name, 'DOUBLE'), (i) => c[i]!);
  return numbers(optional(name, 'INT32'), (i) => c[i]!);
}

function numbers(element: SchemaElement, at: (i: number) => number): ParquetColumn {
  return {
    element,
    slice: (from, to) => {
      const out = new Array<number | null>(to - from);
      for (let i = from; i < to; i++) {
        const v = at(i);
        out[i - from] = Number.isFinite(v) ? v : null;
      }
      return out;
    },
  };
}

function specColumn(col: OutColumn): ParquetColumn {
  if (col.kind === 'number')
    return numbers(optional(col.header, 'DOUBLE'), (i) => {
      const v = col.value(i);
      return typeof v === 'number' ? v : v === null || v === '' ? Number.NaN : Number(v);
    });
  return {
    element: optional(col.header, 'BYTE_ARRAY', { converted_type: 'UTF8' }),
    slice: (from, to) => {
      const out = new Array<string | null>(to - from);
      for (let i = from; i < to; i++) {
        const v = col.value(i);
        out[i - from] = v === null ? null : String(v);
      }
      return out;
    },
  };
}

/** Writes a Frame or spec table as a Parquet file at `path`. */
export async function writeParquet(data: Frame | OutTable, path: string): Promise<void> {
  const columns =
    'columns' in data
      ? data.columns.map(specColumn)
      : Object.entries(data.cols).map(([name, c]) => frameColumn(name, c));
  const schema: SchemaElement[] = [
    { name: 'root', num_children: columns.length },
    ...columns.map((c) => c.element),
  ];
  const { fileWriter, ParquetWriter } = await import('hyparquet-writer');
  await writeFileAtomic(path, async (tmp) => {
    const writer = new ParquetWriter({ writer: fileWriter(tmp), schema, codec: 'SNAPPY' });
    for (let from = 0; from < data.n; from += ROW_GROUP_ROWS) {
      const to = Math.min(data.n, from + ROW_GROUP_ROWS);
      const columnData = columns.map((c) => ({ name: c.element.name, data: c.slice(from, to) }));
      await writer.write({ columnData, rowGroupSize: to - from });
    }
    writer.finish();
  });
}
