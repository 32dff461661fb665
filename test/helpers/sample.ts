/** The shipped sample operator (fixtures/sample), as the CLI tests score it. */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const SAMPLE = resolve(import.meta.dirname, '../../fixtures/sample');
const files = readdirSync(SAMPLE).sort();

/** The sample's billing or CDR files of every month up to `month` (YYYY-MM). */
export function sampleFiles(kind: 'billing' | 'cdr', month: string): string[] {
  const prefix = `${kind}-`;
  return files
    .filter((f) => f.startsWith(prefix) && f.slice(prefix.length, prefix.length + 7) <= month)
    .map((f) => join(SAMPLE, f));
}

/** `retain score` arguments for the sample's billing and CDR files of every month up to `month`. */
export const sampleUpTo = (month: string): string[] => [
  ...sampleFiles('billing', month),
  '--cdr',
  ...sampleFiles('cdr', month),
];

/** The sample's billing file of one month. */
export const sampleBilling = (month: string): string => join(SAMPLE, `billing-${month}.csv`);
