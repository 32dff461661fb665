/** The state of one aggregateCdrFiles call: parts handed out to threads, absorbed in file order. */
import { DEFAULT_READ_OPTIONS } from '../options.js';
import { type CsvPart, UnsplittableFile } from '../parts.js';
import { checkBadShare, emptyReport } from '../rejects.js';
import type { FileReport, RejectReason, RejectSink } from '../types.js';
import type { CdrAggregating, CdrAggregation, CdrFilesOptions } from './options.js';
import { type PartJob, type PartRead, readPart } from './part.js';
import { type PartOutcome, PartWorkers, UNSPLITTABLE } from './pool.js';
import { readCdr } from './read-file.js';

/** Bad rows a part holds for the rejects file; beyond it the file is read in one pass. */
const KEPT_REJECTS = 100_000;
/** Bad rows kept in a file's report for display, as readCdr keeps them. */
const SAMPLE_LIMIT = DEFAULT_READ_OPTIONS.sampleLimit;

export interface Unit {
  /** Position among all parts of all files. */
  readonly id: number;
  readonly file: number;
  readonly path: string;
  readonly part: CsvPart | null;
  /** Position among the file's parts. */
  readonly index: number;
  /** id of the file's last part. */
  readonly last: number;
}

export class Run<S, P, R> {
  private readonly run: CdrAggregating<P, R>;
  /** The last absorbed part, held back: if nothing comes after it, finish() takes it more cheaply. */
  private tail: P | null = null;
  private readonly reports: FileReport[] = [];
  private readBefore = 0;

  // Parallel reading: parts are handed out in order, at most WINDOW ahead of the first not absorbed.
  private units: Unit[] = [];
  private outcomes: (PartOutcome<P> | undefined)[] = [];
  private readonly progress = new Map<number, number>();
  private handedOut = 0;
  private absorbed = 0;
  private window = 0;
  /** Files read in one pass on this thread, in their turn. */
  private readonly whole = new Set<number>();
  private failure: Error | null = null;
  private waiting: (() => void)[] = [];
  private draining = false;

  private readonly total: number;

  constructor(
    private readonly aggregation: CdrAggregation<S, P, R>,
    private readonly setup: S,
    private readonly o: CdrFilesOptions,
    private readonly sizes: readonly number[],
  ) {
    this.run = aggregation.create(setup);
    this.total = sizes.reduce((a, b) => a + b, 0);
  }

  result(): { aggregates: R; reports: FileReport[] } {
    return { aggregates: this.run.aggregator.finish(this.tail ?? undefined), reports: this.reports };
  }

  /** Reads a file in one pass on this thread, straight into the aggregate. */
  async onePass(path: string, file: number): Promise<void> {
    this.absorbTail();
    const o = this.o;
    const sink = this.run.sink;
    const base = this.readBefore;
    const options = {
      countSubscribers: false,
      config: o.config,
      rejects: o.rejects,
      sampleLimit: SAMPLE_LIMIT,
    };
    const onProgress = o.onProgress;
    const report = await readCdr(
      path,
      sink,
      onProgress
        ? { ...options, onProgress: (read: number) => onProgress(base + read, this.total) }
        : options,
    );
    this.fileDone(report, file);
  }

  async parallel(units: Unit[], threads: number): Promise<void> {
    this.units = units;
    this.outcomes = new Array<PartOutcome<P> | undefined>(units.length).fill(undefined);
    this.window = 2 * threads;
    const workers = new PartWorkers(this.aggregation, threads - 1);
    try {
      const here = (u: Unit) =>
        readPart(this.aggregation, this.job(u), (bytes) => {
          if (this.whole.has(u.file) || this.failure) throw new UnsplittableFile('stopped');
          this.onPartProgress(u, bytes);
        }).catch((err: unknown): PartOutcome<P> => {
          if (err instanceof UnsplittableFile) return UNSPLITTABLE;
          throw err;
        });
      await Promise.all([
        this.runner(here),
        ...Array.from({ length: threads - 1 }, () =>
          this.runner((u) => workers.run(this.job(u), (bytes) => this.onPartProgress(u, bytes))),
        ),
      ]);
      await this.drain();
      if (this.failure) throw this.failure;
    } finally {
      await workers.terminate();
    }
  }

  private job(u: Unit): PartJob<S> {
    const o = this.o;
    return {
      path: u.path,
      part: u.part,
      index: u.index,
      config: o.config,
      setup: this.setup,
      keptRejects: o.rejects ? (o.keptRejects ?? KEPT_REJECTS) : 0,
      sampleLimit: SAMPLE_LIMIT,
    };
  }

  /** Takes parts in order and reads them with `read`, until none is left or the run fails. */
  private async runner(read: (u: Unit) => Promise<PartOutcome<P>>): Promise<void> {
    for (;;) {
      if (this.failure) return;
      while (this.handedOut < this.units.length && this.whole.has(this.units[this.handedOut]!.file))
        this.handedOut++;
      if (this.handedOut >= this.units.length) return;
      if (this.handedOut >= this.absorbed + this.window) {
        await new Promise<void>((resolve) => this.waiting.push(resolve));
        continue;
      }
      const u = this.units[this.handedOut++]!;
      try {
        const outcome = await read(u);
        if (outcome === UNSPLITTABLE) this.whole.add(u.file);
        // A part of a file already read whole, or dropped, is not kept.
        if (u.id >= this.absorbed) this.outcomes[u.id] = outcome;
        await this.drain();
      } catch (err) {
        this.fail(err as Error);
      }
    }
  }

  /** Absorbs, in file order, every file whose parts are all read; reads whole files in their turn. */
  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.absorbed < this.units.length && !this.failure) {
        const first = this.units[this.absorbed]!;
        if (this.whole.has(first.file)) {
          await this.onePass(first.path, first.file);
        } else {
          const outcomes = this.outcomes.slice(first.id, first.last + 1);
          if (outcomes.some((r) => r === undefined)) return;
          if (outcomes.includes(UNSPLITTABLE)) {
            this.whole.add(first.file);
            continue;
          }
          const reads = outcomes as PartRead<P>[];
          const report = joinParts(first.path, reads, this.o.rejects);
          checkBadShare(report, this.o.config.input.max_bad_row_share);
          for (const r of reads) {
            this.absorbTail();
            this.tail = r.partial;
          }
          this.fileDone(report, first.file);
        }
        this.outcomes.fill(undefined, first.id, first.last + 1);
        for (const id of this.progress.keys()) if (id <= first.last) this.progress.delete(id);
        this.absorbed = first.last + 1;
        this.wake();
      }
    } catch (err) {
      this.fail(err as Error);
    } finally {
      this.draining = false;
    }
  }

  private onPartProgress(u: Unit, bytes: number): void {
    this.progress.set(u.id, bytes);
    let read = this.readBefore;
    for (const [id, b] of this.progress) if (id >= this.absorbed) read += b;
    this.o.onProgress?.(read, this.total);
  }

  private fileDone(report: FileReport, file: number): void {
    this.readBefore += this.sizes[file]!;
    this.reports.push(report);
    this.o.onFile?.(report);
  }

  private absorbTail(): void {
    if (this.tail !== null) this.run.aggregator.absorb(this.tail);
    this.tail = null;
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.wake();
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) w();
  }
}

/**
 * One file's report from its parts' reports, as one pass would have written it: a part numbers its
 * header line 1 and its range from line 2, so each part's lines shift by the lines of the parts
 * before it. Rejects go to `rejects` in file order.
 */
export function joinParts(
  path: string,
  reads: readonly PartRead<unknown>[],
  rejects: RejectSink | null,
): FileReport {
  const first = reads[0]!.report;
  const report = { ...emptyReport(path, 'cdr'), format: first.format, gzip: first.gzip };
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
