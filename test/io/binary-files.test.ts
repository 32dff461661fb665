import { gzipSync } from 'node:zlib';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { notCsvText } from '../../src/io/binary-files.js';

/** The first bytes of a ZIP archive whose entries are `names`, each a local header and a little data. */
function zip(...names: string[]): Buffer {
  return Buffer.concat(
    names.flatMap((name) => [
      Buffer.from([0x50, 0x4b, 0x03, 0x04]),
      Buffer.alloc(22),
      Buffer.from([name.length, 0, 0, 0]),
      Buffer.from(`${name}<data/>`),
    ]),
  );
}

const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
]);
const bytes = (...b: number[]) => Buffer.from(b);

describe('notCsvText', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    ['a PNG image',              PNG,                                                             'a PNG image'],
    ['a JPEG image',             bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46),              'a JPEG image'],
    ['a GIF image',              Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'),                 'a GIF image'],
    ['a PDF',                    Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'),           'a PDF document'],
    ['an .xls workbook',         bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0),   'an Excel 97-2003 workbook (.xls) or another Office file'],
    ['an .xlsx workbook',        zip('[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml'),    'an Excel workbook (.xlsx)'],
    ['an .ods spreadsheet',      zip('mimetypeapplication/vnd.oasis.opendocument.spreadsheet'),   'an OpenDocument spreadsheet (.ods)'],
    ['a .docx document',         zip('[Content_Types].xml', 'word/document.xml'),                 'an Office document (.xlsx, .docx or .pptx)'],
    ['a ZIP of CSV files',       zip('billing.csv'),                                              'a ZIP archive'],
    ['gzip inside gzip',         gzipSync('a,b\n1,2\n'),                                          'gzip data'],
    ['zstd',                     bytes(0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x08, 0x41, 0),              'zstd-compressed data'],
    ['bzip2',                    Buffer.from('BZh91AY&SY\x12\x34', 'latin1'),                      'bzip2-compressed data'],
    ['xz',                       bytes(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0, 0, 4),                    'xz-compressed data'],
    ['an SQLite database',       Buffer.from('SQLite format 3\0\x10\x00', 'latin1'),              'an SQLite database'],
    ['a NUL in the header line', Buffer.from('subscriber_id,month\0\0\x01\n1,2\n', 'latin1'),      'binary data (control bytes in its first line)'],
  ])('tells %s', (_, head, what) => {
    expect(notCsvText(head, true)?.what).toBe(what);
  });

  it('says what to do: save a workbook as CSV, unzip a file gzipped twice once', () => {
    expect(notCsvText(zip('[Content_Types].xml', 'xl/workbook.xml'), true)?.todo).toBe(
      'save the sheet as CSV UTF-8 and give that file',
    );
    expect(notCsvText(gzipSync('a'), true)?.todo).toBe('it was compressed twice: unzip it once');
  });

  // biome-ignore format: a case table reads best aligned
  it.each([
    ['a CSV',                                  Buffer.from('subscriber_id,month\n001,2025-07\n')],
    ['a CSV with a byte order mark',           Buffer.from('\ufeffsubscriber_id,month\r\n001,2025-07\r\n')],
    ['GBK text, not UTF-8',                    bytes(0xd3, 0xc3, 0xbb, 0xa7, 0x2c, 0xd4, 0xc2, 0x0a)],
    ['Latin-1 text, not UTF-8',                Buffer.from('Stra\xdfe,month\n', 'latin1')],
    ['a NUL in a row after the header line',   Buffer.from('id,month\nA\0,2025-07\n', 'latin1')],
    ['terminal escapes in the header line',    Buffer.from('\x1b[2Jid,month\n', 'latin1')],
    ['a header starting BZh, GIF8 or PK',      Buffer.from('BZh,GIF8,PK\n1,2,3\n')],
  ])('leaves %s to the CSV reader', (_, head) => {
    expect(notCsvText(head, true)).toBeNull();
  });

  it('finds no control bytes in Arrow, which is binary, but still a signature', () => {
    const arrow = tableToIPC(tableFromArrays({ id: ['a'], x: Float64Array.from([1]) }), 'stream');
    expect(notCsvText(arrow, false)).toBeNull();
    expect(notCsvText(arrow, true)?.what).toBe('binary data (control bytes in its first line)');
    expect(notCsvText(PNG, false)?.what).toBe('a PNG image');
  });
});
