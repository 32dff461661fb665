/**
 * Splitting a plain CSV file into byte ranges that threads read side by side. Each part is read as
 * the file's header line followed by its own range, and every range but the first starts just after
 * a line break, so each line of the file belongs to exactly one part.
 *
 * A line break inside a quoted field also looks like a line start. A part is read as if its first
 * line began a record, which holds when the part before it ended outside quotes; if it did not, that
 * part's reader met a quoted field never closed, and reports it (as a quote problem). So parts read
 * with no quote problem are exactly the file, and otherwise the caller reads the file in one pass
 * (UnsplittableFile). gzip and Arrow files are never split.
 */
import { open } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { notCsvText } from './binary-files.js';
import { detectFormat, fileTail, type OnReadProgress, openFile, textEncoding } from './open.js';

/** One part of a CSV file: its header line is bytes [0, headerEnd), its records [start, end). */
export interface CsvPart {
  readonly headerEnd: number;
  readonly start: number;
  readonly end: number;
}

/** Thrown while reading a part that cannot be read apart from the rest of its file. */
export class UnsplittableFile extends Error {}

const CHUNK_BYTES = 1 << 20;
/** Bytes searched for a line break after a cut; a longer line leaves the file whole. */
const PROBE_BYTES = 1 << 16;
const NEWLINE = 0x0a;
const CR = 0x0d;

/**
 * Up to `parts` ranges of the file at `path` of at least `minPartBytes` each, or null when the file
 * is not a plain (uncompressed) CSV, is too small to be worth splitting, or has a line longer than
 * the probe around a cut.
 */
export async function planParts(
  path: string,
  parts: number,
  minPartBytes: number,
): Promise<CsvPart[] | null> {
  if (parts < 2) return null;
  const fh = await open(path, 'r').catch(() => null);
  if (fh === null) return null; // the ordinary reader reports why
  try {
    const size = (await fh.stat()).size;
    const n = Math.min(parts, Math.floor(size / minPartBytes));
    if (n < 2) return null;
    const head = Buffer.alloc(PROBE_BYTES);
    const { bytesRead } = await fh.read(head, 0, PROBE_BYTES, 0);
    // Anything but plain CSV text is left whole, for the ordinary reader to read or refuse.
    if (
      (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) ||
      detectFormat(head.subarray(0, bytesRead), await fileTail(fh, size)) !== 'csv' ||
      textEncoding(head.subarray(0, bytesRead)) !== null ||
      notCsvText(head.subarray(0, bytesRead), true) !== null
    )
      return null;
    const headerEnd = head.subarray(0, bytesRead).indexOf(NEWLINE) + 1;
    if (headerEnd < 2) return null;
    // A file whose header line ends in CRLF ends its records with CRLF: a bare LF is then part of a
    // field (the header line decides, csv/chunks.ts), so a cut is made only after a CRLF.
    const crlf = head[headerEnd - 2] === CR;
    const cuts = [headerEnd];
    for (let k = 1; k < n; k++) {
      const at = headerEnd + Math.floor(((size - headerEnd) * k) / n);
      // From the byte before at - 1, to see what precedes a line break found at at - 1.
      const { bytesRead: got } = await fh.read(head, 0, PROBE_BYTES, at - 2);
      const probe = head.subarray(0, got);
      let nl = probe.indexOf(NEWLINE, 1);
      while (crlf && nl > 0 && probe[nl - 1] !== CR) nl = probe.indexOf(NEWLINE, nl + 1);
      if (nl < 0) return null;
      const cut = at - 1 + nl; // just after the line break found at or after at - 1
      if (cut > cuts[cuts.length - 1]! && cut < size) cuts.push(cut);
    }
    if (cuts.length < 2) return null;
    cuts.push(size);
    return cuts.slice(0, -1).map((start, k) => ({ headerEnd, start, end: cuts[k + 1]! }));
  } finally {
    await fh.close();
  }
}

/**
 * The bytes of a part: the header line, then the range, in one buffer reused from chunk to chunk
 * (copy what you keep); reports progress as bytes of the range read.
 */
export async function* partBytes(
  path: string,
  part: CsvPart,
  onProgress?: OnReadProgress,
): AsyncGenerator<Buffer> {
  const fh = await openFile(path);
  try {
    const header = Buffer.alloc(part.headerEnd);
    await fh.read(header, 0, part.headerEnd, 0);
    yield header;
    const total = part.end - part.start;
    // One buffer for every chunk: the reader is done with a chunk when it asks for the next. A fresh
    // megabyte per chunk cost page faults that two threads of one process pay one after the other.
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, total));
    let done = 0;
    while (done < total) {
      const { bytesRead } = await fh.read(chunk, 0, Math.min(chunk.length, total - done), part.start + done);
      if (bytesRead === 0) throw new InputError(`${path}: the file shrank while it was read`);
      const bytes = chunk.subarray(0, bytesRead);
      done += bytesRead;
      yield bytes;
      onProgress?.(done, total);
    }
  } finally {
    await fh.close();
  }
}
