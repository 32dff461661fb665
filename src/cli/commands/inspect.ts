/** `retain inspect MODEL [--json]`: what a model file is, without scoring anything. */
import { resolve } from 'node:path';
import { DEFAULT_MODEL_PATH } from '../../paths.js';
import { loadModel } from '../../pipeline/model.js';
import { formatModelCard, modelCard } from '../../report/index.js';
import { isUpliftModelJson, parseUpliftModel, type UpliftModelFile } from '../../uplift/index.js';
import type { CommandContext } from '../context.js';
import { readModelFile } from './score-options.js';

export interface InspectOptions {
  /** The model file; null: the shipped default model. */
  model: string | null;
  json: boolean;
  top: number;
}

export async function inspect(ctx: CommandContext, o: InspectOptions): Promise<void> {
  const path = o.model === null ? DEFAULT_MODEL_PATH : resolve(ctx.cwd, o.model);
  const text = await readModelFile(path);
  if (looksLikeUpliftModel(text)) {
    const card = upliftCard(parseUpliftModel(text, path).file, o.top);
    ctx.stdout.write(o.json ? `${JSON.stringify(card, null, 2)}\n` : formatUpliftCard(card));
    return;
  }
  // Loaded whole, so a model that would not score is refused here too (exit 4).
  const model = loadModel(text, path, 1);
  const card = modelCard(model.file, o.top);
  ctx.stdout.write(o.json ? `${JSON.stringify(card, null, 2)}\n` : formatModelCard(card));
}

/** True for text tagged as an uplift model; anything else goes to the churn model's loader and its messages. */
function looksLikeUpliftModel(text: string): boolean {
  try {
    return isUpliftModelJson(JSON.parse(text));
  } catch {
    return false;
  }
}

function upliftCard(f: UpliftModelFile, top: number) {
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

function formatUpliftCard(c: ReturnType<typeof upliftCard>): string {
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
