/** The source files under a folder, for the lint tests that read src/ as code. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every .ts, .mts, .js and .mjs file under `dir` (declaration files left out), depth first. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}
