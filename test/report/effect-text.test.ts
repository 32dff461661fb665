import { describe, expect, it } from 'vitest';
import { ARM, estimateEffect, formatEffect } from '../../src/index.js';

const settings = { alpha: 0.05, minEffect: 0.02, power: 0.8 };

/** `called` and `control` subscribers with the given churners; the first `reached` called were reached. */
function effect(
  called: number,
  calledChurn: number,
  control: number,
  controlChurn: number,
  reached: number | null,
) {
  const n = called + control;
  const arm = Uint8Array.from({ length: n }, (_, i) => (i < called ? ARM.called : ARM.control));
  const churned = Uint8Array.from({ length: n }, (_, i) =>
    i < called ? (i < calledChurn ? 1 : 0) : i - called < controlChurn ? 1 : 0,
  );
  const reach = reached === null ? null : Uint8Array.from({ length: n }, (_, i) => (i < reached ? 1 : 0));
  const rows = { arm, churned, value: new Float64Array(n).fill(1200), reached: reach };
  return estimateEffect(
    rows,
    Int32Array.from({ length: n }, (_, i) => i),
    settings,
  );
}

describe('formatEffect', () => {
  it('says when the calls lowered churn, with the kept revenue and the effect on those reached', () => {
    const lines = formatEffect(effect(20_000, 2_000, 10_000, 1_300, 14_000), '95%');
    expect(lines[0]).toBe('  called     20,000  churn  10.00% (95% CI 9.6% to 10.4%)');
    expect(lines[2]).toMatch(
      /^ {2}difference −3\.00 points \(95% CI −3\.\d\d to −2\.\d\d\): the calls lowered churn$/,
    );
    expect(lines[3]).toMatch(/^ {2}subscribers kept \+600\.0 \(\+4\d\d\.\d to \+7\d\d\.\d\)$/);
    expect(lines.find((l) => l.startsWith('  revenue kept'))).toMatch(
      /^ {2}revenue kept over the horizon 720,000 \(/,
    );
    expect(lines.find((l) => l.startsWith('  power'))).toMatch(
      /^ {2}power 100% to detect a 2\.0-point effect; smallest detectable 1\.\d\d points$/,
    );
    expect(lines.at(-1)).toMatch(
      /^ {2}reached 70\.0% of the called; effect on those reached −4\.29 points \(95% CI −5\.\d\d to −3\.\d\d\)$/,
    );
  });

  it('says plainly when the control group is too small, and what size would do', () => {
    const lines = formatEffect(effect(186, 18, 7, 1, null), '95%');
    expect(lines.join('\n')).toContain('not distinguishable from no effect');
    const verdict = lines.find((l) => l.includes('TOO SMALL TO TELL'))!;
    expect(verdict).toMatch(/with 7 in the control group a 2\.0-point effect is detected with \d+% power/);
    expect(verdict).toMatch(/no control group is enough beside only 186 called; [\d,]+ in each group would/);
  });

  it('gives no interval for those reached when the contact rate cannot be told from 0', () => {
    const lines = formatEffect(effect(200, 20, 200, 22, 2), '95%');
    expect(lines.at(-1)).toContain('unbounded: the contact rate is too uncertain');
  });
});
