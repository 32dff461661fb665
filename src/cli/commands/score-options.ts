/** The flags of `retain score` checked and turned into what a run reads, before any file is read. */
import { resolve } from 'node:path';
import { formatDate, formatMonth, monthEndDay, monthStartDay, parseDate } from '../../calendar.js';
import type { OwnerField } from '../../contract.js';
import { ModelError, UsageError } from '../../errors.js';
import { type RunPath, readText } from '../../io/index.js';
import type { Shard } from '../../pipeline/shard.js';
import type { TargetBy } from '../../uplift/index.js';
import type { CommandContext } from '../context.js';
import { refuseTableFlags } from '../options.js';
import { checkSplitUsage, type OutputFormat } from './outputs.js';

export interface ScoreOptions {
  billing: string[];
  cdr: string[];
  table: string | null;
  id: string | null;
  model: string | null;
  out: string | null;
  format: OutputFormat;
  bom: boolean;
  capacity: number | null;
  seed: number;
  /** --seed was on the command line, not the default: a --table run, which draws nothing, refuses it. */
  seedGiven: boolean;
  /** --control-share: overrides targets.control_share; null = as configured. */
  controlShare: number | 'auto' | null;
  /** Work-order outcome files of earlier lists, for the contact policy. */
  contactHistory: string[];
  /** YYYY-MM-DD the lists are issued; due dates count from it. Default: the day after the scored month. */
  listDate: string | null;
  /** YYYY-MM: the month scored; later billing rows and CDR events are ignored. Default: the latest. */
  month: string | null;
  /** Refuse (exit 3) rather than warn when history is short or a CDR month looks truncated. */
  strict: boolean;
  config: string | undefined;
  rejects: string | null;
  /** Score only this shard's subscribers; `retain merge` combines the shards. */
  shard: Shard | null;
  /** Threads reading CDR files and predicting (0 = all cores); the output does not depend on it. */
  threads: number;
  /** The warning list's order: risk (revenue at risk) or uplift (expected saving, needs upliftModel). */
  targetBy?: TargetBy;
  upliftModel?: string | null;
  /** --split-by: also write each owning unit's or manager's lists. */
  splitBy?: OwnerField | null;
}

export function readModelFile(path: string): Promise<string> {
  return readText(
    path,
    (why, cause) => new ModelError(`${path}: cannot read the model file (${why})`, { cause }),
  );
}

/** --target-by uplift needs --uplift-model and billing files; true when uplift targeting is asked for. */
function checkTargeting(o: ScoreOptions): boolean {
  const by = o.targetBy ?? 'risk';
  if (by === 'risk') {
    if (o.upliftModel)
      throw new UsageError('--uplift-model is used with --target-by uplift; give both or neither');
    return false;
  }
  if (!o.upliftModel)
    throw new UsageError('--target-by uplift needs --uplift-model FILE (from retain train --uplift)');
  if (o.table !== null) throw new UsageError('--target-by uplift applies to billing files, not to --table');
  if (o.shard !== null)
    throw new UsageError('--target-by uplift cannot be sharded yet: score the month in one process');
  return true;
}

export function parseListDate(text: string | null): number | undefined {
  if (text === null) return undefined;
  const day = parseDate(text);
  if (Number.isNaN(day))
    throw new UsageError(`--list-date ${JSON.stringify(text)} is not a date (YYYY-MM-DD)`);
  return day;
}

/** Lists are issued after the month they score: a list date before or inside it is a usage error. */
export function checkListDate(listDate: number | undefined, month: number): void {
  if (listDate === undefined || listDate > monthEndDay(month)) return;
  const where = listDate < monthStartDay(month) ? 'before' : 'inside';
  throw new UsageError(
    `--list-date ${formatDate(listDate)} is ${where} the scored month ${formatMonth(month)}: ` +
      `lists are issued after the month they score, from ${formatDate(monthEndDay(month) + 1)}`,
  );
}

/** What a score run reads (and its rejects file): `--out` may not be or contain any of them. */
export function runPaths(o: ScoreOptions, modelPath: string): RunPath[] {
  return [
    ...o.billing.map((path) => ({ path, what: 'billing file' })),
    ...o.cdr.map((path) => ({ path, what: 'CDR file' })),
    ...(o.table === null ? [] : [{ path: o.table, what: 'table' }]),
    { path: modelPath, what: 'model' },
    ...(o.upliftModel ? [{ path: o.upliftModel, what: 'uplift model' }] : []),
    ...(o.config === undefined ? [] : [{ path: o.config, what: 'config file' }]),
    ...(o.rejects === null ? [] : [{ path: o.rejects, what: '--rejects file' }]),
  ];
}

/**
 * The flags a `--table` run would otherwise ignore, all named at once: a table is one row per
 * subscriber scored in one process, with no CDRs and no call lists to size, date, hold a control group
 * in (--seed draws it) or keep recent contacts off. A malformed table row fails the run, naming its
 * line, rather than being set aside, so there are no rejects to write either.
 */
function checkTableFlags(o: ScoreOptions): void {
  refuseTableFlags([
    o.month !== null && '--month',
    o.strict && '--strict',
    o.cdr.length > 0 && '--cdr',
    o.shard !== null && '--shard',
    o.capacity !== null && '--capacity',
    o.controlShare !== null && '--control-share',
    o.seedGiven && '--seed',
    o.listDate !== null && '--list-date',
    o.contactHistory.length > 0 && '--contact-history',
    o.rejects !== null && '--rejects',
  ]);
}

/**
 * The usage errors a score run is refused for before it reads anything; returns the uplift model's
 * path when uplift targeting is asked for, else null.
 */
export function checkScoreUsage(ctx: CommandContext, o: ScoreOptions): string | null {
  if (o.table !== null && o.billing.length > 0)
    throw new UsageError('give billing files or --table, not both');
  if (o.table === null && o.billing.length === 0) {
    throw new UsageError('give the billing files to score, or --table FILE');
  }
  checkSplitUsage(o.splitBy ?? null, o.table !== null, o.shard !== null);
  if (o.table !== null) checkTableFlags(o);
  return checkTargeting(o) ? resolve(ctx.cwd, o.upliftModel!) : null;
}
