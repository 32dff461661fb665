/** The assessment `retain evaluate` reports: the scored month's KPI cohorts with the work orders' return rate. */
import { join } from 'node:path';
import { LISTS, type OutcomesTable } from '../../contract.js';
import { type ListedSubscribers, returnRates } from '../../effect/index.js';
import { csvTextValue, type ScoredFolder } from '../../io/index.js';
import type { ScoredRows } from '../../pipeline/evaluate.js';
import {
  type AssessmentReport,
  type AssessmentRules,
  assessment,
  type CohortKpis,
} from '../../report/index.js';
import type { CommandContext } from '../context.js';

/** Each list's subscribers as handed out, with their units from the scores. */
async function listedSubscribers(folder: ScoredFolder, scored: ScoredRows): Promise<ListedSubscribers[]> {
  const unitOf = new Map<string, string>();
  const units = scored.unit ?? [];
  for (let i = 0; i < units.length; i++) unitOf.set(scored.ids[i]!, units[i]!);
  const out: ListedSubscribers[] = [];
  for (const list of LISTS) {
    const raw = await folder.readTable(`targets/${list}`);
    const j = raw.names.indexOf('subscriber_id');
    if (j < 0) continue; // readWarningList has refused a list without ids; others are not assessed
    const ids = raw.columns[j]!.map((v) => (v === null ? '' : csvTextValue(v)));
    out.push({ list, ids, units: ids.map((id) => unitOf.get(id) ?? '') });
  }
  return out;
}

/**
 * The assessment of the scored month, from summary.json's KPI cohorts (null, with a notice, for a
 * folder of an older retain that has none) and, with outcomes, the return rate of its lists.
 */
export async function assessScoredMonth(
  ctx: CommandContext,
  folder: ScoredFolder,
  scored: ScoredRows,
  month: number,
  outcomes: OutcomesTable | null,
  rules: AssessmentRules,
): Promise<AssessmentReport | null> {
  const kpis = (await folder.readSummary<{ kpi_cohorts?: CohortKpis }>()).kpi_cohorts;
  if (kpis === undefined) {
    ctx.log.info(
      `${join(folder.dir, 'summary.json')} holds no KPI cohorts (written by an older retain): no assessment`,
    );
    return null;
  }
  if (outcomes === null) return assessment(kpis, rules);
  const rates = returnRates(await listedSubscribers(folder, scored), outcomes, month);
  return assessment(kpis, rules, { overall: rates.overall, byUnit: rates.byUnit });
}
