/**
 * An evaluation file matched to the scored folder it is reported with: by the SHA-256 of the
 * folder's manifest, which a copy of the folder keeps and another scoring of the month does not.
 * A file that cannot tell (written before evaluations named their folder, or a folder without a
 * manifest on either side) passes with a note; one of another scoring is refused naming both files.
 */
import { describe, expect, it } from 'vitest';
import {
  type EvaluatedFolder,
  type EvaluationFile,
  evaluatedFolder,
  InputError,
  matchEvaluatedFolder,
} from '../../src/index.js';
import { generatedEvaluation } from '../report/report-input.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const EVAL = 'june-eval.json';

const measuring = (scoredFolder: EvaluatedFolder | undefined): EvaluationFile => ({
  ...generatedEvaluation('2025-07'),
  ...(scoredFolder ? { scoredFolder } : {}),
});

describe('evaluatedFolder', () => {
  it("records the folder's path and its manifest's SHA-256", () => {
    expect(evaluatedFolder({ dir: 'scored/2025-06', manifestSha256: A })).toEqual({
      path: 'scored/2025-06',
      manifestSha256: A,
    });
  });
});

describe('matchEvaluatedFolder', () => {
  it('matches the folder the evaluation measured, wherever it was copied', () => {
    const e = measuring({ path: 'scored/2025-06', manifestSha256: A });
    expect(matchEvaluatedFolder(e, EVAL, { dir: 'archive/2025-06', manifestSha256: A })).toBeNull();
  });

  it('refuses an evaluation of another scoring of the month, naming both files (exit 3)', () => {
    const e = measuring({ path: 'scored/2025-06', manifestSha256: A });
    const folder = { dir: 'rerun/2025-06', manifestSha256: B };
    expect(() => matchEvaluatedFolder(e, EVAL, folder)).toThrow(InputError);
    expect(() => matchEvaluatedFolder(e, EVAL, folder)).toThrow(
      `--evaluation ${EVAL}: measured the scored folder scored/2025-06 (retain-run.json SHA-256 aaaaaaaaaaaa…), ` +
        'not the folder reported, whose rerun/2025-06/retain-run.json has SHA-256 bbbbbbbbbbbb…',
    );
  });

  // biome-ignore format: column-aligned table
  it.each([
    ['a file written before evaluations named their folder', undefined,                                        A,    'names no scored folder (written by an older retain evaluate): it cannot be matched to rerun/2025-06; evaluate the folder again to check it'],
    ['a measured folder without a manifest',                 { path: 'scored/2025-06', manifestSha256: null }, A,    'measured scored/2025-06, which had no retain-run.json: it cannot be matched to rerun/2025-06'],
    ['a reported folder without a manifest',                 { path: 'scored/2025-06', manifestSha256: A },    null, 'cannot be matched to rerun/2025-06, which has no retain-run.json'],
  ])('passes %s, with a note that it cannot be matched', (_, measured, sha256, note) => {
    const e = measuring(measured);
    expect(matchEvaluatedFolder(e, EVAL, { dir: 'rerun/2025-06', manifestSha256: sha256 })).toBe(
      `--evaluation ${EVAL}: ${note}`,
    );
  });
});
