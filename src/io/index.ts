// Public API of src/io/: reading billing and CDR files, writing tables and output folders atomically.
// RawTable (types.ts) is not re-exported: features/ exports the same structural type under that name.
export { commitOutputDir, tempSibling, writeFileAtomic, writeJsonAtomic, writeTextAtomic } from './atomic.js';
export { readBilling } from './billing.js';
export { readCdr } from './cdr.js';
export { describeColumns } from './columns.js';
export { CONFIG_FILE_NAME, loadConfig } from './config-file.js';
export * from './frame-arrow.js';
export { detectFormat, type OpenedInput, openInput } from './open.js';
export { DEFAULT_READ_OPTIONS, resolveReadOptions } from './options.js';
export { type HeaderInfo, readHeader, readRawTable } from './raw-table.js';
export { checkBadShare, describeReject, RejectsFile, where as rowLocation } from './rejects.js';
export * from './table-set.js';
export {
  type BadRowPolicy,
  type FileFormat,
  type FileReport,
  REJECT_REASONS,
  type ReadOptions,
  type Reject,
  type RejectReason,
  type RejectSink,
} from './types.js';
export {
  type CsvWriteOptions,
  csvTextCell,
  csvTextValue,
  frameColumns,
  type OutColumn,
  type OutKind,
  type OutTable,
  out,
  toOutTable,
  writeCsv,
} from './write.js';
export { writeArrow } from './write-arrow.js';
