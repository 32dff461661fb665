/** A whole CDR file read into a sink, with the read options' defaults (the config's among them). */
import type { CdrSink } from '../../contract.js';
import { resolveReadOptions, withRejects } from '../options.js';
import { checkBadShare } from '../rejects.js';
import type { FileReport, ReadOptions } from '../types.js';
import { readCdrRecords } from './read.js';

/** Reads one CDR file into `sink`; throws InputError on a missing column or (policy `fail`) too many bad rows. */
export async function readCdr(
  path: string,
  sink: CdrSink,
  options: Partial<ReadOptions> = {},
): Promise<FileReport> {
  const opts = resolveReadOptions(options);
  return withRejects(opts.rejects, async (rejectSink) => {
    const { report } = await readCdrRecords(path, sink, opts, rejectSink);
    if (opts.badRows === 'fail') checkBadShare(report, opts.config.input.max_bad_row_share);
    return report;
  });
}
