/**
 * Scoring a wide table with a `--table` model: `<id>, churn_probability, risk_decile, segment, reasons`
 * (the probability calibrated, the reasons naming columns and their values).
 */

import { riskDecileCuts, riskDeciles } from '../deciles.js';
import { ModelError } from '../errors.js';
import {
  applyTableEncoding,
  TABLE_ENCODING_FORMAT,
  type TableEncoding,
  type TableInput,
} from '../features/table.js';
import type { ColumnNote } from '../features/table-notes.js';
import { type Column, dictFromStrings, type Frame, makeFrame } from '../frame.js';
import { calibrate } from '../model/calibrate.js';
import { countDrift, type DriftCounts } from '../model/drift.js';
import { assignSegments } from '../segment/index.js';
import { noReasons, REASONS_PER_SUBSCRIBER, segmentColumn } from '../targets/index.js';
import type { LoadedModel } from './model.js';
import { tableGroups, tableReasonsOf } from './reasons.js';

export async function scoreTable(
  raw: TableInput,
  model: LoadedModel,
  modelSource: string,
  options: { id?: string } = {},
): Promise<Frame> {
  return (await scoreTableRows(raw, model, modelSource, options)).scores;
}

/** scoreTable's rows, and every row counted into the model's drift bins (null without a reference). */
export async function scoreTableRows(
  raw: TableInput,
  model: LoadedModel,
  modelSource: string,
  options: { id?: string } = {},
): Promise<{ scores: Frame; drift: DriftCounts | null; notes: ColumnNote[] }> {
  const encoding = model.file.tableEncoding as TableEncoding | null;
  if (
    model.file.training.mode !== 'table' ||
    encoding === null ||
    encoding?.format !== TABLE_ENCODING_FORMAT
  ) {
    throw new ModelError(`${modelSource} was not trained with --table; score billing files without --table`);
  }
  const { X, ids, notes } = applyTableEncoding(encoding, raw, options);
  // One walk of the trees scores each row and finds what drives the score (as scoring a month does).
  const { scores: engineScores, drivers } = await model.predictExplained(
    X,
    REASONS_PER_SUBSCRIBER,
    tableGroups(encoding.columns, X.columns.length),
  );
  const probability = calibrate(model.calibrator, engineScores);
  const everyone = new Uint8Array(X.nRows).fill(1);
  const deciles = riskDeciles(probability, riskDecileCuts(probability, everyone));
  // Row numbers are never named as ids (applyTableEncoding's note says why there are none).
  const idName = ids === null ? 'row' : (options.id ?? encoding.id ?? 'row');
  const idColumn = ids ?? Array.from({ length: X.nRows }, (_, i) => String(i + 1));
  const cols: Record<string, Column> = {
    [idName]: dictFromStrings(idColumn),
    churn_probability: probability,
    risk_decile: deciles,
  };
  if (model.segments) {
    const frame = makeFrame(Object.fromEntries(X.names.map((n, j) => [n, X.columns[j]!])));
    cols.segment = segmentColumn(assignSegments(model.segments, frame), model.segments.names);
  }
  cols.reasons = drivers ? tableReasonsOf(drivers, encoding.columns, raw) : noReasons(X.nRows);
  const drift = model.drift && countDrift(model.drift, X, engineScores);
  return { scores: makeFrame(cols, X.nRows), drift, notes };
}
