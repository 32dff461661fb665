/**
 * The model file: one JSON document carrying everything scoring needs (feature schema, segment model
 * or wide-table encoding, forest, calibration, node covers for reasons, thresholds, training metadata,
 * metrics, versions). Loading checks the tag, the version and every part, and refuses data whose
 * features differ, saying what differs.
 */
import { contentId, MODEL_FORMAT } from '../contract.js';
import { ModelError } from '../errors.js';
import type { EngineChoice, EngineName } from './types.js';

export { MODEL_FORMAT };
export const MODEL_VERSION = 1;

/** A feature as the model knows it. */
export interface SchemaFeature {
  readonly name: string;
  readonly type: string;
  readonly description?: string;
}

export interface ModelTraining {
  readonly mode: 'subscriber' | 'table';
  /** Billing months (YYYY-MM) whose labels trained the final forest; empty in table mode. */
  readonly months: readonly string[];
  readonly rows: number;
  readonly churnRate: number;
  /** Whether CDRs covered the training months: such a model needs the scored month's CDRs too. */
  readonly cdr: boolean;
  /**
   * The training's seed, recorded here only. Models written before also repeat it in `params` and in
   * the engine's parameters; reading ignores those copies.
   */
  readonly seed: number;
  /** The engine's parameters (without the seed and the thread count). */
  readonly params: Readonly<Record<string, unknown>>;
  readonly packageVersion: string;
  readonly trainedAt: string;
  /** The command line or script that produced the model, for reproduction. */
  readonly command: string;
  /**
   * How the engine was chosen: the one asked for (`auto` tries several) and each engine's result on
   * the validation rows. Absent in models trained before engines were compared.
   */
  readonly engineSelection?: EngineSelection;
}

export interface EngineSelection {
  readonly requested: EngineChoice;
  readonly chosen: EngineName;
  /** Rule for `chosen` among several: the lowest calibrated validation log-loss (before: the raw one). */
  readonly trials: readonly {
    readonly engine: EngineName;
    readonly logLoss: number;
    /** After calibration, each row by a calibrator fitted without it; absent in older models. */
    readonly calibratedLogLoss?: number;
    readonly auc: number;
    readonly topDecileLift: number;
    readonly brier: number;
    /** Boosting: the best validation round. */
    readonly rounds?: number;
  }[];
}

export interface ModelFile {
  readonly format: typeof MODEL_FORMAT;
  readonly version: typeof MODEL_VERSION;
  /** Content hash of everything below; names the model in outputs. */
  readonly id: string;
  readonly engine: EngineName;
  readonly featureSchema: { readonly version: number; readonly features: readonly SchemaFeature[] };
  readonly featureSchemaHash: string;
  /** Segment model (subscriber mode) — validated by the segment stage's loader. */
  readonly segments: unknown;
  /** Wide-table encoding (table mode) — validated by the table encoder's loader. */
  readonly tableEncoding: unknown;
  /** The forest, in its engine's JSON form — validated by the engine's loader. */
  readonly forest: unknown;
  /**
   * Maps the engine's score to a calibrated probability (calibrate.ts) — validated by its loader.
   * Absent or null in a model from before calibration: the score is used as it is.
   */
  readonly calibration?: unknown;
  /**
   * Training rows reaching each tree node, for per-subscriber reasons (contributions.ts) — validated
   * by its loader. Absent or null: the model gives no reasons until retrained.
   */
  readonly explanation?: unknown;
  readonly thresholds: Readonly<Record<string, unknown>>;
  readonly training: ModelTraining;
  readonly metrics: Readonly<Record<string, unknown>>;
  readonly importances: Readonly<Record<string, number>>;
  /**
   * Training distributions of the features and the score (drift.ts) — validated by its loader.
   * Absent in a model from before drift references: scoring reports drift as unavailable.
   */
  readonly drift?: unknown;
}

export type ModelFileContent = Omit<ModelFile, 'id' | 'format' | 'version'>;

/** Serialises with a stable key order; the id is a hash of the content, so equal models give equal bytes. */
export function serializeModel(content: ModelFileContent): string {
  const body = { format: MODEL_FORMAT, version: MODEL_VERSION, ...content };
  const id = contentId(body);
  const { format, version, ...rest } = body;
  return `${JSON.stringify({ format, version, id, ...rest })}\n`;
}

/** Parses and checks a model file's envelope; `source` names the file in messages. */
export function parseModel(text: string, source: string): ModelFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ModelError(`${source}: not a model file (invalid JSON: ${(err as Error).message})`, {
      cause: err,
    });
  }
  const problems: string[] = [];
  const m = json as Record<string, unknown>;
  if (typeof m !== 'object' || m === null)
    throw new ModelError(`${source}: not a model file (not a JSON object)`);
  if (m.format !== MODEL_FORMAT) {
    throw new ModelError(
      `${source}: not a retain model (format ${JSON.stringify(m.format)}, expected "${MODEL_FORMAT}")`,
    );
  }
  if (m.version !== MODEL_VERSION) {
    throw new ModelError(
      `${source}: model file version ${JSON.stringify(m.version)} is not supported (this retain reads version ${MODEL_VERSION})`,
    );
  }
  if (m.engine !== 'forest' && m.engine !== 'ml-random-forest' && m.engine !== 'boost')
    problems.push(`engine ${JSON.stringify(m.engine)} is unknown`);
  const schema = m.featureSchema as { features?: unknown } | undefined;
  if (!schema || !Array.isArray(schema.features)) problems.push('featureSchema.features is missing');
  else if (!schema.features.every((f) => typeof f?.name === 'string' && typeof f?.type === 'string'))
    problems.push('featureSchema.features has an entry without name and type');
  if (typeof m.featureSchemaHash !== 'string') problems.push('featureSchemaHash is missing');
  if (m.forest === undefined || m.forest === null) problems.push('forest is missing');
  const t = m.training as Partial<ModelTraining> | undefined;
  if (!t || (t.mode !== 'subscriber' && t.mode !== 'table')) problems.push('training.mode is missing');
  for (const key of ['thresholds', 'metrics', 'importances'] as const)
    if (typeof m[key] !== 'object' || m[key] === null) problems.push(`${key} is missing`);
  if (problems.length > 0) throw new ModelError(`${source}: damaged model file: ${problems.join('; ')}`);
  const { id, ...body } = m;
  const actual = contentId(body);
  if (id !== actual) {
    throw new ModelError(
      `${source}: the model file was changed after it was written (id ${JSON.stringify(id)} does not match ` +
        `its content, which hashes to "${actual}"); retrain it with \`retain train\` rather than editing it`,
    );
  }
  return json as ModelFile;
}

/**
 * Compares the model's features with the data's. Throws ModelError naming the features the data lacks
 * and those whose type differs; returns the data's features the model was not trained on (the caller
 * logs them: a new column in an export should not stop a nightly run).
 */
export function checkFeatures(
  model: readonly SchemaFeature[],
  data: readonly SchemaFeature[],
  source: string,
): { ignored: string[] } {
  const byName = new Map(data.map((f) => [f.name, f]));
  const known = new Set(model.map((f) => f.name));
  const lacking = model.filter((f) => !byName.has(f.name)).map((f) => f.name);
  const ignored = data.filter((f) => !known.has(f.name)).map((f) => f.name);
  const retyped = model
    .filter((f) => byName.has(f.name) && byName.get(f.name)!.type !== f.type)
    .map((f) => `${f.name} (model ${f.type}, data ${byName.get(f.name)!.type})`);
  const parts: string[] = [];
  if (lacking.length > 0) parts.push(`the data lacks ${list(lacking)}`);
  if (retyped.length > 0) parts.push(`types differ: ${list(retyped)}`);
  if (ignored.length > 0)
    parts.push(`the data also has features the model was not trained on: ${list(ignored)}`);
  if (lacking.length > 0 || retyped.length > 0) {
    throw new ModelError(
      `${source} does not fit the data: ${parts.join('; ')}. Retrain with \`retain train\` on data of this schema.`,
    );
  }
  return { ignored };
}

function list(names: readonly string[], max = 12): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}
