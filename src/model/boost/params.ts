/** Boosting parameters: defaults filled in and every value checked once, naming the bad one. */
import { UsageError } from '../../errors.js';
import { type BoostParams, DEFAULT_BOOST_PARAMS, LAMBDA_SCALINGS } from '../types.js';

export type ResolvedBoostParams = Required<BoostParams>;

/** What the model records of its parameters (see trainedParams). */
export type TrainedBoostParams = Omit<ResolvedBoostParams, 'threads' | 'seed'>;

function bad(name: string, value: unknown, expected: string): UsageError {
  return new UsageError(`boost parameter ${name}: ${JSON.stringify(value)} is not ${expected}`);
}

function isInt(v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

function isNumber(v: unknown, min: number, max = Number.POSITIVE_INFINITY): v is number {
  return typeof v === 'number' && v >= min && v <= max;
}

export function resolveBoostParams(params: Partial<BoostParams> = {}): ResolvedBoostParams {
  const p: ResolvedBoostParams = { ...DEFAULT_BOOST_PARAMS };
  for (const [key, value] of Object.entries(params)) {
    if (!(key in DEFAULT_BOOST_PARAMS)) throw new UsageError(`unknown boost parameter ${key}`);
    if (value !== undefined) (p as unknown as Record<string, unknown>)[key] = value;
  }
  if (!isInt(p.trees, 1, 1_000_000)) throw bad('trees', p.trees, 'an integer from 1 to 1000000');
  if (!isNumber(p.learningRate, Number.MIN_VALUE, 1))
    throw bad('learningRate', p.learningRate, 'a number in (0, 1]');
  if (!isInt(p.maxLeaves, 2, 65_536)) throw bad('maxLeaves', p.maxLeaves, 'an integer from 2 to 65536');
  if (!isInt(p.maxDepth, 0, 64)) throw bad('maxDepth', p.maxDepth, 'an integer from 0 (unlimited) to 64');
  if (!isInt(p.minLeaf, 1)) throw bad('minLeaf', p.minLeaf, 'an integer >= 1');
  if (!isNumber(p.minHessian, 0)) throw bad('minHessian', p.minHessian, 'a number >= 0');
  if (!isNumber(p.lambda, 0)) throw bad('lambda', p.lambda, 'a number >= 0');
  if (!(LAMBDA_SCALINGS as readonly unknown[]).includes(p.lambdaScaling))
    throw bad('lambdaScaling', p.lambdaScaling, `one of ${LAMBDA_SCALINGS.join(', ')}`);
  if (!isNumber(p.minGain, 0)) throw bad('minGain', p.minGain, 'a number >= 0');
  if (!isNumber(p.rowShare, Number.MIN_VALUE, 1)) throw bad('rowShare', p.rowShare, 'a share in (0, 1]');
  if (!isNumber(p.featureShare, Number.MIN_VALUE, 1))
    throw bad('featureShare', p.featureShare, 'a share in (0, 1]');
  if (!isNumber(p.topGradientShare, Number.MIN_VALUE, 1))
    throw bad('topGradientShare', p.topGradientShare, 'a share in (0, 1]');
  // With topGradientShare 1 every row is kept and otherGradientShare is not used.
  if (!isNumber(p.otherGradientShare, 0, p.topGradientShare < 1 ? 1 - p.topGradientShare : 1))
    throw bad('otherGradientShare', p.otherGradientShare, 'a share in [0, 1 - topGradientShare]');
  if (!isInt(p.gradientSampleFrom, 1))
    throw bad('gradientSampleFrom', p.gradientSampleFrom, 'an integer >= 1');
  if (!isInt(p.earlyStopping, 0)) throw bad('earlyStopping', p.earlyStopping, 'an integer >= 0 (0 = off)');
  if (!isNumber(p.validationShare, Number.MIN_VALUE, 0.5))
    throw bad('validationShare', p.validationShare, 'a share in (0, 0.5]');
  if (!isInt(p.maxBins, 3, 256)) throw bad('maxBins', p.maxBins, 'an integer from 3 to 256');
  if (!isInt(p.seed, 0, 2 ** 32 - 1)) throw bad('seed', p.seed, 'an integer from 0 to 2^32-1');
  if (!isInt(p.threads, 0, 1024)) throw bad('threads', p.threads, 'an integer >= 0 (0 = all cores)');
  return p;
}
