/**
 * `retain features`: the feature frame the model sees, written to CSV or Arrow so that a data scientist
 * can check it in a notebook. One row per subscriber-month: `subscriber_id`, `month`,
 * `churned_next_month` (1/0, blank where the next month is not in the input), then every feature of
 * the schema in schema order (blank where missing, e.g. CDR features of a month without CDRs).
 * Closed accounts are left out: retain neither trains on nor scores them.
 *
 * The file is a single-file output: new, empty, or a feature file retain wrote (io/output-file.ts),
 * checked before any input is read, and written atomically. As CSV it may go to standard output
 * instead (`--out -`), the one output a pipe takes; the human summary then stays off stdout.
 */
import { resolve } from 'node:path';
import { formatMonth } from '../../calendar.js';
import { InputError, InternalError, UsageError } from '../../errors.js';
import { buildFeatures } from '../../features/index.js';
import {
  checkOutputFile,
  loadConfig,
  loadSchemaReaders,
  type TableFormat,
  writeCsvTo,
  writeTableFile,
} from '../../io/index.js';
import { featureFileTable } from '../../pipeline/feature-file.js';
import type { CommandContext } from '../context.js';
import { type OutputTarget, refuseSameOutput } from '../options.js';
import { parseMonthFlag, readRunInputs } from './inputs.js';

export interface FeaturesOptions {
  billing: string[];
  cdr: string[];
  /**
   * File to write, or standard output (CSV only); default `retain-features-<month>.<ext>` (or
   * `<first>_<last>` with allMonths).
   */
  out: OutputTarget | null;
  format: TableFormat;
  /** The month to write (YYYY-MM); default the latest billing month, the one `retain score` scores. */
  month: string | null;
  /** Every month of the billing input instead of one. */
  allMonths: boolean;
  bom: boolean;
  config: string | undefined;
  rejects: string | null;
  threads: number;
}

export async function features(ctx: CommandContext, o: FeaturesOptions): Promise<void> {
  if (o.billing.length === 0) throw new UsageError('give the billing files to build features from');
  if (o.allMonths && o.month !== null) throw new UsageError('give --month or --all-months, not both');
  const wanted = parseMonthFlag(o.month);
  const given = o.out !== null && 'path' in o.out ? o.out.path : null;
  const toStdout = o.out !== null && 'stdout' in o.out;
  if (toStdout && o.format !== 'csv') throw new InternalError('only CSV goes to standard output');
  // Refused before reading, not after: a folder, or a file that is not a feature file retain wrote.
  refuseSameOutput(ctx.cwd, given, o.rejects);
  await loadSchemaReaders();
  if (given !== null) checkOutputFile(resolve(ctx.cwd, given), 'features', '--out');

  const config = await loadConfig(o.config, ctx.cwd);
  const inputs = await readRunInputs(ctx, {
    billing: o.billing,
    cdr: o.cdr,
    config,
    rejects: o.rejects,
    threads: o.threads,
    // The month after the one written labels it: read up to the latest month.
    month: null,
  });
  const billingMonths = [...new Set(inputs.billing.cols.month)].sort((a, b) => a - b);
  const latest = billingMonths.at(-1);
  if (latest === undefined) throw new InputError('the billing input has no rows');
  if (wanted !== null && !billingMonths.includes(wanted)) {
    throw new UsageError(
      `--month ${o.month} is not in the billing input (months: ${billingMonths.map(formatMonth).join(', ')})`,
    );
  }
  const months = o.allMonths ? billingMonths : [wanted ?? latest];
  const built = buildFeatures(inputs.billing, inputs.cdr, config, { months, setAside: inputs.setAside });
  const covered = new Set(built.stats.cdrMonths);
  const uncovered = months.filter((m) => !covered.has(m));
  if (uncovered.length > 0 && inputs.cdr !== null)
    ctx.log.warn(`no CDR file covers ${uncovered.map(formatMonth).join(', ')}: CDR features are blank there`);
  else if (inputs.cdr === null) ctx.log.info('no CDR files given: CDR features are blank');

  const schema = built.schema;
  const { table, closedLeftOut } = featureFileTable(built);
  const written = { rows: table.n, features: schema.features.length, closedLeftOut };
  if (toStdout) {
    // Standard output carries the data only: what was written is said in the log.
    await writeCsvTo(ctx.stdout, 'standard output', table, { bom: o.bom });
    ctx.log.info({ file: '-', ...written }, 'features written to standard output');
    return;
  }
  const span =
    months.length === 1 ? formatMonth(months[0]!) : `${formatMonth(months[0]!)}_${formatMonth(latest)}`;
  const path = checkOutputFile(
    resolve(ctx.cwd, given ?? `retain-features-${span}.${o.format}`),
    'features',
    '--out',
  );
  await writeTableFile(table, path, o.format, { bom: o.bom });
  ctx.log.info({ file: path, ...written }, 'features written');
  if (!ctx.quiet) {
    ctx.stdout.write(
      `${table.n} subscriber-months (${months.map(formatMonth).join(', ')}), ${schema.features.length} features ` +
        `(schema v${schema.version}): ${path}\n`,
    );
  }
}
