import { describe, expect, it } from 'vitest';
import { thinHoldOutNote } from '../../src/pipeline/train-table.js';

describe('thinHoldOutNote', () => {
  const y = Uint8Array.from({ length: 100 }, (_, i) => (i < 12 ? 1 : 0));
  const rows = (from: number, to: number) => Int32Array.from({ length: to - from }, (_, i) => from + i);

  it('says nothing of a hold-out with ten or more of each class', () => {
    expect(thinHoldOutNote(y, rows(2, 100), 't.csv: ')).toBeNull();
  });

  it('warns of a hold-out without churners, or with too few of them, naming the file and the counts', () => {
    expect(thinHoldOutNote(y, rows(12, 60), 't.csv: ')).toBe(
      't.csv: the hold-out (48 rows) holds 0 churners and 48 who stayed: too few churners to measure the ' +
        'model on (its AUC, lift and calibration are undefined); give a table with more of them',
    );
    expect(thinHoldOutNote(y, rows(3, 60), '')).toMatch(
      /^the hold-out \(57 rows\) holds 9 churners .* are unreliable/,
    );
  });

  it('warns of a hold-out with too few subscribers who stayed', () => {
    expect(thinHoldOutNote(y, rows(0, 15), '')).toMatch(
      /holds 12 churners and 3 who stayed: too few subscribers who stayed/,
    );
  });
});
