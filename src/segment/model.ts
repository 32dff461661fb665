/**
 * The segment model: plain JSON that the model file embeds, so scoring assigns the same segments
 * training did. `segmentModelFromJSON` checks the shape and its internal consistency.
 */
import { z } from 'zod';
import { ModelError } from '../errors.js';
import type { Scaler } from './scale.js';

export const SEGMENT_MODEL_FORMAT = 'retain-segments';
export const SEGMENT_MODEL_VERSION = 1;

export interface DistinctiveFeature {
  readonly feature: string;
  /** Segment mean minus population mean, in scaled (standard deviation) units. */
  readonly z: number;
}

export interface SegmentProfile {
  readonly segment: number;
  readonly name: string;
  readonly size: number;
  readonly share: number;
  /** Mean of the `arpu` column; null when the frame has none or all are missing. */
  readonly meanArpu: number | null;
  /** Share of labelled rows with `churned_next` = 1; null without labels. */
  readonly churnRate: number | null;
  readonly labelledRows: number;
  /** Mean of each feature in its own units, missing values skipped; null when all are missing. */
  readonly featureMeans: Readonly<Record<string, number | null>>;
  /** Every feature's z (segment mean minus population mean, scaled units). */
  readonly z: Readonly<Record<string, number>>;
  /** The features that set the segment apart most, largest |z| first (up to 3). */
  readonly distinctive: readonly DistinctiveFeature[];
}

export interface SegmentModel {
  readonly format: typeof SEGMENT_MODEL_FORMAT;
  readonly version: typeof SEGMENT_MODEL_VERSION;
  /** Features the model was fitted on, in centroid column order. */
  readonly features: readonly string[];
  readonly scaler: Scaler;
  readonly k: number;
  /** k rows of `features.length` values, in scaled units. Segment i is row i. */
  readonly centroids: readonly (readonly number[])[];
  readonly profiles: readonly SegmentProfile[];
  readonly names: readonly string[];
}

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const nullableFinite = finite.nullable();

const profileSchema = z
  .object({
    segment: z.number().int().min(0),
    name: z.string().min(1),
    size: z.number().int().min(0),
    share: z.number().min(0).max(1),
    meanArpu: nullableFinite,
    churnRate: z.number().min(0).max(1).nullable(),
    labelledRows: z.number().int().min(0),
    featureMeans: z.record(z.string(), nullableFinite),
    z: z.record(z.string(), finite),
    distinctive: z.array(z.object({ feature: z.string(), z: finite }).strict()),
  })
  .strict();

const modelSchema = z
  .object({
    format: z.literal(SEGMENT_MODEL_FORMAT),
    version: z.literal(SEGMENT_MODEL_VERSION),
    features: z.array(z.string().min(1)).min(1),
    scaler: z
      .object({
        features: z.array(z.string().min(1)),
        log: z.array(z.boolean()),
        means: z.array(finite),
        stds: z.array(finite.refine((v) => v > 0, 'must be positive')),
      })
      .strict(),
    k: z.number().int().min(1),
    centroids: z.array(z.array(finite)),
    profiles: z.array(profileSchema),
    names: z.array(z.string().min(1)),
  })
  .strict();

function consistencyProblems(m: z.infer<typeof modelSchema>): string[] {
  const problems: string[] = [];
  const d = m.features.length;
  if (m.scaler.features.join('\u0000') !== m.features.join('\u0000'))
    problems.push(`scaler.features (${m.scaler.features.join(', ')}) differ from features`);
  for (const key of ['log', 'means', 'stds'] as const)
    if (m.scaler[key].length !== d)
      problems.push(`scaler.${key} has ${m.scaler[key].length} values, expected ${d}`);
  if (new Set(m.features).size !== d) problems.push('features has duplicates');
  if (m.centroids.length !== m.k)
    problems.push(`centroids has ${m.centroids.length} rows, expected k = ${m.k}`);
  m.centroids.forEach((c, i) => {
    if (c.length !== d) problems.push(`centroids.${i} has ${c.length} values, expected ${d}`);
  });
  if (m.names.length !== m.k) problems.push(`names has ${m.names.length} entries, expected k = ${m.k}`);
  if (new Set(m.names).size !== m.names.length) problems.push('names are not unique');
  if (m.profiles.length !== m.k)
    problems.push(`profiles has ${m.profiles.length} entries, expected k = ${m.k}`);
  m.profiles.forEach((p, i) => {
    if (p.segment !== i) problems.push(`profiles.${i}.segment is ${p.segment}, expected ${i}`);
    if (p.name !== m.names[i]) problems.push(`profiles.${i}.name "${p.name}" differs from names.${i}`);
  });
  return problems;
}

/** Validates a parsed JSON value as a segment model; ModelError listing every problem otherwise. */
export function segmentModelFromJSON(json: unknown): SegmentModel {
  const tag = json as { format?: unknown; version?: unknown } | null;
  if (typeof tag !== 'object' || tag === null || tag.format !== SEGMENT_MODEL_FORMAT)
    throw new ModelError(
      `not a segment model: format is ${JSON.stringify(tag?.format)}, expected "${SEGMENT_MODEL_FORMAT}"`,
    );
  if (tag.version !== SEGMENT_MODEL_VERSION)
    throw new ModelError(
      `segment model version ${JSON.stringify(tag.version)} is not supported (expected ${SEGMENT_MODEL_VERSION})`,
    );
  const parsed = modelSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ModelError(`invalid segment model: ${lines.join('; ')}`);
  }
  const problems = consistencyProblems(parsed.data);
  if (problems.length > 0) throw new ModelError(`inconsistent segment model: ${problems.join('; ')}`);
  return parsed.data as SegmentModel;
}
