/**
 * Reading one part of a CDR file (a byte range, or a whole file) into its own aggregator: on a worker
 * thread, or on the main one.
 */
import { type CsvPart, UnsplittableFile } from '../parts.js';
import type { FileReport, ReadSettings, Reject, RejectSink } from '../types.js';
import type { CdrAggregation } from './options.js';
import { readCdrPart } from './read.js';

export interface PartJob<S> {
  path: string;
  /** A byte range of a plain CSV file, or null for the whole file (any format). */
  part: CsvPart | null;
  index: number;
  config: ReadSettings;
  /** What the part's aggregator is made from (see CdrAggregation). */
  setup: S;
  /** Rejects to keep for the rejects file (0 = none is written). */
  keptRejects: number;
  sampleLimit: number;
}

export interface PartRead<P> {
  index: number;
  report: FileReport;
  /** Lines read, the part's copy of the header line included. */
  lines: number;
  rejects: Reject[];
  partial: P;
}

/** Reads the part; throws UnsplittableFile when it cannot be read apart from the rest of the file. */
export async function readPart<S, P>(
  aggregation: CdrAggregation<S, P, unknown>,
  job: PartJob<S>,
  onProgress?: (bytesRead: number) => void,
): Promise<PartRead<P>> {
  const { sink, aggregator } = aggregation.create(job.setup);
  const rejects: Reject[] = [];
  const keep: RejectSink | null =
    job.keptRejects > 0
      ? {
          write(r) {
            // Too many to hold: the whole file is read in one pass instead, streaming its rejects.
            if (rejects.length === job.keptRejects)
              throw new UnsplittableFile(`more than ${job.keptRejects} bad rows`);
            rejects.push(r);
          },
        }
      : null;
  const read = await readCdrPart(job.path, job.part, sink, keep, {
    config: job.config,
    sampleLimit: job.sampleLimit,
    ...(onProgress ? { onProgress } : {}),
  });
  // A part that met broken quotes may have begun inside a quoted field: see io/parts.ts.
  if (job.part !== null && read.quoteProblems > 0)
    throw new UnsplittableFile(`${job.path}: quotes across parts`);
  return { index: job.index, report: read.report, lines: read.lines, rejects, partial: aggregator.partial() };
}
