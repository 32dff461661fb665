import { col, type Frame, isDict, type NumericColumn } from '../frame.js';

/** A numeric column of any typed-array type (tenure and ARPU may arrive as Float64 or Int32). */
export function numbers(f: Frame, name: string): NumericColumn {
  const c = col(f, name);
  if (isDict(c)) throw new TypeError(`column "${name}" must be numeric, not a dictionary column`);
  return c;
}
