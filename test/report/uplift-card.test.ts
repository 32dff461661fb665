import { describe, expect, it } from 'vitest';
import { formatUpliftCard, type UpliftModelFile, upliftCard } from '../../src/index.js';

const file = {
  id: 'u-1',
  method: 'two-model',
  engine: 'forest',
  featureSchema: { version: 1, features: [{ name: 'arpu' }, { name: 'tenure_months' }, { name: 'calls' }] },
  importances: { arpu: 0.2, tenure_months: 0.5, calls: 0.3 },
  training: {
    trainedAt: '2025-07-01T00:00:00.000Z',
    packageVersion: '1.2.3',
    command: 'retain train --uplift a b',
    rows: 900,
    cdr: true,
    campaigns: [{ month: '2025-05', called: 600, control: 300, calledChurned: 30, controlChurned: 27 }],
    selection: {
      chosen: 'two-model',
      heldOutShare: 0.3,
      trials: [
        { method: 'two-model', qiniCoefficient: 0.123, auuc: 4.567 },
        { method: 'class-transform', qiniCoefficient: 0.05, auuc: 2 },
      ],
    },
  },
} as unknown as UpliftModelFile;

describe('upliftCard', () => {
  it('names the model and its training, with the top features by importance', () => {
    const card = upliftCard(file, 2);
    expect(card).toMatchObject({ kind: 'uplift', id: 'u-1', features: 3, rows: 900, cdr: true });
    expect(card.topFeatures).toEqual([
      { name: 'tenure_months', importance: 0.5 },
      { name: 'calls', importance: 0.3 },
    ]);
  });

  it('prints the campaigns, the learners tried and which was kept', () => {
    expect(formatUpliftCard(upliftCard(file, 1)).split('\n')).toEqual([
      'uplift model u-1: two-model on forest, 3 features (with CDRs)',
      'trained 2025-07-01T00:00:00.000Z by retain 1.2.3 on 900 subscribers: retain train --uplift a b',
      '  campaign 2025-05: called 600 (30 churned), control 300 (27 churned)',
      'learner chosen by the held-out Qini coefficient (30% held out):',
      '  two-model (kept): Qini coefficient 0.12  AUUC 4.57',
      '  class-transform: Qini coefficient 0.05  AUUC 2.00',
      'top features: tenure_months 0.500',
      '',
    ]);
  });
});
