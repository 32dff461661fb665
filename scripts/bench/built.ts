/**
 * The built package's CDR reader, for benches that time it as retain score runs it: from compiled
 * JavaScript, so its worker threads start as in production rather than through tsx.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export async function builtCdrReader(): Promise<typeof import('../../src/pipeline/cdr.js')> {
  const path = resolve(import.meta.dirname, '../../dist/pipeline/cdr.js');
  if (!existsSync(path)) throw new Error('run npm run build first: the CDR step runs the built package');
  return (await import(path)) as typeof import('../../src/pipeline/cdr.js');
}
