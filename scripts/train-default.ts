/**
 * Retrains the default model shipped in models/: simulates a larger operator than the fixtures (not
 * committed), then runs `retain train` on it with the engine `retain train` uses by default
 * (DEFAULT_ENGINE) and that engine's default parameters, unless --engine, --trees or --min-leaf say
 * otherwise. The seed, sizes and the exact command are recorded in the model file, so anyone can
 * reproduce it.
 *
 *   npm run train-default [-- --subscribers 40000 --months 7 --seed 2025 --engine boost|forest|auto
 *     --trees N --min-leaf N]
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG } from '../src/config.js';
import { createCdrAggregator } from '../src/features/index.js';
import { readBilling, readCdr, writeTextAtomic } from '../src/io/index.js';
import { serializeModel } from '../src/model/persist.js';
import { DEFAULT_ENGINE, ENGINE_CHOICES, type EngineChoice } from '../src/model/types.js';
import { trainSubscriberModel } from '../src/pipeline/train.js';
import { VERSION } from '../src/version.js';
import { createFileSinks, generateOperator } from './generate/index.js';

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '40000' },
    months: { type: 'string', default: '7' },
    seed: { type: 'string', default: '2025' },
    engine: { type: 'string', default: DEFAULT_ENGINE },
    trees: { type: 'string' },
    'min-leaf': { type: 'string' },
    out: { type: 'string', default: 'models/default.model.json' },
  },
});
const engine = values.engine as EngineChoice;
if (!ENGINE_CHOICES.includes(engine))
  throw new Error(`--engine must be one of ${ENGINE_CHOICES.join(', ')}, got "${values.engine}"`);
// Given, they apply to whichever engine trains (as `retain train --trees/--min-leaf` do); absent, its defaults.
const params = {
  ...(values.trees === undefined ? {} : { trees: Number(values.trees) }),
  ...(values['min-leaf'] === undefined ? {} : { minLeaf: Number(values['min-leaf']) }),
};

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
    `--seed ${seed} --engine ${engine}` +
    (values.trees === undefined ? '' : ` --trees ${values.trees}`) +
    (values['min-leaf'] === undefined ? '' : ` --min-leaf ${values['min-leaf']}`);
  const { content, report } = await trainSubscriberModel({
    billing: table,
    cdr: aggregator.finish(),
    config: DEFAULT_CONFIG,
    engine,
    forest: params,
    boost: params,
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
    `${command}\nengine ${report.engine}; validation ${v ? `${v.testMonth}: AUC ${v.metrics.auc.toFixed(4)}, top-decile lift ${v.metrics.topDecileLift.toFixed(2)}` : 'n/a'}\n` +
      (c ? `calibration (${c.method}): before ${quality(c.before)}; after ${quality(c.after)}\n` : '') +
      `segments: ${report.segments.names.join(' | ')}\nwrote ${values.out} (${(text.length / 1e6).toFixed(2)} MB)\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
