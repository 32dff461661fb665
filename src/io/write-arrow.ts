/**
 * Writing a table as an Arrow IPC file: Frame columns keep their types (dictionary columns become
 * Dictionary<Utf8>), spec columns become Utf8 (text) or Float64 (number). Written atomically.
 *
 * apache-arrow is imported when an Arrow file is written, not when the CLI starts: its ~150 modules
 * cost every CSV run start-up time for nothing.
 */
import { writeFile } from 'node:fs/promises';
import type { Vector } from 'apache-arrow';
import { type Column, type Frame, isDict } from '../frame.js';
import { writeFileAtomic } from './atomic.js';
import type { OutTable } from './write.js';

type Arrow = typeof import('apache-arrow');

/**
 * A Float64 vector whose NaN cells are nulls: a blank is null in Arrow as in Parquet and CSV, so a
 * reader that tells null from NaN (Polars, pyarrow) sees it as missing. The value under a null stays NaN.
 */
function floatVector(arrow: Arrow, values: Float64Array): Vector {
  const { Float64, makeData, makeVector } = arrow;
  const n = values.length;
  let nulls = 0;
  for (let i = 0; i < n; i++) if (Number.isNaN(values[i]!)) nulls++;
  if (nulls === 0) return makeVector(values);
  const valid = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) if (!Number.isNaN(values[i]!)) valid[i >> 3]! |= 1 << (i & 7);
  return makeVector(
    makeData({ type: new Float64(), length: n, nullCount: nulls, nullBitmap: valid, data: values }),
  );
}

function frameVector(arrow: Arrow, c: Column): Vector {
  const { Dictionary, Int32, makeData, makeVector, Utf8, vectorFromArray } = arrow;
  if (c instanceof Float64Array) return floatVector(arrow, c);
  if (!isDict(c)) return makeVector(c);
  const n = c.codes.length;
  const valid = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const code = c.codes[i]!;
    if (code >= 0) {
      valid[i >> 3]! |= 1 << (i & 7);
      codes[i] = code;
    } else nulls++;
  }
  const type = new Dictionary(new Utf8(), new Int32());
  const dictionary = vectorFromArray(c.dictionary as string[], new Utf8());
  const data = makeData({
    type,
    length: n,
    nullCount: nulls,
    nullBitmap: nulls > 0 ? valid : null,
    data: codes,
    dictionary,
  });
  return makeVector(data);
}

function specVector(arrow: Arrow, col: OutTable['columns'][number], n: number): Vector {
  const { Utf8, vectorFromArray } = arrow;
  if (col.kind === 'number') {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = col.value(i);
      a[i] = typeof v === 'number' ? v : v === null ? Number.NaN : Number(v);
    }
    return floatVector(arrow, a);
  }
  const a = new Array<string | null>(n);
  for (let i = 0; i < n; i++) {
    const v = col.value(i);
    a[i] = v === null ? null : String(v);
  }
  return vectorFromArray(a, new Utf8());
}

/** Writes a Frame or spec table as an Arrow IPC file. */
export async function writeArrow(data: Frame | OutTable, path: string): Promise<void> {
  const arrow = await import('apache-arrow');
  const vectors: Record<string, Vector> = {};
  if ('columns' in data) for (const c of data.columns) vectors[c.header] = specVector(arrow, c, data.n);
  else for (const [name, c] of Object.entries(data.cols)) vectors[name] = frameVector(arrow, c);
  const bytes = arrow.tableToIPC(new arrow.Table(vectors), 'file');
  await writeFileAtomic(path, (tmp) => writeFile(tmp, bytes));
}
