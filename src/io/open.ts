/**
 * Opening an input file and telling its format from the first bytes, not the name: gzip is unwrapped
 * on the fly and detected again; Arrow IPC file ("ARROW1"), Arrow IPC stream (continuation marker or the
 * legacy length prefix), otherwise CSV.
 */
import { type FileHandle, open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { InputError } from '../errors.js';
import type { FileFormat } from './types.js';

const CHUNK_BYTES = 1 << 20;

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
  const raw = fh.createReadStream({ highWaterMark: CHUNK_BYTES });
  let { head, bytes } = await peek(raw, 8);
  let gzip = false;
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    gzip = true;
    const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
    const piped = pipeInto(bytes, gunzip, path);
    ({ head, bytes } = await peek(piped, 8));
  }
  const reported = onProgress ? reporting(bytes, () => onProgress(raw.bytesRead, size)) : bytes;
  return { path, format: detectFormat(head), gzip, bytes: reported, close: () => raw.destroy() };
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

/** Format of (decompressed) content from its first bytes. */
export function detectFormat(head: Uint8Array): FileFormat {
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
      throw new InputError(`${path}: cannot decompress (${(err as Error).message})`, { cause: err });
    }
  })();
}
