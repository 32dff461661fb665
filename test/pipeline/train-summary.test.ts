import { describe, expect, it } from 'vitest';
import { modelMetrics } from '../../src/model/metrics.js';
import { engineLines, metricLine } from '../../src/pipeline/train-summary.js';

// Ten subscribers, three churned: 19 of the 21 churned/stayed pairs are ranked right.
const scores = Float64Array.from([0.9, 0.8, 0.1, 0.7, 0.2, 0.3, 0.05, 0.6, 0.15, 0.25]);
const churned = Uint8Array.from([1, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
const metrics = modelMetrics(scores, churned);

describe('metricLine', () => {
  it('prints the metrics measured on the rows, to four places', () => {
    expect(metricLine('hold-out', metrics)).toBe(
      `hold-out: AUC ${metrics.auc.toFixed(4)}  PR-AUC ${metrics.prAuc.toFixed(4)}  ` +
        `top-decile lift ${metrics.topDecileLift.toFixed(2)}  Brier ${metrics.brier.toFixed(4)}  (10 rows, churn 30.00%)`,
    );
    expect(metrics.auc).toBeCloseTo(19 / 21, 10);
  });

  it('says when nothing was measured', () => {
    expect(metricLine('out-of-bag', null)).toBe('out-of-bag: not measured');
  });
});

describe('engineLines', () => {
  it('marks the engine kept among those tried, with the rounds of a boosted one', () => {
    const trials = [
      { engine: 'forest' as const, metrics, calibratedLogLoss: 0.4321, seconds: 1.23 },
      { engine: 'boost' as const, metrics, calibratedLogLoss: 0.4012, rounds: 140, seconds: 4.56 },
    ];
    const lines = engineLines({ engine: 'boost', trials });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^engine forest: validation log-loss \d\.\d{4} \(calibrated 0\.4321\) {2}AUC 0\.9048 {2}1\.2 s$/,
    );
    expect(lines[1]).toMatch(/^engine boost \(kept\): .* {2}140 rounds {2}4\.6 s$/);
  });

  it('names the engine alone when none was compared', () => {
    expect(engineLines({ engine: 'forest', trials: [] })).toEqual(['engine forest']);
  });
});
