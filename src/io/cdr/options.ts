/**
 * How a run's CDR files are read (files.ts), shared with the run state that reads them (run.ts),
 * and what their events are read into. io/ reads the files; what the events become is the
 * caller's aggregation (the CDR features' aggregator, behind a shard's filter, in pipeline/cdr.ts),
 * made once for the run and once per part on each reading thread.
 */
import type { CdrSink } from '../../contract.js';
import type { FileReport, ReadSettings, RejectSink } from '../types.js';

/** One aggregator: the sink events go to, and what it holds as plain data, merged in file order. */
export interface CdrAggregating<P, R> {
  /** Where the events go: the aggregator itself, or a filter in front of it. */
  readonly sink: CdrSink;
  readonly aggregator: {
    /** What the aggregator holds, as data a worker thread can post (see CdrAggregation.transfer). */
    partial(): P;
    /** Adds a part's partial, as if its events came after those already held. */
    absorb(partial: P): void;
    /** The run's result; `tail`, the last part's partial, is taken as if absorbed first. */
    finish(tail?: P): R;
  };
}

/**
 * What a run's CDR events are aggregated into: S is plain data (the aggregation's own settings
 * included) each reading thread gets to make its aggregator.
 */
export interface CdrAggregation<S, P, R> {
  create(setup: S): CdrAggregating<P, R>;
  /** The buffers of a partial a worker thread hands over rather than copies. */
  transfer(partial: P): ArrayBuffer[];
  /**
   * The worker thread entry: the module `name` beside `callerUrl` (as workers.ts startWorker finds
   * it), which calls serveCdrParts with this aggregation.
   */
  readonly worker: { readonly callerUrl: string; readonly name: string };
}

export interface CdrFilesOptions {
  readonly config: ReadSettings;
  /** Where every bad row goes, or null. */
  readonly rejects: RejectSink | null;
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
