/**
 * `retain train --uplift SCORED...`: the uplift model from past campaign months. Each scored folder
 * names who was on the warning list and who was held out; the billing files give their features at
 * the list's month and whether they churned at the next.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formatMonth } from '../../calendar.js';
import { UsageError } from '../../errors.js';
import { openScoredFolder, uncheckedNote, writeOwnedFile } from '../../io/index.js';
import { readScores, readWarningList, requireScoredMonth } from '../../pipeline/scored-month.js';
import {
  type CampaignArms,
  campaignOf,
  trainUpliftModel,
  type UpliftTrainingInput,
} from '../../pipeline/uplift.js';
import { serializeUpliftModel, type UpliftTrial } from '../../uplift/index.js';
import type { CommandContext } from '../context.js';

/**
 * One scored folder as a campaign: the called and the comparable control group of its month. A folder
 * without a manifest is read unchecked, and `warn` is told so, as report and evaluate say it.
 */
export async function readCampaign(dir: string, warn: (message: string) => void): Promise<CampaignArms> {
  const folder = await openScoredFolder(dir);
  const unchecked = uncheckedNote(folder);
  if (unchecked) warn(unchecked);
  requireScoredMonth(folder, 'retain train --uplift');
  const { rows, month } = await readScores(folder);
  return campaignOf(month, rows, await readWarningList(folder));
}

/** What the pipeline's training takes, but the campaigns: those are read from the `scored` folders. */
export interface UpliftTrainRun extends Omit<UpliftTrainingInput, 'campaigns' | 'onStep'> {
  readonly scored: readonly string[];
  readonly out: string;
}

const trialLine = (t: UpliftTrial, kept: boolean) =>
  `learner ${t.method}${kept ? ' (kept)' : ''}: held-out Qini coefficient ${t.qiniCoefficient.toFixed(2)}  ` +
  `AUUC ${t.auuc.toFixed(2)}  (${t.heldOut} subscribers; calling all of them kept ${t.total.toFixed(1)})  ${(t.seconds ?? 0).toFixed(1)} s`;

export async function trainUplift(ctx: CommandContext, r: UpliftTrainRun): Promise<string[]> {
  const campaigns: CampaignArms[] = [];
  for (const dir of r.scored) {
    const c = await readCampaign(resolve(ctx.cwd, dir), (m) => ctx.log.warn(m));
    if (campaigns.some((k) => k.month === c.month))
      throw new UsageError(
        `${dir}: a second scored folder for ${formatMonth(c.month)}; give each campaign month once`,
      );
    campaigns.push(c);
  }
  const result = await trainUpliftModel({
    billing: r.billing,
    cdr: r.cdr,
    config: r.config,
    campaigns,
    engine: r.engine,
    params: r.params,
    seed: r.seed,
    trainedAt: r.trainedAt,
    command: r.command,
    packageVersion: r.packageVersion,
    onStep: (step) => ctx.log.info(step),
  });
  const text = serializeUpliftModel(result.content);
  const written = await writeOwnedFile(r.out, 'model', '--out', (tmp) => writeFile(tmp, text));
  ctx.log.info({ model: written, bytes: text.length }, 'uplift model written');
  const pct = (x: number, n: number) => (n > 0 ? `${((100 * x) / n).toFixed(2)}%` : 'n/a');
  return [
    ...result.campaigns.map(
      (c) =>
        `campaign ${c.month}: called ${c.called} (churn ${pct(c.calledChurned, c.called)}), control ${c.control} (churn ${pct(c.controlChurned, c.control)})`,
    ),
    ...result.selection.trials.map((t) => trialLine(t, t.method === result.selection.chosen)),
    `uplift model: ${written}`,
  ];
}
