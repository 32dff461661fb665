/**
 * What `retain inspect` tells of an uplift model file, beside the churn model's card (model-card.ts):
 * how it was trained, on which campaigns, which learner the held-out Qini coefficient chose, and the
 * features that weigh most.
 */
import type { UpliftModelFile } from '../uplift/index.js';

export type UpliftCard = ReturnType<typeof upliftCard>;

/** The card of an uplift model, with its `top` most important features. */
export function upliftCard(f: UpliftModelFile, top = 10) {
  return {
    kind: 'uplift',
    id: f.id,
    method: f.method,
    engine: f.engine,
    features: f.featureSchema.features.length,
    trainedAt: f.training.trainedAt,
    packageVersion: f.training.packageVersion,
    command: f.training.command,
    rows: f.training.rows,
    cdr: f.training.cdr,
    campaigns: f.training.campaigns,
    selection: f.training.selection,
    topFeatures: Object.entries(f.importances)
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, importance]) => ({ name, importance })),
  };
}

/** The card as `retain inspect` prints it. */
export function formatUpliftCard(c: UpliftCard): string {
  const lines = [
    `uplift model ${c.id}: ${c.method} on ${c.engine}, ${c.features} features${c.cdr ? ' (with CDRs)' : ''}`,
    `trained ${c.trainedAt} by retain ${c.packageVersion} on ${c.rows} subscribers: ${c.command}`,
    ...c.campaigns.map(
      (k) =>
        `  campaign ${k.month}: called ${k.called} (${k.calledChurned} churned), control ${k.control} (${k.controlChurned} churned)`,
    ),
    `learner chosen by the held-out Qini coefficient (${Math.round(c.selection.heldOutShare * 100)}% held out):`,
    ...c.selection.trials.map(
      (t) =>
        `  ${t.method}${t.method === c.selection.chosen ? ' (kept)' : ''}: Qini coefficient ${t.qiniCoefficient.toFixed(2)}  AUUC ${t.auuc.toFixed(2)}`,
    ),
    `top features: ${c.topFeatures.map((t) => `${t.name} ${t.importance.toFixed(3)}`).join(', ')}`,
  ];
  return `${lines.join('\n')}\n`;
}
