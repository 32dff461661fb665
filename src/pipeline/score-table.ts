/**
 * Scoring a wide table with a `--table` model: `<id>, churn_probability, risk_decile, segment, reasons`
 * (the probability calibrated, the reasons naming columns and their values).
 */

import { ModelError } from '../errors.js';
import {
  applyTableEncoding,
  TABLE_ENCODING_FORMAT,
  type TableEncoding,
  type TableInput,
} from '../features/table.js';
import { type Column, dictFromStrings, type Frame, makeFrame } from '../frame.js';
import { riskDecileCuts, riskDeciles } from '../lifecycle/index.js';
import { calibrate } from '../model/calibrate.js';
import { assignSegments } from '../segment/index.js';
import { noReasons, segmentColumn } from '../targets/index.js';
import type { LoadedModel } from './model.js';
import { tableReasons } from './reasons.js';

export async function scoreTable(
  raw: TableInput,
  model: LoadedModel,
  modelSource: string,
  options: { id?: string } = {},
): Promise<Frame> {
  const encoding = model.file.tableEncoding as TableEncoding | null;
  if (
    model.file.training.mode !== 'table' ||
    encoding === null ||
    encoding?.format !== TABLE_ENCODING_FORMAT
  ) {
    throw new ModelError(`${modelSource} was not trained with --table; score billing files without --table`);
  }
  const { X, ids } = applyTableEncoding(encoding, raw, options);
  const probability = calibrate(model.calibrator, await model.predict(X));
  const everyone = new Uint8Array(X.nRows).fill(1);
  const deciles = riskDeciles(probability, riskDecileCuts(probability, everyone));
  const idName = options.id ?? encoding.id ?? 'row';
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
  cols.reasons = model.explainer
    ? await tableReasons(model.explainer, X, encoding.columns, raw, model.threads)
    : noReasons(X.nRows);
  return makeFrame(cols, X.nRows);
}
