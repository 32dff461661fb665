/**
 * Reading a run's CDR files into one aggregate, on several threads when a file allows it. A plain
 * CSV file is cut into byte ranges (io/parts.ts); this thread and worker threads each read and
 * aggregate one range, and the parts are absorbed in file order, with their line numbers, rejects and counts put
 * back together, so the result is exactly that of one pass: the same aggregates, reports and
 * rejects whatever the thread count. gzip and Arrow files, small files, and files the parts cannot
 * read alone (quoted fields, more bad rows than a part holds) are read in one pass.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { Config } from '../config.js';
import { InputError, InternalError } from '../errors.js';
import { type CdrAggregates, type CdrPartial, createCdrAggregator } from '../features/cdr.js';
import { readCdr } from '../io/cdr.js';
import { DEFAULT_READ_OPTIONS } from '../io/options.js';
import { type CsvPart, planParts, UnsplittableFile } from '../io/parts.js';
import { checkBadShare, emptyReport } from '../io/rejects.js';
import type { FileReport, RejectReason, RejectSink } from '../io/types.js';
import { startWorker } from '../workers.js';
import { type PartJob, type PartRead, readPart } from './cdr-part.js';
import { type Shard, shardSink } from './shard.js';

/** Parts smaller than this are not worth a thread: a worker takes tens of milliseconds to start. */
export const MIN_PART_BYTES = 16 << 20;
/** Bad rows a part holds for the rejects file; beyond it the file is read in one pass. */
const KEPT_REJECTS = 100_000;
/** Bad rows kept in a file's report for display, as readCdr keeps them. */
const SAMPLE_LIMIT = DEFAULT_READ_OPTIONS.sampleLimit;

export type FromCdrWorker =
  | { kind: 'progress'; index: number; bytes: number }
  | ({ kind: 'part' } & PartRead)
  | { kind: 'unsplittable'; index: number; why: string }
  | { kind: 'error'; index: number; input: boolean; message: string; stack?: string };

export interface CdrReadOptions {
  readonly config: Config;
  /** Where every bad row goes, or null. */
  readonly rejects: RejectSink | null;
  /** Keep only this shard's subscribers' events. */
  readonly shard?: Shard;
  /** Threads reading one file (0 = all cores, 1 = one pass on this thread). */
  readonly threads: number;
  readonly minPartBytes?: number;
  /** Told as each file is read (bytes of the file read so far, its size). */
  readonly onProgress?: (path: string, bytesRead: number, fileBytes: number) => void;
  /** Told when a file has been read, before the next one starts. */
  readonly onFile?: (report: FileReport) => void;
}

/** Reads the CDR files in order into one aggregate; throws InputError as readCdr does. */
export async function readCdrFiles(
  paths: readonly string[],
  o: CdrReadOptions,
): Promise<{ aggregates: CdrAggregates; reports: FileReport[] }> {
  const aggregator = createCdrAggregator(o.config);
  let tail: CdrPartial | null = null;
  const threads = o.threads === 0 ? availableParallelism() : o.threads;
  const pool = new PartPool();
  const reports: FileReport[] = [];
  try {
    for (const path of paths) {
      const onProgress = o.onProgress
        ? (read: number, size: number) => o.onProgress!(path, read, size)
        : undefined;
      const parts = await planParts(path, threads, o.minPartBytes ?? MIN_PART_BYTES);
      const job = { config: o.config, shard: o.shard ?? null, keptRejects: o.rejects ? KEPT_REJECTS : 0 };
      const reads = parts ? await readParts(pool, path, parts, job, onProgress) : null;
      let report: FileReport;
      if (reads) {
        report = joinParts(path, reads, o.rejects);
        checkBadShare(report, o.config.input.max_bad_row_share);
        // The last part waits: if nothing comes after it, finish() takes it more cheaply.
        for (const r of reads) {
          if (tail) aggregator.absorb(tail);
          tail = r.partial;
        }
      } else {
        if (tail) aggregator.absorb(tail);
        tail = null;
        const sink = o.shard ? shardSink(aggregator, o.shard) : aggregator;
        const options = {
          countSubscribers: false,
          config: o.config,
          rejects: o.rejects,
          sampleLimit: SAMPLE_LIMIT,
        };
        report = await readCdr(path, sink, onProgress ? { ...options, onProgress } : options);
      }
      reports.push(report);
      o.onFile?.(report);
    }
  } finally {
    await pool.close();
  }
  return { aggregates: aggregator.finish(tail ?? undefined), reports };
}

/**
 * One file's report from its parts' reports, as one pass would have written it: a part numbers its
 * header line 1 and its range from line 2, so each part's lines shift by the lines of the parts
 * before it. Rejects go to `rejects` in file order.
 */
export function joinParts(path: string, reads: readonly PartRead[], rejects: RejectSink | null): FileReport {
  const report = emptyReport(path, 'cdr');
  const first = reads[0]!.report;
  report.ignoredColumns.push(...first.ignoredColumns);
  report.notices.push(...first.notices);
  report.subscribers = null;
  let shift = 0;
  for (const { report: r, lines, rejects: kept } of reads) {
    report.rows += r.rows;
    report.accepted += r.accepted;
    report.rejected += r.rejected;
    for (const [reason, n] of Object.entries(r.byReason) as [RejectReason, number][])
      report.byReason[reason] = (report.byReason[reason] ?? 0) + n;
    for (const s of r.sample)
      if (report.sample.length < SAMPLE_LIMIT) report.sample.push({ ...s, line: s.line + shift });
    if (rejects) for (const s of kept) rejects.write({ ...s, line: s.line + shift });
    shift += lines - 1;
  }
  return report;
}

type Job = Pick<PartJob, 'config' | 'shard' | 'keptRejects'>;

/**
 * Reads the parts of a file: the first on this thread (no worker to start, no state to post), the
 * others on worker threads. Null when a part cannot be read alone; the other parts then stop.
 */
async function readParts(
  pool: PartPool,
  path: string,
  parts: readonly CsvPart[],
  job: Job,
  onProgress?: (bytesRead: number, fileBytes: number) => void,
): Promise<PartRead[] | null> {
  const size = parts[parts.length - 1]!.end;
  const done = new Array<number>(parts.length).fill(0);
  let stopped = false;
  const progress = (index: number, bytes: number): void => {
    if (stopped) throw new UnsplittableFile('stopped: another part cannot be read alone');
    done[index] = bytes;
    onProgress?.(
      done.reduce((a, b) => a + b, parts[0]!.start),
      size,
    );
  };
  const stop = (): void => {
    stopped = true;
    void pool.close();
  };
  const others = pool.read(path, parts, 1, job, progress).then((r) => {
    if (r === null) stop();
    return r;
  });
  const first = readPart({ ...job, path, part: parts[0]!, index: 0, sampleLimit: SAMPLE_LIMIT }, (b) =>
    progress(0, b),
  ).catch((err: unknown) => {
    if (!(err instanceof UnsplittableFile)) throw err;
    stop();
    return null;
  });
  try {
    const [head, rest] = await Promise.all([first, others]);
    return head === null || rest === null ? null : [head, ...rest];
  } catch (err) {
    stop();
    throw err;
  }
}

/** Worker threads kept across the files of a run; dropped when a file turns out unsplittable. */
class PartPool {
  private workers: Worker[] = [];

  /** Reads parts[from..] on workers: their reads in order, or null when one could not be read alone. */
  async read(
    path: string,
    parts: readonly CsvPart[],
    from: number,
    job: Job,
    progress: (index: number, bytes: number) => void,
  ): Promise<PartRead[] | null> {
    const n = parts.length - from;
    while (this.workers.length < n) this.workers.push(startWorker(import.meta.url, 'cdr-worker'));
    const reads = new Array<PartRead>(n);
    const active = this.workers.slice(0, n);
    const detach: (() => void)[] = [];
    try {
      return await new Promise<PartRead[] | null>((resolve, reject) => {
        let left = n;
        active.forEach((w, k) => {
          const onMessage = (m: FromCdrWorker): void => {
            if (m.kind === 'progress') progress(m.index, m.bytes);
            else if (m.kind === 'part') {
              reads[m.index - from] = m;
              if (--left === 0) resolve(reads);
            } else if (m.kind === 'unsplittable') resolve(null);
            else
              reject(
                m.input
                  ? new InputError(m.message)
                  : new InternalError(
                      `reading ${path} on a worker thread failed: ${m.message}\n${m.stack ?? ''}`,
                    ),
              );
          };
          const onError = (err: Error): void =>
            reject(new InternalError(`a CDR reading thread failed: ${err.message}`, { cause: err }));
          // A worker stopped by close() (another part could not be read alone) ends its part too.
          const onExit = (): void => resolve(null);
          w.on('message', onMessage);
          w.on('error', onError);
          w.on('exit', onExit);
          detach.push(() => {
            w.off('message', onMessage);
            w.off('error', onError);
            w.off('exit', onExit);
          });
          const index = from + k;
          w.postMessage({
            ...job,
            path,
            part: parts[index]!,
            index,
            sampleLimit: SAMPLE_LIMIT,
          } satisfies PartJob);
        });
      });
    } finally {
      for (const d of detach) d();
    }
  }

  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
