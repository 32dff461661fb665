/**
 * Files given where CSV text is expected that are something else: a workbook, an image, an archive,
 * data compressed a way retain does not unwrap, or binary data of no known kind. Told from the first
 * bytes (after gzip is unwrapped), so that the message says what the file looks like rather than
 * what reading it as CSV would then trip on ("the header is not valid UTF-8").
 */

/** What a file looks like, and what to do instead, for a message. */
export interface NotCsvText {
  /** "an Excel workbook (.xlsx)", "a PNG image", ... */
  readonly what: string;
  readonly todo: string;
}

const GIVE_CSV = 'give a CSV (UTF-8), Arrow or Parquet file';
const SAVE_AS_CSV = 'save the sheet as CSV UTF-8 and give that file';

/** Bytes at the start that mark a kind of file. */
const SIGNATURES: readonly { readonly magic: readonly number[]; readonly kind: NotCsvText }[] = [
  { magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], kind: { what: 'a PNG image', todo: GIVE_CSV } },
  { magic: [0xff, 0xd8, 0xff], kind: { what: 'a JPEG image', todo: GIVE_CSV } },
  { magic: bytes('GIF87a'), kind: { what: 'a GIF image', todo: GIVE_CSV } },
  { magic: bytes('GIF89a'), kind: { what: 'a GIF image', todo: GIVE_CSV } },
  { magic: bytes('%PDF-'), kind: { what: 'a PDF document', todo: GIVE_CSV } },
  {
    // The compound file of Office 97-2003.
    magic: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    kind: { what: 'an Excel 97-2003 workbook (.xls) or another Office file', todo: SAVE_AS_CSV },
  },
  {
    // Outside, gzip is unwrapped: gzip inside it is a file compressed twice.
    magic: [0x1f, 0x8b],
    kind: { what: 'gzip data', todo: 'it was compressed twice: unzip it once' },
  },
  {
    magic: [0x28, 0xb5, 0x2f, 0xfd],
    kind: { what: 'zstd-compressed data', todo: 'decompress it first (retain unzips gzip only)' },
  },
  // "BZh", the block size 1 to 9, then the first block's magic.
  ...Array.from('123456789', (k) => ({
    magic: bytes(`BZh${k}1AY&SY`),
    kind: { what: 'bzip2-compressed data', todo: 'decompress it first (retain unzips gzip only)' },
  })),
  {
    magic: [0xfd, ...bytes('7zXZ'), 0x00],
    kind: { what: 'xz-compressed data', todo: 'decompress it first (retain unzips gzip only)' },
  },
  {
    magic: bytes('SQLite format 3\0'),
    kind: { what: 'an SQLite database', todo: 'export the table as CSV (UTF-8) and give that file' },
  },
];

/** Bytes looked at for a ZIP's entry names and for control bytes in the first line. */
const SNIFF_BYTES = 1 << 16;

function bytes(latin1: string): number[] {
  return [...Buffer.from(latin1, 'latin1')];
}

function startsWith(head: Uint8Array, magic: readonly number[]): boolean {
  return head.length >= magic.length && magic.every((b, i) => head[i] === b);
}

/** A ZIP archive by its first entries' names: a workbook, a spreadsheet, another Office file, or none of those. */
function zipKind(head: Uint8Array): NotCsvText {
  const text = Buffer.from(head.subarray(0, SNIFF_BYTES)).toString('latin1');
  if (text.includes('xl/')) return { what: 'an Excel workbook (.xlsx)', todo: SAVE_AS_CSV };
  if (text.includes('opendocument.spreadsheet'))
    return { what: 'an OpenDocument spreadsheet (.ods)', todo: SAVE_AS_CSV };
  if (text.includes('[Content_Types].xml'))
    return { what: 'an Office document (.xlsx, .docx or .pptx)', todo: SAVE_AS_CSV };
  return { what: 'a ZIP archive', todo: `unzip it and ${GIVE_CSV}` };
}

/**
 * Control bytes text never holds, whatever its encoding (UTF-8, GBK, Latin-1; UTF-16 and UTF-32 are
 * told apart before this): NUL above all. Tab, line breaks, vertical tab, form feed and escape (of a
 * terminal's colours) are left to the CSV reader.
 */
function isBinaryByte(c: number): boolean {
  return c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0b && c !== 0x0c && c !== 0x0d && c !== 0x1b;
}

/** Whether the first line of `head` (a header line: column names) holds a byte text never holds. */
function binaryInFirstLine(head: Uint8Array): boolean {
  const n = Math.min(head.length, SNIFF_BYTES);
  for (let i = 0; i < n && head[i] !== 0x0a; i++) if (isBinaryByte(head[i]!)) return true;
  return false;
}

/**
 * What a file given where CSV text is expected looks like when it is not that, from its first
 * (unzipped) bytes; null when it may be CSV text (or is Arrow or Parquet). A known signature is
 * checked whatever the format the bytes would be taken for (a gzip header read as an Arrow stream's
 * length); bytes no text holds in the first line only where the file would be read as CSV (`csv`), since
 * Arrow and Parquet are binary.
 */
export function notCsvText(head: Uint8Array, csv: boolean): NotCsvText | null {
  for (const s of SIGNATURES) if (startsWith(head, s.magic)) return s.kind;
  if (startsWith(head, bytes('PK\x03\x04'))) return zipKind(head);
  if (csv && binaryInFirstLine(head))
    return { what: 'binary data (control bytes in its first line)', todo: GIVE_CSV };
  return null;
}
