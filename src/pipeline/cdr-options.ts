/** How a run's CDR files are read (cdr-read.ts), shared with the run state that reads them (cdr-run.ts). */
import type { Config } from '../config.js';
import type { FileReport, RejectSink } from '../io/types.js';
import type { Shard } from './shard.js';

export interface CdrReadOptions {
  readonly config: Config;
  /** Where every bad row goes, or null. */
  readonly rejects: RejectSink | null;
  /** Keep only this shard's subscribers' events. */
  readonly shard?: Shard;
  /** Threads reading (0 = as many as fit: see readingThreads; 1 = one pass on this thread). */
  readonly threads: number;
  /** Subscribers expected (e.g. those billed), to keep the reading threads' memory in bounds. */
  readonly subscribers?: number;
  readonly minPartBytes?: number;
  /** Bad rows a part keeps for the rejects file before its file is read in one pass instead. */
  readonly keptRejects?: number;
  /** Told as the files are read: bytes of all of them read so far, and their size. */
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Told when a file has been read, in file order. */
  readonly onFile?: (report: FileReport) => void;
}
