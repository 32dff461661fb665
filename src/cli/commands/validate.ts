/**
 * `retain validate <files...>`: reads each file as the pipeline would and reports rows read, accepted
 * and bad rows by reason. Billing files are validated together (duplicates across files count). Exit 0
 * when every file is clean, 3 otherwise, after reporting every file.
 */

import { resolve } from 'node:path';
import { formatMonth } from '../../calendar.js';
import type { FileKind } from '../../contract.js';
import { InputError, UsageError } from '../../errors.js';
import {
  type BadRowPolicy,
  describeReject,
  type FileReport,
  fileKindOf,
  loadConfig,
  RejectsFile,
  readBilling,
  readCdr,
  readHeader,
  readOutcomes,
} from '../../io/index.js';
import type { CommandContext } from '../context.js';

export interface ValidateOptions {
  files: string[];
  kind: FileKind | undefined;
  config: string | undefined;
  rejects: string | undefined;
}

const SHOWN_REJECTS = 5;

export async function validate(ctx: CommandContext, opts: ValidateOptions): Promise<void> {
  if (opts.files.length === 0) throw new UsageError('validate needs at least one file');
  const config = await loadConfig(opts.config, ctx.cwd);
  const paths = opts.files.map((f) => resolve(ctx.cwd, f));
  const sink = opts.rejects === undefined ? null : new RejectsFile(resolve(ctx.cwd, opts.rejects));
  const policy: BadRowPolicy = 'report';
  const read = { config, badRows: policy, rejects: sink, sampleLimit: 1000 };
  const failures: string[] = [];
  const print = (s: string) => {
    if (!ctx.quiet) ctx.stdout.write(`${s}\n`);
  };
  const show = (r: FileReport) => {
    summarise(r).forEach(print);
    for (const n of r.notices) ctx.log.info({ file: r.path }, n);
    ctx.log.info(
      { file: r.path, kind: r.kind, rows: r.rows, accepted: r.accepted, rejected: r.rejected },
      'validated',
    );
    if (r.rejected > 0) failures.push(`${r.path}: ${r.rejected} bad rows`);
  };
  try {
    const billing: string[] = [];
    const cdr: string[] = [];
    const outcomes: string[] = [];
    for (const p of paths) {
      try {
        const kind = opts.kind ?? fileKindOf(p, (await readHeader(p)).names, config.columns);
        (kind === 'billing' ? billing : kind === 'outcomes' ? outcomes : cdr).push(p);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        // The reader's messages name the file; one that does not is given its name here.
        const message = err.message.includes(p) ? err.message : `${p}: ${err.message}`;
        print(message);
        failures.push(message.split('\n')[0]!);
      }
    }
    if (billing.length > 0) {
      try {
        const { files } = await readBilling(billing, read);
        files.forEach(show);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        print(err.message);
        failures.push(err.message.split('\n')[0]!);
      }
    }
    if (outcomes.length > 0) {
      try {
        (await readOutcomes(outcomes, read)).files.forEach(show);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        print(err.message);
        failures.push(err.message.split('\n')[0]!);
      }
    }
    for (const p of cdr) {
      try {
        show(await readCdr(p, { add() {} }, read));
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        print(err.message);
        failures.push(err.message.split('\n')[0]!);
      }
    }
    sink?.commit();
  } catch (err) {
    sink?.abort();
    throw err;
  }
  if (failures.length > 0)
    throw new InputError(
      `${failures.length} of ${paths.length} files are not clean:\n  ${failures.join('\n  ')}`,
    );
}

/** The human summary of one file. */
export function summarise(r: FileReport): string[] {
  const format = `${r.format}${r.gzip ? ', gzip' : ''}`;
  const lines = [
    `${r.path} (${r.kind}, ${format}): ${r.rows} rows read, ${r.accepted} accepted, ${r.rejected} rejected`,
  ];
  const reasons = Object.entries(r.byReason).map(([k, v]) => `${k} ${v}`);
  if (reasons.length > 0) lines.push(`  bad rows by reason: ${reasons.join(', ')}`);
  for (const rej of r.sample.slice(0, SHOWN_REJECTS)) lines.push(`  ${describeReject(r, rej)}`);
  if (r.rejected > SHOWN_REJECTS) lines.push(`  ... ${r.rejected - SHOWN_REJECTS} more`);
  if (r.kind === 'billing' && r.months.length > 0)
    lines.push(`  months: ${r.months.map(formatMonth).join(', ')}`);
  if (r.subscribers !== null) lines.push(`  subscribers: ${r.subscribers}`);
  if (r.extraColumns.length > 0) lines.push(`  extra numeric columns: ${r.extraColumns.join(', ')}`);
  if (r.ignoredColumns.length > 0) lines.push(`  ignored columns: ${r.ignoredColumns.join(', ')}`);
  return lines;
}
