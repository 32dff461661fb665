/** Shapes shared by the readers: formats, bad-row reasons, per-file reports and read options. */
import type { Config } from '../config.js';
import type { FileKind } from '../contract.js';

/** What the first bytes say a file is. `gzip` is unwrapped first and recorded separately. */
export type FileFormat = 'csv' | 'arrow-file' | 'arrow-stream' | 'parquet';

export const REJECT_REASONS = [
  'malformed_row',
  'missing_value',
  'bad_month',
  'bad_date',
  'bad_datetime',
  'bad_number',
  'negative_value',
  'not_integer',
  'unknown_value',
  'duplicate_key',
  'invalid_utf8',
  'activation_after_month',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** One bad row. `line` is the file line for CSV (header = 1) and the record number for Arrow and Parquet ("row N"). */
export interface Reject {
  readonly file: string;
  readonly line: number;
  /** Canonical column name, or null when the whole row is wrong. */
  readonly column: string | null;
  readonly reason: RejectReason;
  readonly value: string;
  readonly message: string;
}

export interface FileReport {
  readonly path: string;
  readonly kind: FileKind;
  readonly format: FileFormat;
  readonly gzip: boolean;
  /** Data records read (header excluded); always accepted + rejected. */
  rows: number;
  accepted: number;
  rejected: number;
  readonly byReason: Partial<Record<RejectReason, number>>;
  /** The first bad rows of this file, in file order (at most `sampleLimit`). */
  readonly sample: Reject[];
  /** Billing months seen among accepted rows, as month indices, ascending. */
  months: number[];
  /** Distinct subscribers among accepted rows; null when the read was asked not to count them. */
  subscribers: number | null;
  /** Extra columns that are not numeric and were dropped. */
  readonly ignoredColumns: string[];
  /** Extra numeric columns kept as `x_<name>` (billing only). */
  readonly extraColumns: string[];
  /** One-line notices for the command to log (ignored columns and the like). */
  readonly notices: string[];
}

/** Where every reject goes besides the in-memory sample. */
export interface RejectSink {
  write(r: Reject): void;
}

/**
 * - `fail`: after each file, throw InputError when its bad-row share exceeds the configured limit.
 * - `report`: never throw for bad rows; the caller reads the counts (what `retain validate` does).
 */
export type BadRowPolicy = 'fail' | 'report';

/**
 * What the readers read from the config (each field defined once, in config.ts): each file kind's
 * column mapping, and the bad-row share a file may hold.
 */
export type ReadSettings = Pick<Config, 'columns' | 'input'>;

export interface ReadOptions {
  config: ReadSettings;
  badRows: BadRowPolicy;
  /** A CSV path receiving every reject (written atomically), or an open sink shared by several reads. */
  rejects: string | RejectSink | null;
  /** Bad rows kept in memory per file for display. */
  sampleLimit: number;
  /** Told as each file is read (bytes read, file size), for a progress bar; null = nobody asks. */
  onProgress: ((bytesRead: number, fileBytes: number) => void) | null;
  /**
   * Count distinct subscribers per CDR file (FileReport.subscribers). `retain validate` shows it; a
   * scoring or training run turns it off, since its aggregator indexes every id already and the count
   * is a second random lookup per row.
   */
  countSubscribers: boolean;
  /**
   * Read clean plain-CSV CDR rows straight from their bytes (cdr/plain.ts). Off, every row goes the
   * ordinary way: the reference the fast path is tested against.
   */
  plainFastPath: boolean;
}

/** A wide table as text: column-major, blank cells as null (for `retain train --table`). */
export interface RawTable {
  names: string[];
  columns: (string | null)[][];
  rowCount: number;
  /** The file it was read from, which messages about its content name; absent for one built in memory. */
  path?: string;
}
