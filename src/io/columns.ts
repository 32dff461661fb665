/** Matching a file's header to the contract's columns through the config's mapping. */
import type { FieldSpec } from '../contract.js';
import { echo, echoList } from '../echo.js';
import { InputError } from '../errors.js';

export interface ColumnMap {
  /** File column index of each contract field (same order as the field list), or -1 when absent. */
  readonly index: Int32Array;
  /** File column indices that no contract field uses. */
  readonly extras: number[];
}

/**
 * Resolves each field to a file column (the mapped name when the config gives one). Every missing
 * required column is named at once, with the columns the file has. A file that also has a column
 * under the contract name of a field the config maps elsewhere is refused: two columns would claim
 * one field, and the other would be read as an extra column.
 */
export function mapColumns(
  path: string,
  names: readonly string[],
  fields: readonly FieldSpec[],
  mapping: Readonly<Record<string, string | undefined>>,
): ColumnMap {
  if (names.length === 0) throw new InputError(`${path}: no header row (the file is empty)`);
  const index = new Int32Array(fields.length);
  const used = new Set<number>();
  const missing: string[] = [];
  fields.forEach((f, k) => {
    const name = mapping[f.name] ?? f.name;
    const at = names.indexOf(name);
    index[k] = at;
    if (at >= 0) used.add(at);
    else if (f.required) missing.push(name === f.name ? name : `${f.name} (mapped to ${echo(name, 60)})`);
  });
  if (missing.length > 0) {
    throw new InputError(
      `${path}: missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; ${describeColumns(names)}`,
    );
  }
  const claimed = fields.filter((f, k) => {
    const mapped = mapping[f.name];
    return mapped !== undefined && mapped !== f.name && index[k]! >= 0 && names.includes(f.name);
  });
  if (claimed.length > 0) {
    const both = claimed.map((f) => `${echo(mapping[f.name]!, 60)} and ${echo(f.name)}`);
    throw new InputError(
      `${path}: two columns for one field: ${both.join('; ')} (the config maps ${claimed
        .map((f) => f.name)
        .join(', ')} to the first); drop or rename the other`,
    );
  }
  const extras: number[] = [];
  names.forEach((_, i) => {
    if (!used.has(i)) extras.push(i);
  });
  return { index, extras };
}

/**
 * `columns found: a, b, c` for a message, cut and escaped; a header read as one column holding a
 * semicolon, tab or bar also asks whether that is the file's separator.
 */
export function describeColumns(names: readonly string[]): string {
  if (names.length === 0) return 'columns found: none';
  const found = `columns found: ${echoList(names)}`;
  const sep = names.length === 1 ? /[;\t|]/.exec(names[0]!)?.[0] : undefined;
  if (sep === undefined) return found;
  return `${found} (one column: is the file separated by ${echo(sep)}? retain reads comma-separated files)`;
}

/** The contract name of file column `col` when a field reads it, otherwise its name in the file. */
export function columnLabel(
  map: ColumnMap,
  fields: readonly FieldSpec[],
  names: readonly string[],
  col: number,
): string {
  const k = map.index.indexOf(col);
  return k >= 0 ? fields[k]!.name : names[col]!;
}

/** Position of a named field in a field list (throws on a typo in code, not in data). */
export function fieldPos(fields: readonly FieldSpec[], name: string): number {
  const k = fields.findIndex((f) => f.name === name);
  if (k < 0) throw new Error(`no field ${name}`);
  return k;
}
