/**
 * Bad-row bookkeeping: counts by reason, the first rows kept for display, every reject streamed to an
 * optional CSV written atomically, and the bad-row share check after each file.
 */
import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { echo } from '../echo.js';
import { InputError } from '../errors.js';
import { type MadeFolders, makeFolders } from './atomic.js';
import { writeFailure } from './fs-errors.js';
import { checkOutputFile, REJECTS_HEADER } from './output-file.js';
import { createTemp, sweepStaleTemps, type Temp } from './temp.js';
import type { FileReport, Reject, RejectReason, RejectSink } from './types.js';
import { showInvalidBytes } from './utf8.js';
import { csvTextCell } from './write.js';

/**
 * An open rejects CSV (`file,line,column,reason,value,message`), built in a temporary beside its
 * target and appearing under its name on commit. The target is checked first (output-file.ts): a
 * folder, a device or a file retain did not write is refused.
 */
export class RejectsFile implements RejectSink {
  private readonly target: string;
  private readonly temp: Temp;
  private readonly folders: MadeFolders;
  private fd: number;
  private buf = '';

  constructor(readonly path: string) {
    this.target = checkOutputFile(path, 'rejects', '--rejects');
    let folders: MadeFolders | null = null;
    let temp: Temp | null = null;
    try {
      folders = makeFolders(dirname(this.target));
      sweepStaleTemps(dirname(this.target));
      temp = createTemp(this.target);
      this.fd = openSync(temp.work, 'w');
    } catch (err) {
      temp?.dispose();
      folders?.undo();
      throw writeFailure(err, path);
    }
    this.temp = temp;
    this.folders = folders;
    this.buf = `${REJECTS_HEADER}\n`;
  }

  write(r: Reject): void {
    this.buf += `${csvTextCell(r.file)},${r.line},${csvTextCell(r.column ?? '')},${r.reason},${csvTextCell(showInvalidBytes(r.value))},${csvTextCell(r.message)}\n`;
    if (this.buf.length > 1 << 16) this.flush();
  }

  private flush(): void {
    try {
      writeSync(this.fd, this.buf);
    } catch (err) {
      throw writeFailure(err, this.path);
    }
    this.buf = '';
  }

  commit(): void {
    try {
      this.flush();
      closeSync(this.fd);
      renameSync(this.temp.work, this.target);
    } catch (err) {
      this.abort();
      throw writeFailure(err, this.path);
    }
    this.folders.keep();
    this.temp.dispose();
  }

  abort(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    this.temp.dispose();
    this.folders.undo();
  }
}

/** Records the bad rows of one file into its report. */
export class RejectCounter {
  constructor(
    private readonly report: FileReport,
    private readonly sink: RejectSink | null,
    private readonly sampleLimit: number,
  ) {}

  add(line: number, column: string | null, reason: RejectReason, value: string, message: string): void {
    const rep = this.report;
    rep.rows++;
    rep.rejected++;
    rep.byReason[reason] = (rep.byReason[reason] ?? 0) + 1;
    if (rep.sample.length < this.sampleLimit || this.sink !== null) {
      const r: Reject = { file: rep.path, line, column, reason, value, message };
      if (rep.sample.length < this.sampleLimit) rep.sample.push(r);
      this.sink?.write(r);
    }
  }

  /** A row with bytes that are not UTF-8 in `column` (its name), shown as `\xNN`. */
  invalidUtf8(line: number, column: string, value: string): void {
    this.add(line, column, 'invalid_utf8', value, `${column} is not valid UTF-8: ${echo(value)}`);
  }
}

export function emptyReport(path: string, kind: FileReport['kind']): FileReport {
  return {
    path,
    kind,
    format: 'csv',
    gzip: false,
    rows: 0,
    accepted: 0,
    rejected: 0,
    byReason: {},
    sample: [],
    months: [],
    subscribers: 0,
    ignoredColumns: [],
    extraColumns: [],
    notices: [],
  };
}

/** `line 7` for CSV, `row 7` for Arrow. */
export function where(report: FileReport, line: number): string {
  return report.format === 'csv' ? `line ${line}` : `row ${line}`;
}

export function describeReject(report: FileReport, r: Reject): string {
  return `${where(report, r.line)}${r.column ? `, ${r.column}` : ''}: ${r.reason}: ${r.message}`;
}

/** Throws when the file's bad-row share is above the limit. */
export function checkBadShare(report: FileReport, maxShare: number): void {
  if (report.rows === 0 || report.rejected / report.rows <= maxShare) return;
  const share = report.rejected / report.rows;
  const first = report.sample.slice(0, 5).map((r) => `  ${describeReject(report, r)}`);
  throw new InputError(
    `${report.path}: ${report.rejected} of ${report.rows} rows are bad (${(share * 100).toFixed(2)}%, limit ${(
      maxShare * 100
    ).toFixed(2)}%); first bad rows:\n${first.join('\n')}`,
  );
}
