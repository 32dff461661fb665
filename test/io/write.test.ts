import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ClosedOutputError } from '../../src/errors.js';
import { dictValue } from '../../src/frame.js';
import {
  csvTextCell,
  csvTextValue,
  dictFromStrings,
  InputError,
  makeFrame,
  out,
  parseMonth,
  readRawTable,
  STATUSES,
  writeArrow,
  writeCsv,
  writeCsvTo,
} from '../../src/index.js';
import { tempDir } from './helpers.js';

describe('writeCsv', () => {
  it('neutralises formulas in text cells but writes numbers as numbers', async () => {
    const dir = tempDir();
    const p = join(dir, 'out.csv');
    const frame = makeFrame({
      note: dictFromStrings(['=SUM(A1)', '+1', '-x', '@cmd', 'plain, "quoted"', null]),
      value: new Float64Array([-1.5, 2, Number.NaN, 0, 3, -4]),
    });
    await writeCsv(frame, p);
    expect(readFileSync(p, 'utf8')).toBe(
      'note,value\n\'=SUM(A1),-1.5\n+1,2\n\'-x,\n\'@cmd,0\n"plain, ""quoted""",3\n,-4\n',
    );
  });

  it('writes a dictionary column as its values would be written one by one', async () => {
    const dir = tempDir();
    const note = dictFromStrings(['=x', 'a,b', '', 'a,b', null, '=x', 'plain', 'unused']);
    // Rows that repeat entries, leave one out, and hold a blank and a missing cell.
    const rows = [0, 1, 2, 3, 4, 5, 6];
    const frame = makeFrame({
      note: { ...note, codes: Int32Array.from(rows, (i) => note.codes[i]!) },
    });
    const spec = {
      n: rows.length,
      columns: [
        {
          header: 'note',
          kind: 'text' as const,
          value: (i: number) => dictValue(frame.cols.note as typeof note, i),
        },
      ],
    };
    await writeCsv(frame, join(dir, 'dict.csv'));
    await writeCsv(spec, join(dir, 'spec.csv'));
    const written = readFileSync(join(dir, 'dict.csv'), 'utf8');
    expect(written).toBe(readFileSync(join(dir, 'spec.csv'), 'utf8'));
    expect(written).toBe('note\n\'=x\n"a,b"\n\n"a,b"\n\n\'=x\nplain\n');
  });

  // biome-ignore format: a case table reads best aligned
  it.each([
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ['@SUM(1+1)',          "'@SUM(1+1)"],
    ['\tx',                "'\tx"],
    ['-1+2',               "'-1+2"],
    ['+1',                 '+1'],
    ['+8613800000000',     '+8613800000000'],
    ['-2.50',              '-2.50'],
    ["'quoted",            "''quoted"],
    ['007',                '007'],
  ])('writes the text %j as the cell %j, which csvTextValue reads back', (value, cell) => {
    expect(csvTextCell(value)).toBe(cell);
    expect(csvTextValue(cell)).toBe(value);
  });

  it('formats through column specs and can start with a BOM', async () => {
    const dir = tempDir();
    const p = join(dir, 'specs.csv');
    const months = new Int32Array([parseMonth('2024-03'), parseMonth('2024-04')]);
    const status = new Uint8Array([0, 4]);
    await writeCsv(
      {
        n: 2,
        columns: [
          out.month('month', months),
          out.enumOf('status', status, STATUSES),
          out.number('x', (i) => i * 10),
        ],
      },
      p,
      { bom: true },
    );
    expect(readFileSync(p, 'utf8')).toBe('\uFEFFmonth,status,x\n2024-03,active,0\n2024-04,closed,10\n');
  });

  it('leaves no file behind when writing fails', async () => {
    const dir = tempDir();
    const p = join(dir, 'fail.csv');
    const boom = out.text('a', () => {
      throw new Error('boom');
    });
    await expect(writeCsv({ n: 1, columns: [boom] }, p)).rejects.toThrow('boom');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('writeCsvTo', () => {
  const frame = makeFrame({
    id: dictFromStrings(['a', '=b', 'c, d']),
    value: new Float64Array([1.5, Number.NaN, -2]),
  });

  it('writes to a stream the bytes writeCsv writes to a file, with their size and hash', async () => {
    const chunks: Buffer[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        cb();
      },
    });
    const path = join(tempDir(), 'file.csv');
    const file = await writeCsv(frame, path, { bom: true });
    expect(await writeCsvTo(stream, 'standard output', frame, { bom: true })).toEqual(file);
    expect(Buffer.concat(chunks).equals(readFileSync(path))).toBe(true);
  });

  it('ends with a ClosedOutputError (exit 141) when the reader closed the pipe, another failure an InputError, and outlives the error event', async () => {
    const failing = (code: string) =>
      new Writable({
        write(_chunk, _enc, cb) {
          cb(Object.assign(new Error(`write ${code}`), { code }));
        },
      });
    const full = writeCsvTo(failing('ENOSPC'), 'standard output', frame);
    await expect(full).rejects.toThrow(InputError);
    await expect(full).rejects.toThrow('cannot write standard output: no space left on the device (ENOSPC)');
    const stream = failing('EPIPE');
    const written = writeCsvTo(stream, 'standard output', frame);
    await expect(written).rejects.toThrow(ClosedOutputError);
    await expect(written).rejects.toMatchObject({
      exitCode: 141,
      message: 'standard output was closed by the program reading it',
    });
    // The stream's error event follows its failed write; without a listener it would end the process.
    await new Promise((resolve) => setImmediate(resolve));
    expect(stream.destroyed).toBe(true);
  });
});

describe('writeArrow', () => {
  it('round-trips through the Arrow reader with dictionary columns and nulls', async () => {
    const dir = tempDir();
    const p = join(dir, 'out.arrow');
    await writeArrow(
      makeFrame({ id: dictFromStrings(['007', null, '009']), score: new Float64Array([0.25, 1, 2]) }),
      p,
    );
    const t = await readRawTable(p);
    expect(t).toEqual({
      names: ['id', 'score'],
      columns: [
        ['007', null, '009'],
        ['0.25', '1', '2'],
      ],
      rowCount: 3,
      path: p,
    });
  });
});
