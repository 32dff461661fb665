/**
 * Retrains the default model shipped in models/: simulates a larger operator than the fixtures (not
 * committed), then runs `retain train` on it. The seed, sizes and the exact command are recorded in the
 * model file, so anyone can reproduce it.
 *
 *   npm run train-default [-- --subscribers 40000 --months 7 --seed 2025 --trees 100 --min-leaf 50]
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG } from '../src/config.js';
import { createCdrAggregator } from '../src/features/index.js';
import { readBilling, readCdr, writeTextAtomic } from '../src/io/index.js';
import { serializeModel } from '../src/model/persist.js';
import { trainSubscriberModel } from '../src/pipeline/train.js';
import { VERSION } from '../src/version.js';
import { createFileSinks, generateOperator } from './generate/index.js';

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '40000' },
    months: { type: 'string', default: '7' },
    seed: { type: 'string', default: '2025' },
    trees: { type: 'string', default: '100' },
    'min-leaf': { type: 'string', default: '50' },
    out: { type: 'string', default: 'models/default.model.json' },
  },
});

const dir = mkdtempSync(join(tmpdir(), 'retain-default-'));
try {
  const sinks = createFileSinks({ out: dir, format: 'csv', gzip: false, cdr: true, truth: false });
  await generateOperator(
    {
      subscribers: Number(values.subscribers),
      months: Number(values.months),
      seed: Number(values.seed),
      start: '2025-01',
      cdrMonths: Number.POSITIVE_INFINITY,
    },
    sinks,
  );
  const files = readdirSync(dir).sort();
  const billing = files.filter((f) => f.startsWith('billing-')).map((f) => join(dir, f));
  const cdr = files.filter((f) => f.startsWith('cdr-')).map((f) => join(dir, f));
  const { table } = await readBilling(billing, { config: DEFAULT_CONFIG });
  const aggregator = createCdrAggregator(DEFAULT_CONFIG);
  for (const f of cdr) await readCdr(f, aggregator, { config: DEFAULT_CONFIG });
  const seed = Number(values.seed);
  // The command that rebuilds this model, not the temporary paths it happened to read.
  const command =
    `npm run train-default -- --subscribers ${values.subscribers} --months ${values.months} ` +
    `--seed ${seed} --trees ${values.trees} --min-leaf ${values['min-leaf']}`;
  const { content, report } = await trainSubscriberModel({
    billing: table,
    cdr: aggregator.finish(),
    config: DEFAULT_CONFIG,
    engine: 'forest',
    forest: { trees: Number(values.trees), minLeaf: Number(values['min-leaf']) },
    seed,
    trainedAt: new Date().toISOString(),
    command,
    packageVersion: VERSION,
  });
  const text = serializeModel(content);
  await writeTextAtomic(String(values.out), text);
  const v = report.validation;
  const c = report.calibration;
  const quality = (q: NonNullable<typeof c>['before']) =>
    `Brier ${q.brier.toFixed(4)}, log-loss ${q.logLoss.toFixed(4)}, ECE ${q.ece.toFixed(4)}, at 0 ${(100 * q.atZero).toFixed(1)}%`;
  process.stderr.write(
    `${command}\nvalidation ${v ? `${v.testMonth}: AUC ${v.metrics.auc.toFixed(4)}, top-decile lift ${v.metrics.topDecileLift.toFixed(2)}` : 'n/a'}\n` +
      (c ? `calibration (${c.method}): before ${quality(c.before)}; after ${quality(c.after)}\n` : '') +
      `segments: ${report.segments.names.join(' | ')}\nwrote ${values.out} (${(text.length / 1e6).toFixed(2)} MB)\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
