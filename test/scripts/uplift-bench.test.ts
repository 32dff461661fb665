/**
 * The must-show of uplift targeting on one seeded generated operator (scripts/bench/uplift-case.ts):
 * at the same capacity, the warning list ordered by the uplift model's expected saving saves more
 * revenue than the list ordered by revenue at risk, and no more than the truth's (oracle) order.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runUpliftCase } from '../../scripts/bench/uplift-case.js';

it('uplift targeting saves more than risk targeting at the same capacity, and less than the truth', async () => {
  const r = await runUpliftCase({
    subscribers: 12000,
    months: 5,
    seed: 2,
    trees: 20,
    capacityShare: 0.3,
    dir: mkdtempSync(join(tmpdir(), 'retain-uplift-case-')),
  });
  expect(r.capacity).toBe(Math.round(0.3 * r.candidates));
  expect(r.uplift).toBeGreaterThan(r.risk);
  expect(r.truth).toBeGreaterThan(r.uplift);
  expect(r.truth).toBeGreaterThan(0);
  // Both learners were measured on the held-out part and the better one kept.
  const [two, ct] = r.selection.trials;
  expect([two!.method, ct!.method]).toEqual(['two-model', 'class-transformation']);
  expect(r.selection.chosen).toBe(
    two!.qiniCoefficient >= ct!.qiniCoefficient ? 'two-model' : 'class-transformation',
  );
}, 900_000);
