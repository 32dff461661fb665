/**
 * Two ways to learn how much a call lowers each subscriber's churn from a randomised campaign (the
 * called against the control group), both on our tree engines:
 *
 * - `two-model` (the T-learner): one churn model on the called, one on the control group; the uplift
 *   is the control model's churn minus the called model's.
 * - `class-transformation` (Jaskowski and Jaroszewicz, 2012; Lai's transformed outcome): one
 *   classifier of Z = 1 for a called subscriber who stayed or a control subscriber who churned. With
 *   the two arms weighted equally P(Z = 1) = (1 + uplift) / 2, so uplift = 2·P(Z = 1) − 1. Our
 *   engines take no row weights, so the smaller arm's rows are repeated to the larger's size (each
 *   row a whole number of times, a seeded draw deciding the remainder).
 *
 * The uplift is the churn reduction a call brings: positive when the call keeps the subscriber,
 * negative for a sleeping dog the call wakes.
 */
import { assertUnreachable } from '../errors.js';
import { takeColumn, takeMatrix } from '../frame.js';
import { getEngine } from '../model/engines.js';
import type { EngineName, FeatureMatrix } from '../model/types.js';
import { createRandom } from '../random.js';

export type UpliftMethod = 'two-model' | 'class-transformation';
export const UPLIFT_METHODS: readonly UpliftMethod[] = ['two-model', 'class-transformation'];

/** Engine parameters for uplift learners: larger leaves than for churn, as the signal is a difference. */
export const UPLIFT_ENGINE_DEFAULTS: Readonly<Record<EngineName, Readonly<Record<string, unknown>>>> = {
  forest: { trees: 200, minLeaf: 50, maxFeatures: 'sqrt' },
  'ml-random-forest': { trees: 100, minLeaf: 50 },
  boost: { learningRate: 0.05, maxLeaves: 7, minLeaf: 100 },
};

/** The training rows of a campaign: features, arm and churn. */
export interface UpliftRows {
  readonly X: FeatureMatrix;
  /** 1 called, 0 control. */
  readonly treated: Uint8Array;
  readonly churned: Uint8Array;
}

export interface UpliftFitSettings {
  readonly engine: EngineName;
  /** Overrides of UPLIFT_ENGINE_DEFAULTS for the engine. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly seed: number;
}

/** A fitted learner: the engine JSON of its parts and the uplift predictor. */
export interface FittedLearner {
  readonly method: UpliftMethod;
  /** two-model: { control, called }; class-transformation: { transformed }. */
  readonly parts: Readonly<Record<string, unknown>>;
  readonly params: Readonly<Record<string, unknown>>;
  readonly importances: Record<string, number>;
  readonly predict: (X: FeatureMatrix) => Float64Array;
}

function rowsWhere(t: Uint8Array, value: number): Int32Array {
  let n = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === value) n++;
  const out = new Int32Array(n);
  for (let i = 0, k = 0; i < t.length; i++) if (t[i] === value) out[k++] = i;
  return out;
}

async function fitPart(X: FeatureMatrix, y: Uint8Array, s: UpliftFitSettings) {
  const engine = getEngine(s.engine);
  const params = { ...UPLIFT_ENGINE_DEFAULTS[s.engine], ...s.params, seed: s.seed };
  const { model, stats } = await engine.fit(X, y, params);
  const json = engine.toJSON(model);
  return {
    json,
    params: (json as { params?: Record<string, unknown> }).params ?? params,
    importances: stats.importances,
    predict: (Z: FeatureMatrix) => engine.predict(model, Z),
  };
}

function requireBothClasses(y: Uint8Array, what: string): void {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i]!;
  if (s === 0 || s === y.length)
    throw new RangeError(`${what}: ${s} churners among ${y.length} subscribers; both outcomes are needed`);
}

async function fitTwoModel(rows: UpliftRows, s: UpliftFitSettings): Promise<FittedLearner> {
  const called = rowsWhere(rows.treated, 1);
  const control = rowsWhere(rows.treated, 0);
  const yt = takeColumn(rows.churned, called);
  const yc = takeColumn(rows.churned, control);
  requireBothClasses(yt, 'the called subscribers');
  requireBothClasses(yc, 'the control group');
  const t = await fitPart(takeMatrix(rows.X, called), yt, s);
  const c = await fitPart(takeMatrix(rows.X, control), yc, s);
  const importances: Record<string, number> = {};
  for (const name of rows.X.names)
    importances[name] = ((t.importances[name] ?? 0) + (c.importances[name] ?? 0)) / 2;
  return {
    method: 'two-model',
    parts: { control: c.json, called: t.json },
    params: t.params,
    importances,
    predict: (X) => {
      const pc = c.predict(X);
      const pt = t.predict(X);
      return Float64Array.from(pc, (v, i) => v - pt[i]!);
    },
  };
}

/**
 * Rows of the class-transformation training set: every row once, the smaller arm's rows repeated
 * so both arms weigh the same. Deterministic given the seed.
 */
export function balancedRows(treated: Uint8Array, seed: number): Int32Array {
  const called = rowsWhere(treated, 1);
  const control = rowsWhere(treated, 0);
  const [small, large] = called.length <= control.length ? [called, control] : [control, called];
  if (small.length === 0) return Int32Array.from([...large]);
  const ratio = large.length / small.length;
  const whole = Math.floor(ratio);
  const random = createRandom(seed, 0xc7);
  const out: number[] = [...large];
  for (const r of small) {
    const times = whole + (random.next() < ratio - whole ? 1 : 0);
    for (let k = 0; k < times; k++) out.push(r);
  }
  return Int32Array.from(out.sort((a, b) => a - b));
}

/** Z = 1 for a called subscriber who stayed or a control subscriber who churned. */
export function transformedOutcome(treated: Uint8Array, churned: Uint8Array): Uint8Array {
  return Uint8Array.from(treated, (t, i) => (t === 1 ? 1 - churned[i]! : churned[i]!));
}

async function fitClassTransformation(rows: UpliftRows, s: UpliftFitSettings): Promise<FittedLearner> {
  const balanced = balancedRows(rows.treated, s.seed);
  const z = transformedOutcome(rows.treated, rows.churned);
  const zb = takeColumn(z, balanced);
  requireBothClasses(zb, 'the transformed outcome');
  const m = await fitPart(takeMatrix(rows.X, balanced), zb, s);
  return {
    method: 'class-transformation',
    parts: { transformed: m.json },
    params: m.params,
    importances: m.importances,
    predict: (X) => Float64Array.from(m.predict(X), (p) => 2 * p - 1),
  };
}

export function fitLearner(method: UpliftMethod, rows: UpliftRows, s: UpliftFitSettings) {
  switch (method) {
    case 'two-model':
      return fitTwoModel(rows, s);
    case 'class-transformation':
      return fitClassTransformation(rows, s);
    default:
      return assertUnreachable(method);
  }
}

/** The uplift predictor of a stored learner (parts as fitLearner wrote them); throws on a bad part. */
export function learnerPredictor(
  method: UpliftMethod,
  engineName: EngineName,
  parts: Readonly<Record<string, unknown>>,
): (X: FeatureMatrix) => Float64Array {
  const engine = getEngine(engineName);
  const load = (name: string) => {
    if (parts[name] === undefined || parts[name] === null)
      throw new RangeError(`learner part "${name}" is missing`);
    const model = engine.fromJSON(parts[name]);
    return (X: FeatureMatrix) => engine.predict(model, X);
  };
  switch (method) {
    case 'two-model': {
      const c = load('control');
      const t = load('called');
      return (X) => {
        const pc = c(X);
        const pt = t(X);
        return Float64Array.from(pc, (v, i) => v - pt[i]!);
      };
    }
    case 'class-transformation': {
      const m = load('transformed');
      return (X) => Float64Array.from(m(X), (p) => 2 * p - 1);
    }
    default:
      return assertUnreachable(method);
  }
}
