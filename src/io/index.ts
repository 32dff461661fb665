// Public API of src/io/: reading billing and CDR files, writing tables and output folders atomically.
// RawTable (types.ts) is not re-exported: features/ exports the same structural type under that name.
export { noteOnStop, pendingUndoTasks } from './abort-cleanup.js';
export { buildFolderAtomic, writeFileAtomic, writeJsonAtomic, writeTextAtomic } from './atomic.js';
export { readBilling } from './billing.js';
export { readCdr } from './cdr/index.js';
export {
  type CellColumn,
  CellColumnBuilder,
  cellTableOf,
  DISTINCT_CAP,
  tableCell,
  tableNumber,
} from './cell-columns.js';
export { describeColumns } from './columns.js';
export { type ConfigSource, loadConfig, loadConfigFile } from './config-file.js';
export { CONFIG_FILE_NAME, configFileInUse } from './config-path.js';
export { fileKindOf } from './file-kind.js';
export * from './frame-arrow.js';
export { WriteFailure, writeFailure } from './fs-errors.js';
export { acquireLock, LOCK_SUFFIX, lockPath, type OutputLock } from './lock.js';
export { detectFormat, type OpenedInput, openInput } from './open.js';
export { DEFAULT_READ_OPTIONS, resolveReadOptions } from './options.js';
export { readOutcomes } from './outcomes.js';
export {
  claimOutputDir,
  type OutputDir,
  type OutputDirOptions,
  type RunPath,
  replaceProblem,
} from './output-dir.js';
export {
  checkOutputFile,
  EVALUATION_FORMAT,
  FEATURES_HEADER,
  isOwnedFile,
  loadSchemaReaders,
  type OwnedFileKind,
  REJECTS_HEADER,
  writeOwnedFile,
} from './output-file.js';
export { type HeaderInfo, readCellTable, readHeader, readRawTable } from './raw-table.js';
export { checkBadShare, describeReject, RejectsFile, where as rowLocation } from './rejects.js';
export { placeOfRow, type RowPlaces } from './row-places.js';
export {
  describeInputs,
  RUN_MANIFEST,
  type RunFile,
  type RunInput,
  type RunManifest,
  type RunRecord,
  readRunManifest,
} from './run-manifest.js';
export * from './scored-folder.js';
export { isSpecialFile, isStandardStream } from './special-files.js';
export * from './table-set.js';
export { STALE_TEMP_MS, sweepStaleTemps, TEMP_MARKER } from './temp.js';
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
  writeCsvTo,
} from './write.js';
export { writeArrow } from './write-arrow.js';
export { writeParquet } from './write-parquet.js';
