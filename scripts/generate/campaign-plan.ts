/** Reading a `retain score` folder as a campaign plan: the list month, the warning list and its control group. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseMonth } from '../../src/calendar.js';
import { UsageError } from '../../src/errors.js';
import { readRawTable } from '../../src/io/index.js';
import type { CampaignPlan } from './campaign.js';

/** `<dir>/<name>.csv`, or `.arrow` when the folder was written with --format arrow. */
function table(dir: string, name: string): string {
  const csv = join(dir, `${name}.csv`);
  const arrow = join(dir, `${name}.arrow`);
  if (existsSync(csv)) return csv;
  if (existsSync(arrow)) return arrow;
  throw new UsageError(`${dir}: no ${name}.csv or ${name}.arrow; give a folder written by retain score`);
}

function column(path: string, names: readonly string[], columns: (string | null)[][], name: string) {
  const j = names.indexOf(name);
  if (j < 0) throw new UsageError(`${path}: no column "${name}"; give a folder written by retain score`);
  return columns[j]!;
}

export async function readCampaignPlan(dir: string): Promise<CampaignPlan> {
  const scoresPath = table(dir, 'scores');
  const scores = await readRawTable(scoresPath);
  const ids = column(scoresPath, scores.names, scores.columns, 'subscriber_id');
  const control = column(scoresPath, scores.names, scores.columns, 'control');
  const month = parseMonth(column(scoresPath, scores.names, scores.columns, 'month')[0] ?? '');
  if (Number.isNaN(month)) throw new UsageError(`${scoresPath}: no scored month in the first row`);
  const listPath = table(join(dir, 'targets'), 'warning');
  const list = await readRawTable(listPath);
  return {
    month,
    listed: new Set(column(listPath, list.names, list.columns, 'subscriber_id').map((v) => v ?? '')),
    control: new Set(ids.filter((_, i) => control[i] === '1').map((v) => v ?? '')),
  };
}
