import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetMetadata, parquetSchema } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { dictFromStrings, makeFrame, out, readRawTable, writeCsv, writeParquet } from '../../src/index.js';
import { ROW_GROUP_ROWS } from '../../src/io/write-parquet.js';
import { tempDir } from './helpers.js';

const schemaOf = (p: string) => {
  const bytes = readFileSync(p);
  const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  return { meta, columns: parquetSchema(meta).children.map((c) => c.element) };
};

describe('writeParquet', () => {
  it('keeps frame column types and writes blanks as nulls', async () => {
    const dir = tempDir();
    const p = join(dir, 'out.parquet');
    const frame = makeFrame(
      {
        id: dictFromStrings(['007', null, '009']),
        score: new Float64Array([0.25, Number.NaN, 2]),
        tenure: new Int32Array([3, 0, 120]),
        flag: new Uint8Array([1, 0, 1]),
      },
      3,
    );
    await writeParquet(frame, p);
    expect(schemaOf(p).columns.map((e) => [e.name, e.type, e.converted_type])).toEqual([
      ['id', 'BYTE_ARRAY', 'UTF8'],
      ['score', 'DOUBLE', undefined],
      ['tenure', 'INT32', undefined],
      ['flag', 'INT32', undefined],
    ]);
    expect(await readRawTable(p)).toEqual({
      names: ['id', 'score', 'tenure', 'flag'],
      columns: [
        ['007', null, '009'],
        ['0.25', null, '2'],
        ['3', '0', '120'],
        ['1', '0', '1'],
      ],
      rowCount: 3,
      path: p,
    });
    expect(readdirSync(dir)).toEqual(['out.parquet']);
  });

  it('reads back as the CSV writer writes a spec table, in row groups of a bounded size', async () => {
    const dir = tempDir();
    const n = ROW_GROUP_ROWS * 2 + 7;
    const table = {
      n,
      columns: [
        out.text('subscriber_id', (i) => String(i).padStart(10, '0')),
        out.month('month', new Int32Array(n).fill(24_306)),
        out.number('p', (i) => (i % 5 === 0 ? Number.NaN : i / 7)),
        out.text('note', (i) => (i % 3 === 0 ? null : `a,"b" ${i}`)),
      ],
    };
    await writeParquet(table, join(dir, 't.parquet'));
    await writeCsv(table, join(dir, 't.csv'));
    const { meta } = schemaOf(join(dir, 't.parquet'));
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([ROW_GROUP_ROWS, ROW_GROUP_ROWS, 7]);
    const fromParquet = await readRawTable(join(dir, 't.parquet'));
    const fromCsv = await readRawTable(join(dir, 't.csv'));
    expect({ ...fromParquet, path: '' }).toEqual({ ...fromCsv, path: '' });
  });

  it('writes an empty table as a file of columns and no rows', async () => {
    const p = join(tempDir(), 'empty.parquet');
    await writeParquet({ n: 0, columns: [out.text('a', () => 'x'), out.number('b', () => 1)] }, p);
    const t = await readRawTable(p);
    expect([t.names, t.rowCount]).toEqual([['a', 'b'], 0]);
  });
});
