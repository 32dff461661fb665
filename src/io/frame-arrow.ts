/**
 * A Frame saved as an Arrow IPC file and read back with its column types: Float64, Int32 and Uint8
 * columns as such, dictionary and text columns as dictionary columns. Used for intermediate files
 * between retain's own runs (a shard's scored rows), where types must survive exactly.
 */
import { readFile } from 'node:fs/promises';
import type { Table, Vector } from 'apache-arrow';
import { echoBare } from '../echo.js';
import { InputError } from '../errors.js';
import { type Column, dictFromStrings, type Frame, makeFrame } from '../frame.js';

export async function readFrameArrow(path: string): Promise<Frame> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new InputError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? err})`, {
      cause: err,
    });
  }
  return frameFromArrow(bytes, path);
}

/**
 * The Frame of an Arrow IPC file's bytes; `path` names it in messages. Damaged bytes are an InputError.
 * apache-arrow is imported here, when an Arrow file is read, not when the CLI starts.
 */
export async function frameFromArrow(bytes: Uint8Array, path: string): Promise<Frame> {
  const { DataType, tableFromIPC } = await import('apache-arrow');
  try {
    return tableFrame(DataType, tableFromIPC(bytes), path);
  } catch (err) {
    if (err instanceof InputError) throw err;
    const why = echoBare(err instanceof Error ? err.message : String(err));
    throw new InputError(`${path}: cannot read the Arrow file: it is truncated or damaged (${why})`, {
      cause: err,
    });
  }
}

/** A float column's values, NaN where the file holds a null (whatever lies under it). */
function floatColumn(v: Vector): Float64Array {
  const out = Float64Array.from(v.toArray() as ArrayLike<number>);
  if (v.nullCount > 0) for (let i = 0; i < out.length; i++) if (!v.isValid(i)) out[i] = Number.NaN;
  return out;
}

function tableFrame(DataType: typeof import('apache-arrow').DataType, table: Table, path: string): Frame {
  const cols: Record<string, Column> = {};
  for (const field of table.schema.fields) {
    const v = table.getChild(field.name)!;
    const t = field.type;
    if (DataType.isFloat(t)) cols[field.name] = floatColumn(v);
    else if (DataType.isInt(t) && t.bitWidth === 32 && t.isSigned)
      cols[field.name] = Int32Array.from(v.toArray());
    else if (DataType.isInt(t) && t.bitWidth === 8 && !t.isSigned)
      cols[field.name] = Uint8Array.from(v.toArray());
    else if (DataType.isDictionary(t) || DataType.isUtf8(t)) {
      const values = new Array<string | null>(table.numRows);
      for (let i = 0; i < table.numRows; i++) values[i] = v.get(i) as string | null;
      cols[field.name] = dictFromStrings(values);
    } else
      throw new InputError(`${path}: column ${field.name} has type ${t}, which this reader does not keep`);
  }
  return makeFrame(cols, table.numRows);
}
