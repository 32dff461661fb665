/**
 * Feature ablation: what each feature family of the schema (src/features/schema.ts) is worth, with
 * retain's default engine as `retain train` runs it (fitValidated: the validation fits, the choice,
 * the refit on every training row).
 *
 *   npx tsx scripts/bench/ablation.ts [--data DIR] [--only op2,op20,noisy,ibm,bigml,iranian]
 *     [--subscribers 20000] [--months 7] [--seeds 1,2,3] [--engine auto] [--threads 2]
 *     [--families a,b+c]
 *
 * A family's worth is the test AUC with it minus the AUC without it (positive: it pays), per seed,
 * then the mean.
 *
 * Data sets:
 * - generated operators (in memory, no files): `op2` about 2% monthly churn, `op20` about 20%, `noisy`
 *   2% with only 30% of leavers showing signs (the generator's --churn and --sign-share). Train on
 *   every labelled month but the last, test on the last; the validation month inside the training
 *   months is the last of them, as `retain train` validates. Each seed is a new operator.
 * - the public tables in --data (default ../shared/data beside the repository; SOURCES.md there) in
 *   table mode: IBM Telco and Iranian a stratified 70/30 split (seed = the run's seed), BigML its
 *   published 80 → 20 files; the validation split inside the training rows is `retain train --table`'s.
 *   Their columns are mapped onto the families they carry (TABLE_FAMILIES); families a table does not
 *   carry are n/a there.
 * `--families` picks what to drop (default: each family in turn); `b+c` drops several together, to
 * check that families which add nothing one at a time add nothing together.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG } from '../../src/config.js';
import type { BillingTable } from '../../src/contract.js';
import {
  buildFeatures,
  createCdrAggregator,
  FEATURE_FAMILIES,
  familyOf,
  toFeatureMatrix,
} from '../../src/features/index.js';
import { applyTableEncoding, fitTableEncoding } from '../../src/features/table.js';
import { dictFromStrings, i32, makeFrame, take, u8, where } from '../../src/frame.js';
import { readRawTable } from '../../src/io/index.js';
import { stratifiedSplit } from '../../src/model/holdout.js';
import { auc } from '../../src/model/metrics.js';
import { DEFAULT_ENGINE, type EngineChoice, type FeatureMatrix } from '../../src/model/types.js';
import { labelledRows } from '../../src/pipeline/train.js';
import { fitValidated, type ValidationSplit } from '../../src/pipeline/validated-fit.js';
import { type BillingRecord, type GenerateOptions, generateOperator } from '../generate/index.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: resolve(import.meta.dirname, '../../../shared/data') },
    only: { type: 'string', default: 'op2,op20,noisy,ibm,bigml,iranian' },
    subscribers: { type: 'string', default: '20000' },
    months: { type: 'string', default: '7' },
    seeds: { type: 'string', default: '1,2,3' },
    engine: { type: 'string', default: DEFAULT_ENGINE },
    threads: { type: 'string', default: '2' },
    families: { type: 'string' },
  },
});
const seeds = values.seeds.split(',').map(Number);
const threads = Number(values.threads);

/** The public tables' columns by family (a pattern over the encoded names); the rest are always kept. */
const TABLE_FAMILIES: Record<string, RegExp> = {
  tenure: /^(tenure|Account length|Subscription {2}Length)$/,
  contract: /^Contract=/,
  spend: /^(MonthlyCharges|TotalCharges|Total \w+ charge|Charge {2}Amount|Customer Value)$/,
  volume: /^(Total \w+ (minutes|calls)|Number vmail messages|Seconds of Use|Frequency of (use|SMS))$/,
  care: /^(Customer service calls|Complains|Call {2}Failure)$/,
  status: /^Status$/,
  contacts: /^Distinct Called Numbers$/,
};

/** One data set: training rows (the validation split inside them) and test rows. */
interface Dataset {
  train: FeatureMatrix;
  yTrain: Uint8Array;
  test: FeatureMatrix;
  yTest: Uint8Array;
  split: ValidationSplit;
  /** The family of each feature (null: in no family, always kept). */
  family: (name: string) => string | null;
}

const rowsOf = (X: FeatureMatrix, rows: ArrayLike<number>): FeatureMatrix => ({
  nRows: rows.length,
  names: X.names,
  columns: X.columns.map((c) => Float64Array.from(rows, (r) => c[r]!)),
});

/** A billing table straight from the simulation's records (no files: the fits cost enough). */
function billingCollector() {
  const ids: string[] = [];
  const plans: string[] = [];
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
  const num = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<
    (typeof keys)[number],
    number[]
  >;
  return {
    sink: {
      add(r: Readonly<BillingRecord>) {
        ids.push(r.subscriberId);
        plans.push(r.planId);
        for (const k of keys) num[k].push(r[k]);
      },
    },
    table(): BillingTable {
      const cols = {
        subscriber_id: dictFromStrings(ids),
        month: Int32Array.from(num.month),
        activation_date: Int32Array.from(num.activationDay),
        plan_id: dictFromStrings(plans),
        plan_end_date: Float64Array.from(num.planEndDay),
        billed_amount: Float64Array.from(num.billedAmount),
        status: Uint8Array.from(num.status),
        suspension_count: Int32Array.from(num.suspensionCount),
        card_type: Uint8Array.from(num.cardType),
        customer_type: Uint8Array.from(num.customerType),
        ownership_change: Uint8Array.from(num.ownershipChange),
        plan_change: Uint8Array.from(num.planChange),
        do_not_disturb: Uint8Array.from(num.doNotDisturb),
      };
      return makeFrame(cols, ids.length) as BillingTable;
    },
  };
}

const OPERATORS: Record<string, Pick<GenerateOptions, 'churn' | 'signShare'>> = {
  op2: { churn: 0.02, signShare: 0.55 },
  op20: { churn: 0.2, signShare: 0.55 },
  noisy: { churn: 0.02, signShare: 0.3 },
};

async function operator(shape: string, seed: number): Promise<Dataset> {
  const billing = billingCollector();
  const aggregator = createCdrAggregator(DEFAULT_CONFIG);
  await generateOperator(
    {
      subscribers: Number(values.subscribers),
      months: Number(values.months),
      seed,
      start: '2025-01',
      ...OPERATORS[shape]!,
    },
    { openMonth: () => ({ billing: billing.sink, cdr: aggregator, close: async () => {} }) },
  );
  const built = buildFeatures(billing.table(), aggregator.finish(), DEFAULT_CONFIG);
  // What `retain train` learns from: the labelled rows that are not closed.
  const labelled = take(built.frame, labelledRows(built.frame));
  const y = u8(labelled, 'churned_next');
  const X = toFeatureMatrix(labelled, built.schema);
  const month = i32(labelled, 'month');
  const months = [...new Set(month)].sort((a, b) => a - b);
  const last = months.at(-1)!;
  const trainRows = where(labelled.n, (i) => month[i] !== last);
  const testRows = where(labelled.n, (i) => month[i] === last);
  const trainMonth = Int32Array.from(trainRows, (r) => month[r]!);
  const validMonth = months.at(-2)!;
  return {
    train: rowsOf(X, trainRows),
    yTrain: Uint8Array.from(trainRows, (r) => y[r]!),
    test: rowsOf(X, testRows),
    yTest: Uint8Array.from(testRows, (r) => y[r]!),
    split: {
      train: where(trainRows.length, (i) => trainMonth[i] !== validMonth),
      test: where(trainRows.length, (i) => trainMonth[i] === validMonth),
    },
    family: familyOf,
  };
}

const TABLES: Record<string, { file: string; testFile: string | null; id: string | null }> = {
  ibm: { file: 'ibm-telco/Telco-Customer-Churn.csv', testFile: null, id: 'customerID' },
  bigml: { file: 'bigml-churn/churn-bigml-80.csv', testFile: 'bigml-churn/churn-bigml-20.csv', id: null },
  iranian: { file: 'iranian-churn/Customer_Churn.csv', testFile: null, id: null },
};

async function publicTable(key: string, seed: number): Promise<Dataset> {
  const t = TABLES[key]!;
  const full = await readRawTable(join(values.data!, t.file));
  const opts = { label: 'Churn', ...(t.id ? { id: t.id } : {}) };
  let trainRaw = full;
  let testRaw = t.testFile ? await readRawTable(join(values.data!, t.testFile)) : full;
  if (!t.testFile) {
    const s = stratifiedSplit(fitTableEncoding(full, opts).y, 0.3, seed);
    const pick = (rows: Int32Array) => ({
      names: full.names,
      columns: full.columns.map((c) => Array.from(rows, (r) => c[r]!)),
      rowCount: rows.length,
    });
    trainRaw = pick(s.train);
    testRaw = pick(s.test);
  }
  const fit = fitTableEncoding(trainRaw, opts);
  const test = applyTableEncoding(fit.encoding, testRaw);
  return {
    train: fit.X,
    yTrain: fit.y,
    test: test.X,
    yTest: fitTableEncoding(testRaw, opts).y,
    split: stratifiedSplit(fit.y, 0.3, seed),
    family: (name) => Object.keys(TABLE_FAMILIES).find((f) => TABLE_FAMILIES[f]!.test(name)) ?? null,
  };
}

/** The matrix without the features of `dropped` (families or feature names). */
function without(X: FeatureMatrix, d: Dataset, dropped: ReadonlySet<string>): FeatureMatrix {
  const keep = X.names
    .map((name, j) => [name, j] as const)
    .filter(([name]) => !dropped.has(d.family(name) ?? '') && !dropped.has(name));
  return { nRows: X.nRows, names: keep.map(([n]) => n), columns: keep.map(([, j]) => X.columns[j]!) };
}

async function testAuc(d: Dataset, dropped: ReadonlySet<string>, seed: number): Promise<number> {
  const fitted = await fitValidated(
    {
      engine: values.engine as EngineChoice,
      forest: { threads },
      boost: { threads },
      seed,
      trainedAt: '',
      command: '',
      packageVersion: '',
    },
    without(d.train, d, dropped),
    d.yTrain,
    d.split,
  );
  return auc(fitted.fit.predict(without(d.test, d, dropped)), d.yTest);
}

const fmt = (x: number) => (x >= 0 ? '+' : '') + x.toFixed(4);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sets = values.only.split(',');
const units = values.families?.split(',') ?? [
  ...new Set([...Object.keys(FEATURE_FAMILIES), ...Object.keys(TABLE_FAMILIES)]),
];

const full = new Map<string, number[]>();
/** unit → data set → worth per seed. */
const worth = new Map<string, Map<string, number[]>>();
const started = performance.now();
for (const set of sets) {
  if (!(set in OPERATORS) && !(set in TABLES)) throw new Error(`unknown data set ${set}`);
  for (const seed of seeds) {
    const d = set in OPERATORS ? await operator(set, seed) : await publicTable(set, seed);
    const base = await testAuc(d, new Set(), seed);
    full.set(set, [...(full.get(set) ?? []), base]);
    const churn = d.yTest.reduce((s, v) => s + v, 0) / d.yTest.length;
    process.stderr.write(
      `${set} seed ${seed}: ${d.train.nRows} train, ${d.test.nRows} test rows (churn ${(100 * churn).toFixed(1)}%), AUC ${base.toFixed(4)}\n`,
    );
    for (const unit of units) {
      const parts = unit.split('+');
      if (!d.train.names.some((n) => parts.includes(d.family(n) ?? '') || parts.includes(n))) continue;
      const value = base - (await testAuc(d, new Set(parts), seed));
      const bySet = worth.get(unit) ?? new Map<string, number[]>();
      bySet.set(set, [...(bySet.get(set) ?? []), value]);
      worth.set(unit, bySet);
      process.stderr.write(`  ${unit}: ${fmt(value)}\n`);
    }
  }
}

const header = ['family', ...sets];
const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
lines.push(`| (test AUC, all features) | ${sets.map((s) => mean(full.get(s)!).toFixed(4)).join(' | ')} |`);
for (const [unit, bySet] of worth) {
  const cells = sets.map((s) => {
    const xs = bySet.get(s) ?? [];
    return xs.length === 0 ? 'n/a' : `**${fmt(mean(xs))}** (${xs.map(fmt).join(', ')})`;
  });
  lines.push(`| ${unit} | ${cells.join(' | ')} |`);
}
console.log(lines.join('\n'));
console.log(
  `\nAUC with the family minus without it, mean (per seed ${seeds.join(', ')}); engine ${values.engine}; ` +
    `operators ${values.subscribers} subscribers × ${values.months} months; ` +
    `${((performance.now() - started) / 60000).toFixed(1)} min`,
);
