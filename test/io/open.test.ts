import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { detectFormat, InputError, openInput, readBilling } from '../../src/index.js';
import { textEncoding } from '../../src/io/open.js';
import { tempDir } from './helpers.js';

const HEADER = 'subscriber_id,month,activation_date,plan_id,billed_amount,status\n';
const ROW = '001,2024-03,2020-01-01,P,10,active\n';

/** `text` in UTF-16 or UTF-32, little or big endian, with or without a byte order mark. */
function encode(text: string, unit: 2 | 4, little: boolean, bom: boolean): Buffer {
  const chars = [...(bom ? '\ufeff' : ''), ...text];
  const out = Buffer.alloc(chars.length * unit);
  chars.forEach((ch, i) => {
    const c = ch.codePointAt(0)!;
    if (unit === 2 && little) out.writeUInt16LE(c, i * 2);
    else if (unit === 2) out.writeUInt16BE(c, i * 2);
    else if (little) out.writeUInt32LE(c, i * 4);
    else out.writeUInt32BE(c, i * 4);
  });
  return out;
}

describe('textEncoding', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    [2, true,  true,  'UTF-16LE'],
    [2, false, true,  'UTF-16BE'],
    [4, true,  true,  'UTF-32LE'],
    [4, false, true,  'UTF-32BE'],
    [2, true,  false, 'UTF-16LE'],
    [2, false, false, 'UTF-16BE'],
    [4, true,  false, 'UTF-32LE'],
    [4, false, false, 'UTF-32BE'],
  ] as const)('a CSV in %i-byte units (little endian %s, BOM %s) is %s', (unit, little, bom, name) => {
    expect(textEncoding(encode(HEADER + ROW, unit, little, bom))).toBe(name);
  });

  it('says nothing of UTF-8, Arrow files and streams, or a short file', () => {
    const table = tableFromArrays({ id: ['a', 'b'], x: Float64Array.from([1, 2]) });
    for (const head of [
      Buffer.from(HEADER + ROW),
      Buffer.from(`\ufeff${HEADER}`),
      tableToIPC(table, 'file'),
      tableToIPC(table, 'stream'),
      tableToIPC(table, 'stream').subarray(4), // a legacy stream: the length prefix first
      Buffer.from('a\0'),
    ])
      expect(textEncoding(head)).toBeNull();
  });
});

describe('openInput', () => {
  it.each([
    ['UTF-16 with a BOM', encode(HEADER + ROW, 2, true, true), 'UTF-16LE'],
    ['UTF-32 without a BOM', encode(HEADER + ROW, 4, false, false), 'UTF-32BE'],
    ['gzipped UTF-16', gzipSync(encode(HEADER + ROW, 2, false, true)), 'UTF-16BE'],
  ])('refuses %s, saying to save it as UTF-8', async (_, bytes, name) => {
    const p = join(tempDir(), 'billing.csv');
    writeFileSync(p, bytes);
    const err = await openInput(p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(
      new RegExp(`^${p}: the file.* is ${name} text; save it as UTF-8$`),
    );
  });

  it('names a truncated gzip file and says it is truncated', async () => {
    const p = join(tempDir(), 'billing.csv.gz');
    const whole = gzipSync(HEADER + ROW.repeat(5000));
    writeFileSync(p, whole.subarray(0, whole.length >> 1));
    await expect(readBilling([p], { badRows: 'report' })).rejects.toThrow(
      new RegExp(
        `^${p}: cannot unzip the file: it is truncated or damaged gzip \\(unexpected end of file\\)$`,
      ),
    );
  });
});

describe('openInput refuses a file that is not CSV text, saying what it looks like', () => {
  const PNG = Buffer.from([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
  ]);
  // The first entries of a workbook as Excel writes it.
  const XLSX = Buffer.concat(
    ['[Content_Types].xml', 'xl/workbook.xml'].flatMap((name) => [
      Buffer.from([0x50, 0x4b, 0x03, 0x04]),
      Buffer.alloc(22),
      Buffer.from([name.length, 0, 0, 0]),
      Buffer.from(`${name}<x/>`),
    ]),
  );
  // biome-ignore format: a case table reads best aligned
  it.each([
    ['a PNG named .csv',       'billing.csv',    PNG,                                            'it looks like a PNG image; give a CSV (UTF-8), Arrow or Parquet file'],
    ['an Excel workbook',      'billing.xlsx',   XLSX,                                           'it looks like an Excel workbook (.xlsx); save the sheet as CSV UTF-8 and give that file'],
    ['a gzipped PNG',          'billing.csv.gz', gzipSync(PNG),                                  'it (once unzipped) looks like a PNG image; give a CSV (UTF-8), Arrow or Parquet file'],
    ['a CSV gzipped twice',    'billing.csv.gz', gzipSync(gzipSync(HEADER + ROW)),               'it (once unzipped) looks like gzip data; it was compressed twice: unzip it once'],
    ['NUL bytes in a header',  'billing.csv',    Buffer.from(`subscriber_id\0\0,month\n${ROW}`), 'it looks like binary data (control bytes in its first line); give a CSV (UTF-8), Arrow or Parquet file'],
  ])('%s', async (_, name, bytes, says) => {
    const p = join(tempDir(), name);
    writeFileSync(p, bytes);
    const err = await openInput(p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe(`${p}: not a CSV text file: ${says}`);
  });

  it('reads a file that starts and ends with the Parquet magic as Parquet, refusing it as damaged', async () => {
    const p = join(tempDir(), 'billing.parquet');
    writeFileSync(p, 'PAR1garbagePAR1');
    expect((await openInput(p)).format).toBe('parquet');
    await expect(readBilling([p])).rejects.toThrow(
      `${p}: cannot read the Parquet file: it is truncated or damaged (its footer claims`,
    );
  });
});

describe('detectFormat', () => {
  // biome-ignore format: column-aligned table
  it.each([
    ['Parquet magic and a page header', Buffer.from([0x50, 0x41, 0x52, 0x31, 0x15, 0x00, 0x15, 0x1c]), 'parquet'],
    ['Parquet magic alone',             Buffer.from('PAR1'),                                               'parquet'],
    ['a CSV whose header starts PAR1',  Buffer.from('PAR1,month\n1,2024-01\n'),                            'csv'],
    ['magic, text, and magic at the end', Buffer.from('PAR1garbagePAR1'),                                 'parquet'],
    ['an Arrow file',                   Buffer.from('ARROW1\0\0'),                                         'arrow-file'],
    ['a CSV',                           Buffer.from(HEADER),                                               'csv'],
  ] as const)('tells %s as %s', (_, head, format) => {
    // The tail as openInput reads it: the file's last four bytes.
    expect(detectFormat(head, head.subarray(-4))).toBe(format);
  });
});
