/**
 * The uplift model file: a model file kind of its own, tagged and hashed like the churn model
 * (model/persist.ts), carrying its feature schema, the learner's engine JSON, how the learner was
 * chosen and what it was trained on. Loading checks the tag, version, hash and every part.
 */
import { contentId } from '../contract.js';
import { ModelError } from '../errors.js';
import type { SchemaFeature } from '../model/persist.js';
import type { EngineName, FeatureMatrix } from '../model/types.js';
import type { UpliftSelection } from './fit.js';
import { learnerPredictor, UPLIFT_METHODS, type UpliftMethod } from './learners.js';

export const UPLIFT_MODEL_FORMAT = 'retain-uplift-model';
export const UPLIFT_MODEL_VERSION = 1;

export interface UpliftCampaign {
  /** The list's month, YYYY-MM. */
  readonly month: string;
  readonly called: number;
  readonly control: number;
  readonly calledChurned: number;
  readonly controlChurned: number;
}

export interface UpliftTraining {
  readonly campaigns: readonly UpliftCampaign[];
  readonly rows: number;
  readonly cdr: boolean;
  readonly seed: number;
  readonly params: Readonly<Record<string, unknown>>;
  readonly packageVersion: string;
  readonly trainedAt: string;
  readonly command: string;
  readonly selection: UpliftSelection;
}

export interface UpliftModelFile {
  readonly format: typeof UPLIFT_MODEL_FORMAT;
  readonly version: typeof UPLIFT_MODEL_VERSION;
  readonly id: string;
  /** The churn reduction a call brings is predicted by this learner (learners.ts). */
  readonly method: UpliftMethod;
  readonly engine: EngineName;
  readonly featureSchema: { readonly version: number; readonly features: readonly SchemaFeature[] };
  readonly featureSchemaHash: string;
  /** The learner's engine models by part name. */
  readonly learner: Readonly<Record<string, unknown>>;
  readonly training: UpliftTraining;
  readonly importances: Readonly<Record<string, number>>;
}

export type UpliftModelContent = Omit<UpliftModelFile, 'id' | 'format' | 'version'>;

export function serializeUpliftModel(content: UpliftModelContent): string {
  const body = { format: UPLIFT_MODEL_FORMAT, version: UPLIFT_MODEL_VERSION, ...content };
  const id = contentId(body);
  const { format, version, ...rest } = body;
  return `${JSON.stringify({ format, version, id, ...rest })}\n`;
}

/** True when the parsed JSON is tagged as an uplift model (for `retain inspect`). */
export function isUpliftModelJson(json: unknown): boolean {
  return (
    typeof json === 'object' && json !== null && (json as { format?: unknown }).format === UPLIFT_MODEL_FORMAT
  );
}

export interface LoadedUpliftModel {
  readonly file: UpliftModelFile;
  /** Uplift (churn reduction by a call) per row of a matrix in the file's feature order. */
  readonly predict: (X: FeatureMatrix) => Float64Array;
}

export function parseUpliftModel(text: string, source: string): LoadedUpliftModel {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ModelError(`${source}: not an uplift model file (invalid JSON: ${(err as Error).message})`, {
      cause: err,
    });
  }
  const m = json as Record<string, unknown>;
  if (typeof m !== 'object' || m === null)
    throw new ModelError(`${source}: not an uplift model file (not a JSON object)`);
  if (m.format !== UPLIFT_MODEL_FORMAT) {
    const hint =
      m.format === 'retain-model'
        ? '; it is a churn model: give it with --model, and an uplift model from `retain train --uplift` with --uplift-model'
        : '';
    throw new ModelError(
      `${source}: not a retain uplift model (format ${JSON.stringify(m.format)}, expected "${UPLIFT_MODEL_FORMAT}")${hint}`,
    );
  }
  if (m.version !== UPLIFT_MODEL_VERSION)
    throw new ModelError(
      `${source}: uplift model version ${JSON.stringify(m.version)} is not supported (this retain reads version ${UPLIFT_MODEL_VERSION})`,
    );
  const problems: string[] = [];
  if (!UPLIFT_METHODS.includes(m.method as UpliftMethod))
    problems.push(`method ${JSON.stringify(m.method)} is unknown`);
  if (m.engine !== 'forest' && m.engine !== 'ml-random-forest' && m.engine !== 'boost')
    problems.push(`engine ${JSON.stringify(m.engine)} is unknown`);
  const schema = m.featureSchema as { features?: unknown } | undefined;
  if (!schema || !Array.isArray(schema.features)) problems.push('featureSchema.features is missing');
  else if (!schema.features.every((f) => typeof f?.name === 'string' && typeof f?.type === 'string'))
    problems.push('featureSchema.features has an entry without name and type');
  if (typeof m.learner !== 'object' || m.learner === null) problems.push('learner is missing');
  const t = m.training as Partial<UpliftTraining> | undefined;
  if (!t || !Array.isArray(t.campaigns) || typeof t.selection !== 'object')
    problems.push('training is missing');
  if (problems.length > 0)
    throw new ModelError(`${source}: damaged uplift model file: ${problems.join('; ')}`);
  const { id, ...body } = m;
  const actual = contentId(body);
  if (id !== actual)
    throw new ModelError(
      `${source}: the uplift model file was changed after it was written (id ${JSON.stringify(id)} does not match ` +
        `its content, which hashes to "${actual}"); retrain it with \`retain train --uplift\` rather than editing it`,
    );
  const file = json as UpliftModelFile;
  let predict: LoadedUpliftModel['predict'];
  try {
    predict = learnerPredictor(file.method, file.engine, file.learner);
  } catch (err) {
    throw new ModelError(`${source}: learner: ${(err as Error).message}`, { cause: err });
  }
  return { file, predict };
}
