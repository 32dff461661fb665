/**
 * Reasons for scored rows: each row's top drivers from the model's contributions, worded by
 * targets/reasons.ts. Subscriber features stating one fact are summed into one reason (a trigger with
 * the value it fires on); a wide table's features are summed
 * back into the column they were encoded from (a one-hot column's levels into one) and named with
 * the row's own cell.
 */
import { type CellColumn, type ColumnEncoding, cellText, type TableInput } from '../features/table.js';
import type { DictColumn } from '../frame.js';
import type { Explainer } from '../model/contributions.js';
import { topDriversParallel } from '../model/contributions-threads.js';
import type { Drivers, FeatureGroups } from '../model/drivers.js';
import type { FeatureMatrix } from '../model/types.js';
import { factGroups, REASONS_PER_SUBSCRIBER, reasonsColumn, reasonText } from '../targets/reasons.js';

/** `threads`: worker threads for the contributions (0 = all cores); the reasons do not depend on it. */
export async function subscriberReasons(ex: Explainer, X: FeatureMatrix, threads = 0): Promise<DictColumn> {
  return subscriberReasonsOf(
    await topDriversParallel(ex, X, REASONS_PER_SUBSCRIBER, subscriberGroups(X), threads),
    X,
  );
}

/** How a subscriber matrix's features make reasons (for LoadedModel.predictExplained). */
export function subscriberGroups(X: FeatureMatrix): FeatureGroups {
  return factGroups(X.names);
}

/** The reasons column from drivers of subscriberGroups(X). */
export function subscriberReasonsOf(d: Drivers, X: FeatureMatrix): DictColumn {
  // A feature's value reads the same on every row: each is worded once (−0 apart, to be exact).
  const said = X.names.map(() => new Map<number, string>());
  return reasonsColumn(d, (i, _g, f) => {
    const v = X.columns[f]![i]!;
    if (v === 0 && 1 / v < 0) return reasonText(X.names[f]!, v);
    const words = said[f]!;
    let text = words.get(v);
    if (text === undefined) {
      text = reasonText(X.names[f]!, v);
      words.set(v, text);
    }
    return text;
  });
}

/** How a wide table's features make reasons: each encoded feature summed into the column it came from. */
export function tableGroups(columns: readonly ColumnEncoding[], nFeatures: number): FeatureGroups {
  const of = new Int32Array(nFeatures);
  let f = 0;
  columns.forEach((c, g) => {
    const width = c.kind === 'oneHot' ? c.levels.length : 1;
    for (let j = 0; j < width; j++) of[f++] = g;
  });
  return { of, count: columns.length };
}

/** The reasons column from drivers of tableGroups: each reason names the column and the row's own cell. */
export function tableReasonsOf(d: Drivers, columns: readonly ColumnEncoding[], raw: TableInput): DictColumn {
  const cells = columns.map((c): ((i: number) => string) => {
    const column = raw.columns[raw.names.indexOf(c.column)]!;
    if (Array.isArray(column)) return (i) => (column as readonly (string | null)[])[i]?.trim() ?? '';
    return (i) => cellText(column as CellColumn, i);
  });
  return reasonsColumn(d, (i, g) => {
    const value = cells[g]!(i);
    return `${columns[g]!.column}: ${value === '' ? 'blank' : value}`;
  });
}
