/** Drift in a scored folder's summary, and in the log: what `score` and `merge` both report. */
import type { Config } from '../../config.js';
import type { DriftCounts, DriftReference } from '../../model/drift.js';
import { type DriftSummary, driftSummary } from '../../report/index.js';
import type { CommandContext } from '../context.js';

/** Features above the warning level logged one by one; the rest are counted. */
const LOGGED_FEATURES = 10;

/** Drift as unavailable, said once at info level. */
export function driftUnavailable(ctx: CommandContext, reason: string): DriftSummary {
  ctx.log.info(`drift not measured: ${reason}`);
  return { available: false, reason };
}

/**
 * The drift section of the summary from the scored rows' counts; warns about every feature above
 * drift.warn_above (the first LOGGED_FEATURES by PSI, then how many more), and once when the model
 * should be retrained.
 */
export function measureDrift(
  ctx: CommandContext,
  reference: DriftReference,
  counts: DriftCounts,
  config: Config,
): DriftSummary {
  const drift = driftSummary(reference, counts, {
    warn: config.drift.warn_above,
    retrain: config.drift.retrain_above,
  });
  const { warn, retrain } = drift.thresholds;
  const fixed = (v: number) => v.toFixed(3);
  const top = drift.features[0];
  ctx.log.info(
    { rows: counts.rows, scorePsi: drift.score.psi, topFeature: top?.feature, topPsi: top?.psi },
    `drift measured on ${counts.rows} subscribers: score PSI ${fixed(drift.score.psi)}` +
      (top ? `, highest feature PSI ${fixed(top.psi)} (${top.feature})` : ''),
  );
  if (drift.score.level !== 'stable')
    ctx.log.warn(
      { psi: drift.score.psi, driftLevel: drift.score.level },
      `drift: the churn score's distribution has moved (PSI ${fixed(drift.score.psi)}, above ${fixed(warn)})`,
    );
  const above = drift.features.filter((f) => f.level !== 'stable');
  for (const f of above.slice(0, LOGGED_FEATURES))
    ctx.log.warn(
      { feature: f.feature, psi: f.psi, driftLevel: f.level },
      `drift: feature ${f.feature} has moved (PSI ${fixed(f.psi)}, above ${fixed(f.level === 'retrain' ? retrain : warn)})`,
    );
  if (above.length > LOGGED_FEATURES)
    ctx.log.warn(
      { more: above.length - LOGGED_FEATURES },
      `drift: ${above.length - LOGGED_FEATURES} more features above PSI ${fixed(warn)} (summary.json lists every feature)`,
    );
  if (drift.retrain) {
    const over = drift.features.filter((f) => f.level === 'retrain').length;
    const what = [
      ...(drift.score.level === 'retrain' ? ['the score'] : []),
      ...(over > 0 ? [`${over} feature${over === 1 ? '' : 's'}`] : []),
    ].join(' and ');
    ctx.log.warn(
      { retrain: true, features: over, score: drift.score.level === 'retrain' },
      `drift: the model should be retrained: ${what} drifted above PSI ${fixed(retrain)} since training ` +
        '(`retain train` on recent months)',
    );
  }
  return drift;
}
