/**
 * The ranges of a wide CSV table (parts.ts) read into cell columns: the first on the calling thread
 * while worker threads read the others, a range a job, or all in turn for one thread. Each part is
 * what readCellTablePart gives in-process, so the joined table does not depend on the thread count.
 */
import { InputError } from '../errors.js';
import { type WorkerFailure, WorkerPool } from '../worker-pool.js';
import { startWorker } from '../workers.js';
import type { CellColumnPart } from './cell-columns.js';
import type { CsvPart } from './parts.js';
import type { RowPlaces } from './row-places.js';

/** One range of a table read into its own columns: plain data, so it crosses threads as it is. */
export interface CellTablePart {
  readonly names: string[];
  readonly rowCount: number;
  /** Lines read, the part's copy of the header line included. */
  readonly lines: number;
  /** Places counted from the part's header line (its first record is line 2). */
  readonly places: RowPlaces;
  readonly columns: CellColumnPart[];
}

export interface CellTableJob {
  readonly path: string;
  readonly part: CsvPart;
  readonly text: readonly string[];
}

export type FromCellTableWorker = { kind: 'part'; part: CellTablePart | null } | WorkerFailure;

type ReadPart = (path: string, part: CsvPart, text: readonly string[]) => Promise<CellTablePart | null>;

/**
 * Every range's part, in file order; null when one is not clean, or when reading one met a problem
 * with the input (an InputError): the file is then read in one pass, which reports it.
 */
export async function cellTablePartsOnThreads(
  path: string,
  plan: readonly CsvPart[],
  text: readonly string[],
  threads: number,
  readPart: ReadPart,
): Promise<CellTablePart[] | null> {
  try {
    const parts =
      threads <= 1
        ? await inTurn(path, plan, text, readPart)
        : await onThreads(path, plan, text, threads, readPart);
    return parts.every((p) => p !== null) ? (parts as CellTablePart[]) : null;
  } catch (error) {
    if (error instanceof InputError) return null;
    throw error;
  }
}

async function inTurn(
  path: string,
  plan: readonly CsvPart[],
  text: readonly string[],
  readPart: ReadPart,
): Promise<(CellTablePart | null)[]> {
  const parts: (CellTablePart | null)[] = [];
  for (const part of plan) {
    const p = await readPart(path, part, text);
    parts.push(p);
    if (p === null) break;
  }
  return parts;
}

/**
 * The calling thread reads the first range itself: it would only wait otherwise, and the columns it
 * builds need no move between threads (a moved chunk stays in memory until a collection finds it,
 * and the collector does not count it, so it waits long after the join).
 */
async function onThreads(
  path: string,
  plan: readonly CsvPart[],
  text: readonly string[],
  threads: number,
  readPart: ReadPart,
): Promise<(CellTablePart | null)[]> {
  const pool = new WorkerPool<CellTableJob, FromCellTableWorker>(
    Math.min(threads - 1, plan.length - 1),
    () => startWorker(import.meta.url, 'cell-table-worker'),
    {
      failed: (job, f) =>
        `reading part of ${job.path} on a worker thread failed: ${f.message}\n${f.stack ?? ''}`,
      crashed: (message) => `a table reading thread failed: ${message}`,
      exited: () => 'a table reading thread stopped',
    },
  );
  try {
    const others = plan.slice(1).map((part) => pool.run({ path, part, text }).then((r) => r.part));
    return await Promise.all([readPart(path, plan[0]!, text), ...others]);
  } finally {
    await pool.terminate();
  }
}
