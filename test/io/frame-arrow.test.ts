import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  dict,
  dictFromStrings,
  dictToStrings,
  makeFrame,
  readFrameArrow,
  writeArrow,
} from '../../src/index.js';

describe('readFrameArrow', () => {
  it('reads back a written frame with its column types and exact values', async () => {
    const frame = makeFrame({
      id: dictFromStrings(['007', null, '=x']),
      p: new Float64Array([0.1 + 0.2, Number.NaN, -1e-300]),
      month: new Int32Array([24306, 24307, -1]),
      flag: new Uint8Array([0, 1, 255]),
    });
    const path = join(mkdtempSync(join(tmpdir(), 'retain-frame-')), 'f.arrow');
    await writeArrow(frame, path);
    const back = await readFrameArrow(path);
    expect(back.n).toBe(3);
    expect(back.cols.p).toEqual(frame.cols.p);
    expect(back.cols.month).toBeInstanceOf(Int32Array);
    expect(Array.from(back.cols.month as Int32Array)).toEqual([24306, 24307, -1]);
    expect(back.cols.flag).toBeInstanceOf(Uint8Array);
    expect(Array.from(back.cols.flag as Uint8Array)).toEqual([0, 1, 255]);
    expect(dictToStrings(dict(back, 'id'))).toEqual(['007', null, '=x']);
  });

  it('writes a missing number as null, and reads any null back as NaN', async () => {
    const { Float64, makeData, makeVector, Table, tableFromIPC, tableToIPC } = await import('apache-arrow');
    const frame = makeFrame({ p: new Float64Array([0.5, Number.NaN, 2, Number.NaN]) });
    const dir = mkdtempSync(join(tmpdir(), 'retain-frame-'));
    const path = join(dir, 'f.arrow');
    await writeArrow(frame, path);
    const column = tableFromIPC(readFileSync(path)).getChild('p')!;
    expect(column.nullCount).toBe(2);
    expect([0, 1, 2, 3].map((i) => column.isValid(i))).toEqual([true, false, true, false]);
    // Another writer's file may hold 0 under a null: still missing.
    const data = makeData({
      type: new Float64(),
      length: 3,
      nullCount: 1,
      nullBitmap: new Uint8Array([0b101]),
      data: new Float64Array([1, 0, 3]),
    });
    const foreign = join(dir, 'g.arrow');
    writeFileSync(foreign, tableToIPC(new Table({ p: makeVector(data) }), 'file'));
    expect(Array.from((await readFrameArrow(foreign)).cols.p as Float64Array)).toEqual([1, Number.NaN, 3]);
  });

  it('says a truncated file is truncated or damaged, naming it', async () => {
    const frame = makeFrame({ id: dictFromStrings(['a', 'b']), p: new Float64Array([0.5, 0.25]) });
    const path = join(mkdtempSync(join(tmpdir(), 'retain-frame-')), 'f.arrow');
    await writeArrow(frame, path);
    const bytes = readFileSync(path);
    for (const keep of [0.2, 0.5, 0.95]) {
      writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * keep)));
      await expect(readFrameArrow(path)).rejects.toThrow(
        new RegExp(`^${path}: cannot read the Arrow file: it is truncated or damaged \\(`),
      );
    }
  });
});
