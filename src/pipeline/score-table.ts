/** Scoring a wide table with a `--table` model: `<id>, churn_probability, risk_decile, segment`. */

import { ModelError } from '../errors.js';
import {
  applyTableEncoding,
  TABLE_ENCODING_FORMAT,
  type TableEncoding,
  type TableInput,
} from '../features/table.js';
import { dictFromStrings, type Frame, makeFrame } from '../frame.js';
import { riskDecileCuts, riskDeciles } from '../lifecycle/index.js';
import { assignSegments } from '../segment/index.js';
import { segmentColumn } from '../targets/index.js';
import type { LoadedModel } from './model.js';

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
  const probability = await model.predict(X);
  const everyone = new Uint8Array(X.nRows).fill(1);
  const deciles = riskDeciles(probability, riskDecileCuts(probability, everyone));
  const idName = options.id ?? encoding.id ?? 'row';
  const idColumn = ids ?? Array.from({ length: X.nRows }, (_, i) => String(i + 1));
  const cols: Frame['cols'] = {
    [idName]: dictFromStrings(idColumn),
    churn_probability: probability,
    risk_decile: deciles,
  };
  if (model.segments) {
    const frame = makeFrame(Object.fromEntries(X.names.map((n, j) => [n, X.columns[j]!])));
    (cols as Record<string, Frame['cols'][string]>).segment = segmentColumn(
      assignSegments(model.segments, frame),
      model.segments.names,
    );
  }
  return makeFrame(cols, X.nRows);
}
