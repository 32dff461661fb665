/**
 * An evaluation file (`retain evaluate --out`) read back, as `report --evaluation` reads it: its
 * format tag, and the shape of every part the report draws from, checked at once, so a file edited
 * by hand or cut short is refused naming each missing or mistyped field, never a crash half-way
 * through the report. Numbers may be null: JSON writes an undefined figure (an AUC of one class) so.
 */
import { z } from 'zod';
import { InputError } from '../errors.js';
import { EVALUATION_FORMAT } from '../io/output-file.js';
import type { ScoredMonthEvaluation } from './month-evaluation.js';

const figure = z.number().nullable();
const interval = z.looseObject({ low: figure, high: figure }).nullable();
const estimate = z.looseObject({ estimate: figure, low: figure, high: figure }).nullable();
const arm = z.looseObject({ subscribers: z.number(), churnRate: figure });

const EVALUATION = z.looseObject({
  format: z.literal(EVALUATION_FORMAT),
  nextMonth: z.string().regex(/^\d{4}-\d{2}$/),
  evaluated: z.number(),
  metrics: z.looseObject({
    auc: figure,
    topDecileLift: figure,
    positives: z.number(),
    baseRate: figure,
    calibration: z.array(
      z.looseObject({ decile: z.number(), n: z.number(), meanPredicted: figure, observedRate: figure }),
    ),
  }),
  calibrationError: figure,
  capture: z.looseObject({ rate: figure }),
  campaign: z.looseObject({
    overall: z.looseObject({
      called: arm,
      control: arm,
      difference: figure,
      interval,
      subscribersKept: estimate,
      revenueKept: estimate,
      power: z.looseObject({ minEffect: z.number(), power: figure, detectable: z.boolean() }),
      reached: z.looseObject({}).nullable(),
    }),
  }),
  byStage: z.record(z.string(), z.looseObject({})),
  settings: z.looseObject({ alpha: z.number() }),
});

/** The evaluation in `json` (the parsed file at `path`); InputError naming every problem otherwise. */
export function checkEvaluation(json: unknown, path: string): ScoredMonthEvaluation {
  const tag = (json as { format?: unknown } | null)?.format;
  if (tag !== EVALUATION_FORMAT)
    throw new InputError(
      `${path}: not an evaluation written by retain evaluate --out (no "format": "${EVALUATION_FORMAT}")`,
    );
  const r = EVALUATION.safeParse(json);
  if (r.success) return json as ScoredMonthEvaluation;
  const problems = r.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
  throw new InputError(
    `${path}: not a whole evaluation of retain evaluate --out (${problems.length} problem${problems.length > 1 ? 's' : ''}: ${problems.join('; ')})`,
  );
}
