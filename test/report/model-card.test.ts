import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelFile } from '../../src/model/persist.js';
import { formatModelCard, modelCard } from '../../src/report/index.js';

const shipped = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../../models/default.model.json'), 'utf8'),
) as ModelFile;

/** The shipped model with another engine choice recorded (and, for boosting, its refit's trees). */
function withChoice(engineSelection: unknown, trees: number): ModelFile {
  return {
    ...shipped,
    training: { ...shipped.training, params: { ...shipped.training.params, trees }, engineSelection },
  } as ModelFile;
}

/** What auto measured on a table: the forest and boosting on the validation rows. */
const FOREST = {
  engine: 'forest',
  logLoss: 0.4169,
  calibratedLogLoss: 0.4726,
  auc: 0.8557,
  topDecileLift: 3.23,
};
const BOOST = {
  engine: 'boost',
  logLoss: 0.3939,
  calibratedLogLoss: 0.4706,
  auc: 0.8588,
  topDecileLift: 3.55,
};

describe('modelCard', () => {
  it('says which engine auto chose and shows each one measured on the validation rows', () => {
    const trials = [
      { ...FOREST, brier: 0.13 },
      { ...BOOST, brier: 0.12, rounds: 40 },
    ];
    const card = modelCard(withChoice({ requested: 'auto', chosen: 'boost', trials }, 40));
    // Brier is on the metrics lines, not repeated; a forest has no rounds.
    expect(card.engineChoice).toEqual({
      requested: 'auto',
      trials: [
        { ...FOREST, rounds: null },
        { ...BOOST, rounds: 40 },
      ],
    });
    const text = formatModelCard(card);
    expect(text).toContain(
      'engine: boost, chosen by --engine auto for the lowest calibrated validation log-loss; ' +
        'its 40 trees are the best validation round of early stopping, refitted on every row\n',
    );
    expect(text).toMatch(
      /\n {2}forest +0\.4169 +0\.4726 +0\.8557 +3\.23 +–\n {2}boost +0\.3939 +0\.4706 +0\.8588 +3\.55 +40\n/,
    );
  });

  it('tells a refit of another count of trees than the best round as it is', () => {
    const rounds = shipped.training.engineSelection!.trials[0]!.rounds!;
    const trees = shipped.training.params.trees as number;
    expect(trees).not.toBe(rounds);
    expect(formatModelCard(modelCard(shipped))).toContain(
      `engine: boost, as asked; best validation round ${rounds}, refitted on every row with ${trees} trees\n`,
    );
  });

  it('leaves the engine lines out for a model trained without a validation split', () => {
    const card = modelCard(withChoice({ requested: 'boost', chosen: 'boost', trials: [] }, 50));
    expect(card.engineChoice).toBeNull();
    expect(formatModelCard(card)).not.toContain('engine:');
  });
});
