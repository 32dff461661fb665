/** Matching a file's header to the contract's columns through the config's mapping. */
import type { FieldSpec } from '../contract.js';
import { InputError } from '../errors.js';

export interface ColumnMap {
  /** File column index of each contract field (same order as the field list), or -1 when absent. */
  readonly index: Int32Array;
  /** File column indices that no contract field uses. */
  readonly extras: number[];
}

/**
 * Resolves each field to a file column (the mapped name when the config gives one). Every missing
 * required column is named at once, with the columns the file has.
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
    else if (f.required) missing.push(name === f.name ? name : `${f.name} (mapped to "${name}")`);
  });
  if (missing.length > 0) {
    throw new InputError(
      `${path}: missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; columns found: ${names.join(', ')}`,
    );
  }
  const extras: number[] = [];
  names.forEach((_, i) => {
    if (!used.has(i)) extras.push(i);
  });
  return { index, extras };
}

/** Position of a named field in a field list (throws on a typo in code, not in data). */
export function fieldPos(fields: readonly FieldSpec[], name: string): number {
  const k = fields.findIndex((f) => f.name === name);
  if (k < 0) throw new Error(`no field ${name}`);
  return k;
}
