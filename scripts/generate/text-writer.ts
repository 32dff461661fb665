/** A buffered text file writer, optionally gzipped, that respects backpressure when asked to drain. */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

const FLUSH_AT = 1 << 20;

export class TextWriter {
  private buffer = '';
  private readonly head: Writable;
  private readonly done: Promise<void>;

  constructor(path: string, gzip: boolean) {
    const file = createWriteStream(path);
    if (gzip) {
      const z = createGzip({ level: 6 });
      this.head = z;
      this.done = pipeline(z, file);
    } else {
      this.head = file;
      this.done = once(file, 'close').then(() => undefined);
    }
    this.done.catch(() => undefined); // surfaced by close()
  }

  write(text: string): void {
    this.buffer += text;
    if (this.buffer.length >= FLUSH_AT) this.flush();
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    this.head.write(this.buffer);
    this.buffer = '';
  }

  async drain(): Promise<void> {
    this.flush();
    if (this.head.writableNeedDrain) await once(this.head, 'drain');
  }

  async close(): Promise<void> {
    this.flush();
    this.head.end();
    await this.done;
  }
}
