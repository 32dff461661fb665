/**
 * Feature ablation: what each feature family of the schema (src/features/schema.ts) is worth.
 * For each operator shape and seed, simulates an operator (in memory, no files), builds the feature
 * frame as `retain train` does, fits the forest on every labelled month but the last and measures AUC on the last (the
 * validation split of `retain train`); then drops one family at a time, refits with the same seed and
 * reports the AUC lost (full − without the family: positive means the family pays).
 *
 *   npx tsx scripts/bench/ablation.ts [--subscribers 30000] [--months 7] [--seeds 1,2,3]
 *     [--shapes default,high] [--trees 100] [--min-leaf 50] [--threads 1] [--families a,b+c]
 *
 * `--families` picks what to drop (default: each family of the schema in turn); `b+c` drops two
 * families (or single features, by name) together, to check that families which add nothing one at a time add nothing together
 * (several families can carry the same signal, and dropping one of them alone then costs nothing).
 *
 * Shapes: `default` (about 2% monthly churn, 55% of leavers show signs), `noisy` (2%, 30% show
 * signs), `high` (about 20% churn, 40% show signs). Each seed is a new operator and a new forest seed.
 * One fit per family and seed: keep it modest on a shared machine (30,000 subscribers and 100 trees
 * take about a minute a fit on one core).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { type BillingTable, STATUS } from '../../src/contract.js';
import {
  buildFeatures,
  createCdrAggregator,
  FEATURE_FAMILIES,
  familyOf,
  toFeatureMatrix,
} from '../../src/features/index.js';
import { dictFromStrings, i32, makeFrame, u8 } from '../../src/frame.js';
import { fitForest, predictForest } from '../../src/model/forest.js';
import { auc } from '../../src/model/metrics.js';
import type { FeatureMatrix } from '../../src/model/types.js';
import { type BillingRecord, type GenerateOptions, generateOperator } from '../generate/index.js';

const SHAPES: Record<string, Pick<GenerateOptions, 'churnRate' | 'signShare'>> = {
  default: { churnRate: 0.02, signShare: 0.55 },
  noisy: { churnRate: 0.02, signShare: 0.3 },
  high: { churnRate: 0.2, signShare: 0.4 },
};

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '30000' },
    months: { type: 'string', default: '7' },
    seeds: { type: 'string', default: '1,2,3' },
    shapes: { type: 'string', default: 'default,high' },
    trees: { type: 'string', default: '100' },
    'min-leaf': { type: 'string', default: '50' },
    threads: { type: 'string', default: '1' },
    families: { type: 'string' },
  },
});
const seeds = values.seeds.split(',').map(Number);
const shapes = values.shapes.split(',');
for (const s of shapes)
  if (!(s in SHAPES)) throw new Error(`unknown shape ${s}: ${Object.keys(SHAPES).join(', ')}`);
const families = values.families?.split(',') ?? Object.keys(FEATURE_FAMILIES);

interface Split {
  train: FeatureMatrix;
  yTrain: Uint8Array;
  test: FeatureMatrix;
  yTest: Uint8Array;
  churn: number;
}

/**
 * A billing table straight from the simulation's records (no files: writing and parsing some 500 MB
 * of CSV per operator would cost more than the fits), with the columns a reader gives.
 */
function billingCollector() {
  const ids: string[] = [];
  const plans: string[] = [];
  const num: Record<string, number[]> = {};
  const keys = [
    'month',
    'activationDay',
    'planEndDay',
    'billedAmount',
    'status',
    'suspensionCount',
    'cardType',
    'customerType',
    'ownershipChange',
    'planChange',
    'doNotDisturb',
  ] as const;
  for (const k of keys) num[k] = [];
  return {
    sink: {
      add(r: Readonly<BillingRecord>) {
        ids.push(r.subscriberId);
        plans.push(r.planId);
        for (const k of keys) num[k]!.push(r[k]);
      },
    },
    table(): BillingTable {
      const cols = {
        subscriber_id: dictFromStrings(ids),
        month: Int32Array.from(num.month!),
        activation_date: Int32Array.from(num.activationDay!),
        plan_id: dictFromStrings(plans),
        plan_end_date: Float64Array.from(num.planEndDay!),
        billed_amount: Float64Array.from(num.billedAmount!),
        status: Uint8Array.from(num.status!),
        suspension_count: Int32Array.from(num.suspensionCount!),
        card_type: Uint8Array.from(num.cardType!),
        customer_type: Uint8Array.from(num.customerType!),
        ownership_change: Uint8Array.from(num.ownershipChange!),
        plan_change: Uint8Array.from(num.planChange!),
        do_not_disturb: Uint8Array.from(num.doNotDisturb!),
      };
      return makeFrame(cols, ids.length) as BillingTable;
    },
  };
}

/** Simulates an operator and returns the validation split of `retain train` on it. */
async function operatorSplit(shape: string, seed: number): Promise<Split> {
  const billing = billingCollector();
  const aggregator = createCdrAggregator(DEFAULT_CONFIG);
  await generateOperator(
    {
      subscribers: Number(values.subscribers),
      months: Number(values.months),
      seed,
      start: '2025-01',
      ...SHAPES[shape]!,
    },
    { openMonth: () => ({ billing: billing.sink, cdr: aggregator, close: async () => {} }) },
  );
  const { frame, schema } = buildFeatures(billing.table(), aggregator.finish(), DEFAULT_CONFIG);
  const month = i32(frame, 'month');
  const labelled = u8(frame, 'labelled');
  const status = u8(frame, 'status');
  const churned = u8(frame, 'churned_next');
  let last = -Infinity;
  for (let i = 0; i < frame.n; i++) if (labelled[i] === 1 && month[i]! > last) last = month[i]!;
  const trainRows: number[] = [];
  const testRows: number[] = [];
  for (let i = 0; i < frame.n; i++) {
    if (labelled[i] !== 1 || status[i] === STATUS.closed) continue;
    (month[i] === last ? testRows : trainRows).push(i);
  }
  const X = toFeatureMatrix(frame, schema);
  const rowsOf = (rows: number[]): FeatureMatrix => ({
    nRows: rows.length,
    names: X.names,
    columns: X.columns.map((c) => Float64Array.from(rows, (r) => c[r]!)),
  });
  const yTest = Uint8Array.from(testRows, (r) => churned[r]!);
  return {
    train: rowsOf(trainRows),
    yTrain: Uint8Array.from(trainRows, (r) => churned[r]!),
    test: rowsOf(testRows),
    yTest,
    churn: yTest.reduce((s, v) => s + v, 0) / yTest.length,
  };
}

/**
 * The matrix without the features of `unit`: family or feature names joined by '+' (none for null).
 */
function without(X: FeatureMatrix, unit: string | null): FeatureMatrix {
  const dropped = new Set(unit?.split('+') ?? []);
  const keep = X.names
    .map((name, j) => [name, j] as const)
    .filter(([name]) => !dropped.has(familyOf(name)) && !dropped.has(name));
  return { nRows: X.nRows, names: keep.map(([n]) => n), columns: keep.map(([, j]) => X.columns[j]!) };
}

async function heldOutAuc(split: Split, unit: string | null, seed: number): Promise<number> {
  const params = {
    trees: Number(values.trees),
    minLeaf: Number(values['min-leaf']),
    seed,
    threads: Number(values.threads),
  };
  const { model } = await fitForest(without(split.train, unit), split.yTrain, params);
  return auc(predictForest(model, without(split.test, unit)), split.yTest);
}

const fmt = (x: number, digits = 4) => (x >= 0 ? '+' : '') + x.toFixed(digits);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** full AUC per shape and seed; loss per family, shape and seed. */
const full = new Map<string, number[]>();
const loss = new Map<string, Map<string, number[]>>();
const started = performance.now();
for (const shape of shapes) {
  for (const seed of seeds) {
    const split = await operatorSplit(shape, seed);
    const base = await heldOutAuc(split, null, seed);
    full.set(shape, [...(full.get(shape) ?? []), base]);
    process.stderr.write(
      `${shape} seed ${seed}: ${split.train.nRows} train rows, ${split.test.nRows} test rows ` +
        `(churn ${(100 * split.churn).toFixed(1)}%), ${split.train.names.length} features, AUC ${base.toFixed(4)}\n`,
    );
    for (const family of families) {
      const present = family
        .split('+')
        .filter((f) => split.train.names.some((n) => familyOf(n) === f || n === f));
      if (present.length === 0) continue;
      const lost = base - (await heldOutAuc(split, family, seed));
      const byShape = loss.get(family) ?? new Map<string, number[]>();
      byShape.set(shape, [...(byShape.get(shape) ?? []), lost]);
      loss.set(family, byShape);
      process.stderr.write(`  without ${family}: ${fmt(-lost)}\n`);
    }
  }
}

const header = [
  'family',
  ...shapes.map((s) => `${s}: AUC lost without it (seeds ${seeds.join(', ')}) → mean`),
];
const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
lines.push(
  `| (all features: AUC) | ${shapes
    .map(
      (s) =>
        `${full
          .get(s)!
          .map((v) => v.toFixed(4))
          .join(', ')} → ${mean(full.get(s)!).toFixed(4)}`,
    )
    .join(' | ')} |`,
);
for (const [family, byShape] of loss) {
  const cells = shapes.map((s) => {
    const xs = byShape.get(s) ?? [];
    return xs.length === 0 ? 'n/a' : `${xs.map((x) => fmt(x)).join(', ')} → **${fmt(mean(xs))}**`;
  });
  lines.push(`| ${family} | ${cells.join(' | ')} |`);
}
console.log(lines.join('\n'));
console.log(
  `\n${values.subscribers} subscribers, ${values.months} months (train on the labelled months but the last, ` +
    `test on the last), ${values.trees} trees, min leaf ${values['min-leaf']}, ${values.threads} thread(s); ` +
    `${((performance.now() - started) / 60000).toFixed(1)} min`,
);
