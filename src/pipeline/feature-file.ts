/**
 * What `retain features` writes: the feature frame of the chosen months as one table, with the
 * subscriber, the month and the label first (blank where the next month is not known yet), and
 * closed accounts left out, as scoring leaves them out.
 */
import { STATUS } from '../contract.js';
import type { FeatureResult } from '../features/index.js';
import { i32, take, u8, where } from '../frame.js';
import { FEATURES_HEADER, type OutTable, out } from '../io/index.js';

const [ID_COLUMN, MONTH_COLUMN, LABEL_COLUMN] = FEATURES_HEADER;

/** The table of the feature file, and how many closed accounts it leaves out. */
export function featureFileTable(built: FeatureResult): { table: OutTable; closedLeftOut: number } {
  const all = built.frame;
  const status = u8(all, 'status');
  const frame = take(
    all,
    where(all.n, (i) => status[i] !== STATUS.closed),
  );
  const labelled = u8(frame, 'labelled');
  const churned = u8(frame, 'churned_next');
  const table: OutTable = {
    n: frame.n,
    columns: [
      out.column(ID_COLUMN, frame.cols.subscriber_id!),
      out.month(MONTH_COLUMN, i32(frame, 'month')),
      out.number(LABEL_COLUMN, (i) => (labelled[i] === 1 ? churned[i]! : Number.NaN)),
      ...built.schema.features.map((f) => out.column(f.name, frame.cols[f.name]!)),
    ],
  };
  return { table, closedLeftOut: all.n - frame.n };
}
