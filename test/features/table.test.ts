import { describe, expect, it } from 'vitest';
import {
  applyTableEncoding,
  cellTableOf,
  DISTINCT_CAP,
  fitTableEncoding,
  InputError,
  ModelError,
  type RawTable,
  type TableEncoding,
} from '../../src/index.js';
import { describeWithSharedData, loadSharedTable } from '../helpers/shared-data.js';

/** A RawTable from a header and rows of cells. */
function table(names: string[], rows: (string | null)[][]): RawTable {
  return { names, columns: names.map((_, k) => rows.map((r) => r[k]!)), rowCount: rows.length };
}

function feature(fit: { X: { names: readonly string[]; columns: readonly Float64Array[] } }, name: string) {
  const k = fit.X.names.indexOf(name);
  if (k < 0) throw new Error(`no feature ${name} in ${fit.X.names.join(', ')}`);
  return Array.from(fit.X.columns[k]!);
}

const SMALL = table(
  ['id', 'plan', 'gender', 'paperless', 'minutes', 'region', 'flat', 'Churn'],
  [
    ['a1', 'Basic', 'Female', 'Yes', '10.5', 'north', 'x', 'Yes'],
    ['a2', 'Gold', 'Male', 'No', ' 3 ', 'south', 'x', 'No'],
    ['a3', 'Basic', 'Male', 'Yes', '', 'east', 'x', 'No'],
    ['a4', 'Silver', 'Female', 'No', '7', 'west', 'x', 'Yes'],
    ['a5', 'Gold', 'Female', 'yes', '1e2', 'north', 'x', 'no'],
  ],
);

describe('fitTableEncoding', () => {
  const fit = fitTableEncoding(SMALL, { label: 'Churn', id: 'id', maxCategories: 3 });

  it('reads the label case-insensitively and keeps ids apart', () => {
    expect(Array.from(fit.y)).toEqual([1, 0, 0, 1, 0]);
    expect(fit.ids).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(fit.encoding.labelValues).toEqual({ positive: 'Yes', negative: 'No' });
  });

  it('one-hot encodes text in sorted level order and turns two-valued text into one 0/1 feature', () => {
    expect(fit.X.names).toEqual([
      'plan=Basic',
      'plan=Gold',
      'plan=Silver',
      'gender=Male',
      'paperless',
      'minutes',
    ]);
    expect(feature(fit, 'paperless')).toEqual([1, 0, 1, 0, 1]);
    expect(feature(fit, 'plan=Gold')).toEqual([0, 1, 0, 0, 1]);
    expect(feature(fit, 'gender=Male')).toEqual([0, 1, 1, 0, 0]);
    expect(fit.report.oneHot).toEqual([{ column: 'plan', levels: ['Basic', 'Gold', 'Silver'] }]);
  });

  it('keeps numbers as numbers with blanks as NaN, and says so', () => {
    expect(feature(fit, 'minutes')).toEqual([10.5, 3, Number.NaN, 7, 100]);
    expect(fit.report.notes).toEqual([{ column: 'minutes', note: '1 blank of 5 read as missing' }]);
  });

  it('drops high-cardinality and constant columns with a reason', () => {
    expect(fit.report.dropped).toEqual([
      { column: 'region', reason: 'high cardinality (4 distinct > 3)' },
      { column: 'flat', reason: 'constant ("x")' },
    ]);
    expect(fit.report.features).toEqual(fit.X.names);
  });

  it('drops a column of spreadsheet errors only, not learnt as categories', () => {
    const t = table(
      ['formula', 'ratio', 'tenure', 'Churn'],
      [
        ['#N/A', '#DIV/0!', '3', 'Yes'],
        ['#N/A', '', '14', 'No'],
        ['#n/a', '#DIV/0!', '27', 'No'],
        ['#N/A', '#VALUE!', '8', 'Yes'],
        ['#FIELD!', '#GETTING_DATA', '5', 'No'],
      ],
    );
    const f = fitTableEncoding(t, { label: 'Churn' });
    expect(f.X.names).toEqual(['tenure']);
    expect(f.report.dropped).toEqual([
      { column: 'formula', reason: 'spreadsheet errors only (#N/A, #n/a, #FIELD!)' },
      { column: 'ratio', reason: 'spreadsheet errors only (#DIV/0!, #VALUE!, #GETTING_DATA)' },
    ]);
  });

  it('names a Yes/No column after itself (1 = yes)', () => {
    const t = table(
      ['Partner', 'Churn'],
      [
        ['Yes', '1'],
        ['No', '0'],
        [' Yes', '0'],
      ],
    );
    const f = fitTableEncoding(t, { label: 'Churn' });
    expect(f.X.names).toEqual(['Partner']);
    expect(feature(f, 'Partner')).toEqual([1, 0, 1]);
    expect(f.encoding.columns[0]).toEqual({ kind: 'flag', column: 'Partner', feature: 'Partner' });
  });

  it('drops an unnamed identifier column and keeps a column name with double spaces verbatim', () => {
    const t = table(
      ['customerID', 'Call  Failure', 'Churn'],
      [
        ['7590-VHVEG', '8', 'True'],
        ['5575-GNVDE', '0', 'False'],
        ['3668-QPYBK', '10', 'False'],
        ['7795-CFOCW', '3', 'True'],
      ],
    );
    const f = fitTableEncoding(t, { label: 'Churn', maxCategories: 2 });
    expect(f.ids).toBeNull();
    expect(f.report.dropped).toEqual([{ column: 'customerID', reason: 'identifier' }]);
    expect(f.X.names).toEqual(['Call  Failure']);
    expect(feature(f, 'Call  Failure')).toEqual([8, 0, 10, 3]);
  });

  it('drops text that differs in every row as an identifier even when there are fewer rows than categories', () => {
    const rows = Array.from({ length: 12 }, (_, i) => [
      `C-${100 + i}`,
      ['Basic', 'Gold', 'Silver'][i % 3]!,
      String(i * 2),
      i % 4 === 0 ? 'Yes' : 'No',
    ]);
    const f = fitTableEncoding(table(['customerID', 'plan', 'minutes', 'Churn'], rows), { label: 'Churn' });
    expect(f.report.dropped).toEqual([{ column: 'customerID', reason: 'identifier' }]);
    expect(f.X.names).toEqual(['plan=Basic', 'plan=Gold', 'plan=Silver', 'minutes']);
  });

  it('drops columns without a name (a pandas index) and scores a table that has them', () => {
    const rows = Array.from({ length: 12 }, (_, i) => [
      String(i),
      String(i * 3),
      'x',
      i % 3 === 0 ? 'Yes' : 'No',
    ]);
    const t = table(['', 'minutes', ' ', 'Churn'], rows);
    const f = fitTableEncoding(t, { label: 'Churn' });
    expect(f.X.names).toEqual(['minutes']);
    expect(f.report.dropped).toEqual([
      { column: '', reason: 'no name (header column 1; a row index, as pandas writes?)' },
      { column: ' ', reason: 'no name (header column 3; a row index, as pandas writes?)' },
    ]);
    expect(feature(applyTableEncoding(f.encoding, t), 'minutes')).toEqual(feature(f, 'minutes'));
  });

  it.each([30, 40])(
    'refuses %i amounts with a sixth spreadsheet errors, as scoring does, rather than learn categories',
    (n) => {
      const rows = Array.from({ length: n }, (_, i) => [
        i % 6 === 0 ? '#N/A' : (10 + i * 1.37).toFixed(2),
        String(i % 9),
        i % 3 === 0 ? 'Yes' : 'No',
      ]);
      const t = cellTableOf({ ...table(['spend', 'tenure', 'Churn'], rows), path: 'sheet.csv' });
      expect(() => fitTableEncoding(t, { label: 'Churn' })).toThrow(
        new RegExp(
          `^sheet\\.csv: column "spend" is not numbers throughout: ${Math.ceil(n / 6)} of its ${n} filled cells are text \\("#N/A" on row 1\\), more than 10%; the spreadsheet could not compute them`,
        ),
      );
    },
  );

  it('reads a little stray text in a numeric column as missing but drops a mostly blank or mixed one', () => {
    const n = 120;
    const rows = Array.from({ length: n }, (_, i) => [
      i === 5 ? 'n/a' : String(i),
      i < 70 ? '' : String(i),
      i % 2 === 0 ? `code${i}` : String(i),
      i % 2 === 0 ? 'Yes' : 'No',
    ]);
    const f = fitTableEncoding(table(['charges', 'sparse', 'mixed', 'Churn'], rows), { label: 'Churn' });
    expect(f.X.names).toEqual(['charges']);
    expect(feature(f, 'charges')[5]).toBeNaN();
    expect(feature(f, 'charges')[6]).toBe(6);
    expect(f.report.notes).toEqual([
      { column: 'charges', note: '1 text cell ("n/a" on row 6) read as missing' },
    ]);
    expect(f.report.dropped).toEqual([
      { column: 'sparse', reason: 'mostly blank (70 of 120)' },
      {
        column: 'mixed',
        reason: 'mixed: 60 text and 60 numeric cells ("code0" on row 1, "code2" on row 3, "code4" on row 5)',
      },
    ]);
  });

  it('reads text in up to a tenth of a numeric column as missing, as scoring does, not as categories', () => {
    // 5% #N/A among 0..9 (few distinct: once learnt as 11 categories) and among many distinct
    // amounts (once dropped as mixed); 12% of text is more than a tenth and stays mixed.
    const n = 200;
    const rows = Array.from({ length: n }, (_, i) => [
      i % 20 === 3 ? '#N/A' : String(i % 10),
      i % 20 === 7 ? 'unknown' : (i * 1.5).toFixed(2),
      i % 25 < 3 ? `code${i}` : String(i),
      i % 2 === 0 ? 'Yes' : 'No',
    ]);
    const t = table(['calls', 'charges', 'mixed', 'Churn'], rows);
    const f = fitTableEncoding(t, { label: 'Churn' });
    expect(f.X.names).toEqual(['calls', 'charges']);
    expect(feature(f, 'calls').slice(0, 5)).toEqual([0, 1, 2, Number.NaN, 4]);
    expect(feature(f, 'charges')[7]).toBeNaN();
    expect(feature(f, 'charges')[8]).toBe(12);
    expect(f.report.notes).toEqual([
      { column: 'calls', note: '10 text cells ("#N/A" on row 4) read as missing' },
      { column: 'charges', note: '10 text cells ("unknown" on row 8) read as missing' },
    ]);
    expect(f.report.dropped).toEqual([
      {
        column: 'mixed',
        reason: 'mixed: 24 text and 176 numeric cells ("code0" on row 1, "code1" on row 2, "code2" on row 3)',
      },
    ]);
    // Scoring reads the same cells the same way.
    const scored = applyTableEncoding(f.encoding, t);
    expect(Array.from(scored.X.columns[0]!)).toEqual(feature(f, 'calls'));
  });

  it('says so when numbers beside more than a tenth of text are learnt as categories', () => {
    // 0..3 with "unknown" in a fifth of the rows: too much text to read as a number, few values.
    const rows = Array.from({ length: 100 }, (_, i) => [
      i % 5 === 1 ? 'unknown' : String(i % 4),
      i % 2 === 0 ? 'Yes' : 'No',
    ]);
    const f = fitTableEncoding(table(['lines', 'Churn'], rows), { label: 'Churn' });
    expect(f.X.names).toEqual(['lines=0', 'lines=1', 'lines=2', 'lines=3', 'lines=unknown']);
    expect(f.report.notes).toEqual([
      {
        column: 'lines',
        note: 'learnt as 5 categories, not as a number: 20 of its 100 filled cells are text ("unknown" on row 2), more than 10%',
      },
    ]);
  });

  it('refuses a column of numbers spelled as the reader does not take them, not learnt as categories', () => {
    const rows = Array.from({ length: 8 }, (_, i) => [
      `${i + 10},50 €`,
      `${i % 4} GB`,
      i % 2 === 0 ? 'Yes' : 'No',
    ]);
    const t = cellTableOf({
      names: ['spend', 'quota', 'Churn'],
      columns: [0, 1, 2].map((k) => rows.map((r) => r[k]!)),
      rowCount: rows.length,
      path: 'euro.csv',
    });
    expect(() => fitTableEncoding(t, { label: 'Churn' })).toThrow(InputError);
    expect(() => fitTableEncoding(t, { label: 'Churn' })).toThrow(
      /^euro\.csv: column "spend" holds no number: all 8 filled cells are text \("10,50 €" on row 1, "11,50 €" on row 2, "12,50 €" on row 3\); expected plain numbers/,
    );
    // Without spend, the quota's units leave it text: one-hot encoded as before.
    const quota = cellTableOf({
      names: ['quota', 'Churn'],
      columns: [1, 2].map((k) => rows.map((r) => r[k]!)),
      rowCount: rows.length,
    });
    expect(fitTableEncoding(quota, { label: 'Churn', maxCategories: 10 }).encoding.columns[0]!.kind).toBe(
      'oneHot',
    );
  });

  it.each([
    { values: ['Yes', 'No', 'no', 'YES'], y: [1, 0, 0, 1] },
    { values: ['True', 'False', 'false', 'true'], y: [1, 0, 0, 1] },
    { values: ['1', '0', '0.0', '1.0'], y: [1, 0, 0, 1] },
    { values: ['Y', 'N', 'n', ' y '], y: [1, 0, 0, 1] },
    { values: ['churned', 'stayed', 'Stayed', 'Churned'], y: [1, 0, 0, 1] },
  ])('reads the label $values', ({ values, y }) => {
    const t = table(
      ['x', 'Churn'],
      values.map((v, i) => [String(i), v]),
    );
    expect(Array.from(fitTableEncoding(t, { label: 'Churn' }).y)).toEqual(y);
  });

  it.each([
    { values: ['Yes', 'No', 'maybe', 'Yes'], message: /"maybe" \(row 3\)/ },
    { values: ['Yes', '', 'No', ' '], message: /blank \(rows 2, 4\)/ },
    {
      values: ['Yes', 'No', 'True', 'No'],
      message: /more than two distinct values: "Yes" \(row 1\), "No" \(rows 2, 4\)/,
    },
    { values: ['No', 'no', 'NO', 'No'], message: /label column "Churn" holds one class only/ },
  ])('rejects the label $values', ({ values, message }) => {
    const t = table(
      ['x', 'Churn'],
      values.map((v, i) => [String(i), v]),
    );
    expect(() => fitTableEncoding(t, { label: 'Churn' })).toThrow(InputError);
    expect(() => fitTableEncoding(t, { label: 'Churn' })).toThrow(message);
  });

  it('refuses a table with a header and no rows, not as "one class only"', () => {
    const t = cellTableOf({ names: ['x', 'Churn'], columns: [[], []], rowCount: 0, path: 'empty.csv' });
    expect(() => fitTableEncoding(t, { label: 'Churn' })).toThrow('empty.csv: the table has no rows');
  });

  it('refuses a table with no column to learn from, naming the file and why each column is unused', () => {
    const rows = ['Yes', 'No', 'No', 'Yes'].map((c, i) => [`s${i}`, '7', '', c]);
    const t = cellTableOf({
      names: ['id', 'flat', 'blank', 'Churn'],
      columns: [0, 1, 2, 3].map((k) => rows.map((r) => r[k]!)),
      rowCount: rows.length,
      path: 'flat.csv',
    });
    expect(() => fitTableEncoding(t, { label: 'Churn', id: 'id' })).toThrow(InputError);
    expect(() => fitTableEncoding(t, { label: 'Churn', id: 'id' })).toThrow(
      /^flat\.csv: no column to learn from: every column besides the label "Churn" and the id "id" is unused \(flat constant .*; blank empty\)$/,
    );
  });

  it('names a missing label or id column', () => {
    expect(() => fitTableEncoding(SMALL, { label: 'churn' })).toThrow(/no label column "churn"/);
    expect(() => fitTableEncoding(SMALL, { label: 'Churn', id: 'msisdn' })).toThrow(InputError);
  });
});

describe('applyTableEncoding', () => {
  const { encoding } = fitTableEncoding(SMALL, { label: 'Churn', id: 'id', maxCategories: 3 });
  const stored = JSON.parse(JSON.stringify(encoding)) as TableEncoding;
  const fresh = table(
    ['minutes', 'gender', 'plan', 'paperless', 'id'],
    [
      ['4', 'Male', 'Platinum', 'No', 'b1'],
      ['', 'Other', 'Silver', '', 'b2'],
    ],
  );

  it('survives JSON and encodes a table in another column order', () => {
    const { X, ids } = applyTableEncoding(stored, fresh);
    expect(X.names).toEqual(encoding.featureNames);
    expect(ids).toEqual(['b1', 'b2']);
    const rows = [0, 1].map((i) => X.columns.map((c) => c[i]));
    // plan=Basic, plan=Gold, plan=Silver, gender=Male, paperless, minutes
    expect(rows[0]).toEqual([0, 0, 0, 1, 0, 4]);
    expect(rows[1]).toEqual([0, 0, 1, Number.NaN, Number.NaN, Number.NaN]);
  });

  it('refuses a table without a trained column, naming it', () => {
    const t = table(['gender', 'paperless'], [['Male', 'No']]);
    expect(() => applyTableEncoding(stored, t)).toThrow(InputError);
    expect(() => applyTableEncoding(stored, t)).toThrow(
      /columns the model was trained on: "plan", "minutes"/,
    );
  });

  it('refuses a category column with more distinct values than it can hold, naming the file', () => {
    const n = DISTINCT_CAP + 1;
    const t = cellTableOf({
      names: ['minutes', 'gender', 'plan', 'paperless'],
      columns: [
        Array.from({ length: n }, () => '1'),
        Array.from({ length: n }, () => 'Male'),
        Array.from({ length: n }, (_, i) => String(i)),
        Array.from({ length: n }, () => 'No'),
      ],
      rowCount: n,
      path: 'wide.csv',
    });
    expect(() => applyTableEncoding(stored, t)).toThrow(
      `wide.csv: column "plan" has more than ${DISTINCT_CAP} distinct values; the model reads it as categories`,
    );
  });

  it('refuses an encoding of another version', () => {
    expect(() => applyTableEncoding({ ...stored, version: 2 } as unknown as TableEncoding, fresh)).toThrow(
      ModelError,
    );
  });
});

describeWithSharedData('public churn tables', () => {
  it('IBM Telco: customerID is the id, TotalCharges numeric with 11 blanks, services one-hot', () => {
    const f = fitTableEncoding(loadSharedTable('ibm-telco/Telco-Customer-Churn.csv'), {
      label: 'Churn',
      id: 'customerID',
    });
    expect(f.X.nRows).toBe(7043);
    expect(f.y.reduce((a, b) => a + b, 0)).toBe(1869);
    expect(f.ids![0]).toBe('7590-VHVEG');
    expect(f.report.dropped).toEqual([]);
    expect(f.report.notes).toEqual([{ column: 'TotalCharges', note: '11 blank of 7043 read as missing' }]);
    expect(f.X.names).toContain('Partner');
    expect(f.X.names).toContain('gender=Male');
    expect(f.report.oneHot.find((o) => o.column === 'Contract')!.levels).toEqual([
      'Month-to-month',
      'One year',
      'Two year',
    ]);
    expect(f.X.names).toHaveLength(40);
  });

  it('IBM Telco without --id drops customerID as an identifier', () => {
    const f = fitTableEncoding(loadSharedTable('ibm-telco/Telco-Customer-Churn.csv'), { label: 'Churn' });
    expect(f.report.dropped).toEqual([{ column: 'customerID', reason: 'identifier' }]);
  });

  it('BigML: True/False label, State dropped as high-cardinality, plans as 0/1', () => {
    const f = fitTableEncoding(loadSharedTable('bigml-churn/churn-bigml-80.csv'), { label: 'Churn' });
    expect(f.y.reduce((a, b) => a + b, 0)).toBe(388);
    expect(f.report.dropped).toEqual([{ column: 'State', reason: 'high cardinality (51 distinct > 30)' }]);
    expect(f.X.names).toContain('International plan');
    expect(f.X.names).toHaveLength(18);
  });

  it('Iranian: double-spaced names kept, every column numeric', () => {
    const f = fitTableEncoding(loadSharedTable('iranian-churn/Customer_Churn.csv'), { label: 'Churn' });
    expect(f.X.names.slice(0, 4)).toEqual([
      'Call  Failure',
      'Complains',
      'Subscription  Length',
      'Charge  Amount',
    ]);
    expect(f.X.names).toHaveLength(13);
    expect(f.encoding.columns.every((c) => c.kind === 'numeric')).toBe(true);
    expect(f.y.reduce((a, b) => a + b, 0)).toBe(495);
  });
});

describe('a header line among the rows', () => {
  const names = ['id', 'minutes', 'plan', 'Churn'];
  // minutes has more distinct numbers than the cap: its column keeps numbers and its first text cells only.
  const rows = Array.from({ length: DISTINCT_CAP + 200 }, (_, i) => [
    `s${i}`,
    String(i * 1.5),
    i % 2 ? 'Basic' : 'Gold',
    i % 3 ? 'No' : 'Yes',
  ]);
  const joined = [...rows.slice(0, 700), names, ...rows.slice(700), names];

  it('is refused in training and scoring, naming where it repeats', () => {
    const raw = cellTableOf({ ...table(names, joined), path: 't.csv' }, ['id']);
    const message = 't.csv: the header repeats on rows 701, 1226 (files joined together?)';
    expect(() => fitTableEncoding(raw, { label: 'Churn', id: 'id' })).toThrow(InputError);
    expect(() => fitTableEncoding(raw, { label: 'Churn', id: 'id' })).toThrow(message);
    const { encoding } = fitTableEncoding(table(names, rows), { label: 'Churn', id: 'id' });
    expect(() => applyTableEncoding(encoding, raw)).toThrow(message);
  });

  it('is not a row whose first cell merely names the id column', () => {
    const own = [...rows, ['id', '3', 'Gold', 'No']];
    expect(fitTableEncoding(table(names, own), { label: 'Churn', id: 'id' }).ids).toHaveLength(own.length);
  });
});
