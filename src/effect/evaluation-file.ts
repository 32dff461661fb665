/**
 * An evaluation file (`retain evaluate --out`) read back, as `report --evaluation` reads it: its
 * format tag, and the shape of every part the report draws from, checked at once, so a file edited
 * by hand or cut short is refused naming each missing or mistyped field, never a crash half-way
 * through the report. Numbers may be null: JSON writes an undefined figure (an AUC of one class) so.
 *
 * The file names the scored folder it measured (`scoredFolder`: its path, and the SHA-256 of its
 * retain-run.json, which holds the hash of every file of the run), so the report refuses an evaluation
 * of another scoring of the same month. The field is an addition to version 1: a file written before
 * it is still read, with a note that it cannot be matched to the folder.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { EVALUATION_FORMAT } from '../io/output-file.js';
import { RUN_MANIFEST } from '../io/run-manifest.js';
import type { ScoredMonthEvaluation } from './month-evaluation.js';

/** The scored folder an evaluation measured: where it was, and the SHA-256 of its manifest (null: none). */
export interface EvaluatedFolder {
  readonly path: string;
  readonly manifestSha256: string | null;
}

/** An evaluation file as read: the evaluation, and the folder it measured when the file records it. */
export type EvaluationFile = ScoredMonthEvaluation & { readonly scoredFolder?: EvaluatedFolder };

/** What `retain evaluate --out` records of the folder it measured. */
export const evaluatedFolder = (folder: {
  readonly dir: string;
  readonly manifestSha256: string | null;
}): EvaluatedFolder => ({ path: folder.dir, manifestSha256: folder.manifestSha256 });

const figure = z.number().nullable();
const interval = z.looseObject({ low: figure, high: figure }).nullable();
const estimate = z.looseObject({ estimate: figure, low: figure, high: figure }).nullable();
const arm = z.looseObject({ subscribers: z.number(), churnRate: figure });

const EVALUATION = z.looseObject({
  format: z.literal(EVALUATION_FORMAT),
  scoredFolder: z
    .object({
      path: z.string().min(1),
      manifestSha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/, 'not a SHA-256')
        .nullable(),
    })
    .optional(),
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
export function checkEvaluation(json: unknown, path: string): EvaluationFile {
  const tag = (json as { format?: unknown } | null)?.format;
  if (tag !== EVALUATION_FORMAT)
    throw new InputError(
      `${path}: not an evaluation written by retain evaluate --out (no "format": "${EVALUATION_FORMAT}")`,
    );
  const r = EVALUATION.safeParse(json);
  if (r.success) return json as EvaluationFile;
  const problems = r.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
  throw new InputError(
    `${path}: not a whole evaluation of retain evaluate --out (${problems.length} problem${problems.length > 1 ? 's' : ''}: ${problems.join('; ')})`,
  );
}

const short = (sha256: string) => sha256.slice(0, 12);

/**
 * Whether the evaluation at `path` measured the scored folder `folder` (its manifest's SHA-256):
 * null when it did, a note when it cannot tell (a file written before evaluations named their folder,
 * or a folder on either side without a manifest), and an InputError naming both files when it
 * measured another scoring.
 */
export function matchEvaluatedFolder(
  e: EvaluationFile,
  path: string,
  folder: { readonly dir: string; readonly manifestSha256: string | null },
): string | null {
  const measured = e.scoredFolder;
  if (measured === undefined)
    return `--evaluation ${path}: names no scored folder (written by an older retain evaluate): it cannot be matched to ${folder.dir}; evaluate the folder again to check it`;
  if (measured.manifestSha256 === null)
    return `--evaluation ${path}: measured ${measured.path}, which had no ${RUN_MANIFEST}: it cannot be matched to ${folder.dir}`;
  if (folder.manifestSha256 === null)
    return `--evaluation ${path}: cannot be matched to ${folder.dir}, which has no ${RUN_MANIFEST}`;
  if (measured.manifestSha256 === folder.manifestSha256) return null;
  throw new InputError(
    `--evaluation ${path}: measured the scored folder ${measured.path} (${RUN_MANIFEST} SHA-256 ${short(measured.manifestSha256)}…), ` +
      `not the folder reported, whose ${join(folder.dir, RUN_MANIFEST)} has SHA-256 ${short(folder.manifestSha256)}…: ` +
      `it is the outcome of another run's scores and lists; evaluate this folder (retain evaluate ${folder.dir} <next month's billing> --out FILE)`,
  );
}
