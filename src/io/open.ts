/**
 * Opening an input file and telling its format from the first bytes, not the name: gzip is unwrapped
 * on the fly and detected again; Parquet ("PAR1"), Arrow IPC file ("ARROW1"), Arrow IPC stream
 * (continuation marker or the legacy length prefix), otherwise CSV, whatever the file is named. Text in UTF-16 or UTF-32 (by its byte order mark, or by the
 * NUL bytes of ASCII characters in those encodings) is refused with what to do about it, and so is a
 * file that is not CSV text at all (a workbook, an image, binary data: binary-files.ts).
 */
import { type FileHandle, open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { echoBare } from '../echo.js';
import { InputError } from '../errors.js';
import { notCsvText } from './binary-files.js';
import type { FileFormat } from './types.js';

const CHUNK_BYTES = 1 << 20;
/** Bytes peeked at to tell a file's format, encoding, or what it is when it is not CSV text. */
const PEEK_BYTES = 4096;

export interface OpenedInput {
  readonly path: string;
  readonly format: FileFormat;
  readonly gzip: boolean;
  /** The (decompressed) bytes from the start, including the peeked head. */
  readonly bytes: AsyncIterable<Buffer>;
  /** Releases the file when reading stops early. */
  close(): void;
}

/** Called as a file is read: bytes read from disk so far (compressed, for gzip) and the file's size. */
export type OnReadProgress = (bytesRead: number, fileBytes: number) => void;

/** Opens `path` for reading; a missing or unreadable file is an InputError naming it. */
export async function openInput(path: string, onProgress?: OnReadProgress): Promise<OpenedInput> {
  let size = 0;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new InputError(`${path}: not a file`);
    size = st.size;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? err})`, {
      cause: err,
    });
  }
  const fh = await openFile(path);
  // Read before the stream starts, which reads the same file handle.
  const tail = await fileTail(fh, size);
  const raw = fh.createReadStream({ highWaterMark: CHUNK_BYTES });
  let { head, bytes } = await peek(raw, PEEK_BYTES);
  let gzip = false;
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    gzip = true;
    const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
    const piped = pipeInto(bytes, gunzip, path);
    ({ head, bytes } = await peek(piped, PEEK_BYTES));
  }
  const encoding = textEncoding(head);
  if (encoding !== null) {
    raw.destroy();
    throw new InputError(
      `${path}: the file${gzip ? ' (once unzipped)' : ''} is ${encoding} text; save it as UTF-8`,
    );
  }
  // The tail is the compressed file's when it is gzip: the unzipped content's end is not known yet.
  const format = detectFormat(head, gzip ? undefined : tail);
  const binary = notCsvText(head, format === 'csv');
  if (binary !== null) {
    raw.destroy();
    throw new InputError(
      `${path}: not a CSV text file: it${gzip ? ' (once unzipped)' : ''} looks like ${binary.what}; ${binary.todo}`,
    );
  }
  const reported = onProgress ? reporting(bytes, () => onProgress(raw.bytesRead, size)) : bytes;
  return { path, format, gzip, bytes: reported, close: () => raw.destroy() };
}

async function* reporting(source: AsyncIterable<Buffer>, report: () => void): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    yield chunk;
    report();
  }
}

/** Opens `path` for reading; failing to is an InputError naming the file and the reason. */
export async function openFile(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (err) {
    throw new InputError(`${path}: cannot open the file (${(err as NodeJS.ErrnoException).code ?? err})`, {
      cause: err,
    });
  }
}

/**
 * The last bytes of an open file of `size` bytes, where a Parquet file repeats its magic "PAR1": the
 * `tail` detectFormat takes (fewer bytes for a shorter file).
 */
export async function fileTail(fh: FileHandle, size: number): Promise<Buffer> {
  const tail = Buffer.alloc(Math.min(4, size));
  const { bytesRead } = await fh.read(tail, 0, tail.length, size - tail.length);
  return tail.subarray(0, bytesRead);
}

/**
 * Format of (decompressed) content from its first bytes and, when known, the file's last bytes.
 * After Parquet's magic comes a binary page header (or the footer), and the file ends with the magic
 * again; a CSV header such as "PAR1,..." goes on with text and ends otherwise. A file that starts and
 * ends with the magic is Parquet whatever follows it, so that one damaged there is refused as Parquet.
 */
export function detectFormat(head: Uint8Array, tail?: Uint8Array): FileFormat {
  const magic = (b: Uint8Array | undefined, at: number) =>
    b !== undefined &&
    b.length >= at + 4 &&
    Buffer.from(b.subarray(at, at + 4)).toString('latin1') === 'PAR1';
  if (
    magic(head, 0) &&
    (head.length === 4 || !isTextByte(head[4]!) || (tail !== undefined && magic(tail, tail.length - 4)))
  )
    return 'parquet';
  if (head.length >= 6 && Buffer.from(head.subarray(0, 6)).toString('latin1') === 'ARROW1')
    return 'arrow-file';
  if (head.length >= 8) {
    const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const first = dv.getInt32(0, true);
    if (first === -1) return 'arrow-stream';
    // Legacy streams start with the metadata length. Text starts with printable bytes, which as a
    // little-endian int32 is far above this bound, so the check cannot mistake a CSV for Arrow.
    if (first > 0 && first < 1 << 24) return 'arrow-stream';
  }
  return 'csv';
}

/** Bytes of the head looked at for the NUL bytes of UTF-16 or UTF-32 text without a byte order mark. */
const SNIFF_BYTES = 256;

/**
 * The encoding of text that is UTF-16 or UTF-32 rather than UTF-8 ("UTF-16LE" and so on), from its
 * byte order mark, or without one from the NUL byte beside each ASCII character of a header line;
 * null for anything else (UTF-8, Arrow, binary).
 */
export function textEncoding(head: Uint8Array): string | null {
  const b = (i: number) => (i < head.length ? head[i]! : -1);
  if (b(0) === 0xff && b(1) === 0xfe && b(2) === 0 && b(3) === 0) return 'UTF-32LE';
  if (b(0) === 0 && b(1) === 0 && b(2) === 0xfe && b(3) === 0xff) return 'UTF-32BE';
  if (b(0) === 0xff && b(1) === 0xfe) return 'UTF-16LE';
  if (b(0) === 0xfe && b(1) === 0xff) return 'UTF-16BE';
  const n = Math.min(head.length, SNIFF_BYTES) & ~3;
  if (n < 8) return null;
  if (everyUnit(head, n, 4, 0)) return 'UTF-32LE';
  if (everyUnit(head, n, 4, 3)) return 'UTF-32BE';
  if (everyUnit(head, n, 2, 0)) return 'UTF-16LE';
  if (everyUnit(head, n, 2, 1)) return 'UTF-16BE';
  return null;
}

/**
 * True when nearly every `size`-byte unit of head[0, n) is an ASCII text character at byte `at` and
 * NUL elsewhere (the first unit always). An Arrow stream's length prefix and metadata never are.
 */
function everyUnit(head: Uint8Array, n: number, size: number, at: number): boolean {
  let ascii = 0;
  for (let u = 0; u < n; u += size) {
    let ok = isTextByte(head[u + at]!);
    for (let k = 0; k < size && ok; k++) if (k !== at && head[u + k] !== 0) ok = false;
    if (ok) ascii++;
    else if (u === 0) return false;
  }
  return ascii * 10 >= (n / size) * 9;
}

/** Printable ASCII, tab, CR or LF. */
function isTextByte(c: number): boolean {
  return (c >= 0x20 && c < 0x7f) || c === 9 || c === 10 || c === 13;
}

/** Reads until `n` bytes are buffered (or the end), returning them and an iterable replaying everything. */
async function peek(
  source: AsyncIterable<Buffer>,
  n: number,
): Promise<{ head: Buffer; bytes: AsyncIterable<Buffer> }> {
  const it = source[Symbol.asyncIterator]();
  const first: Buffer[] = [];
  let have = 0;
  let done = false;
  while (have < n) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    first.push(r.value);
    have += r.value.length;
  }
  const head = Buffer.concat(first);
  async function* replay(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  return { head, bytes: replay() };
}

/** Feeds an iterable of bytes through a transform, honouring backpressure; errors name the file. */
function pipeInto(
  source: AsyncIterable<Buffer>,
  t: NodeJS.ReadWriteStream,
  path: string,
): AsyncIterable<Buffer> {
  (async () => {
    try {
      for await (const chunk of source) {
        if (!t.write(chunk)) await new Promise((resolve) => t.once('drain', resolve));
      }
      t.end();
    } catch (err) {
      (t as unknown as { destroy(e: Error): void }).destroy(err as Error);
    }
  })();
  return (async function* () {
    try {
      for await (const chunk of t as AsyncIterable<Buffer>) yield chunk;
    } catch (err) {
      const why = echoBare((err as Error).message);
      throw new InputError(`${path}: cannot unzip the file: it is truncated or damaged gzip (${why})`, {
        cause: err,
      });
    }
  })();
}
