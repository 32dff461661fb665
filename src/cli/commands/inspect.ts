/** `retain inspect MODEL [--json]`: what a model file is, without scoring anything. */
import { resolve } from 'node:path';
import { DEFAULT_MODEL_PATH } from '../../paths.js';
import { loadModel } from '../../pipeline/model.js';
import { formatModelCard, formatUpliftCard, modelCard, upliftCard } from '../../report/index.js';
import { isUpliftModelJson, parseUpliftModel } from '../../uplift/index.js';
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
