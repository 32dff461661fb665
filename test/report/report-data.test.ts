import { describe, expect, it } from 'vitest';
import { checkHistory, InternalError, kpiTrend, type Summary, topRows, UsageError } from '../../src/index.js';

/** What the trend reads of a summary. */
const JUNE = {
  month: '2025-06',
  kpis: { daily_revenue_retention: 0.97, monthly_billed_churn: 0.02 },
  revenue_at_risk: { listed: 1500, eligible: 9000 },
} as unknown as Summary;

const warning = {
  names: ['subscriber_id', 'stage', 'reasons'],
  columns: [
    ['001', '002', '003'],
    ['warning', 'warning', 'warning'],
    ['spend fell', null, 'silent 5 days'],
  ],
  rowCount: 3,
};

describe('topRows', () => {
  it.each([
    [2, ['001', '002']],
    [3, ['001', '002', '003']],
    [10, ['001', '002', '003']],
    [0, []],
  ])('the first %i rows of the list, each by column name', (top, ids) => {
    const rows = topRows(warning, top);
    expect(rows.map((r) => r.subscriber_id)).toEqual(ids);
  });

  it('keeps an empty cell as null', () => {
    expect(topRows(warning, 2)).toEqual([
      { subscriber_id: '001', stage: 'warning', reasons: 'spend fell' },
      { subscriber_id: '002', stage: 'warning', reasons: null },
    ]);
  });
});

describe('checkHistory', () => {
  const at = (folder: string, month: string | null) => ({
    folder,
    summary: { ...JUNE, month } as Summary,
  });
  const june = at('scored/june', '2025-06');

  it('passes earlier months, one folder each, in any order', () => {
    expect(() =>
      checkHistory(june, [at('may', '2025-05'), at('march', '2025-03'), at('april', '2025-04')]),
    ).not.toThrow();
    expect(() => checkHistory(june, [])).not.toThrow();
  });

  // biome-ignore format: column-aligned table
  it.each([
    ['a later month',           [at('may', '2025-05'), at('july', '2025-07')],      'july is of 2025-07, after the reported month 2025-06'],
    ['the reported month',      [at('june-rerun', '2025-06')],                     'june-rerun is of 2025-06, the reported month itself (scored/june)'],
    ['two folders of a month',  [at('may', '2025-05'), at('may-rerun', '2025-05')], 'may, may-rerun: 2 folders of 2025-05'],
    ['a folder without a month', [at('empty', null)],                              'empty holds no scored month'],
  ])('refuses %s (exit 2), naming the folders and months', (_, history, problem) => {
    expect(() => checkHistory(june, history)).toThrow(UsageError);
    expect(() => checkHistory(june, history)).toThrow(
      `--history: ${problem}. The trend takes one scored folder for each month before 2025-06`,
    );
  });

  it('names every problem at once', () => {
    const history = [at('aug', '2025-08'), at('a', '2025-04'), at('july', '2025-07'), at('b', '2025-04')];
    expect(() => checkHistory(june, history)).toThrow(
      '--history: aug is of 2025-08, after the reported month 2025-06; july is of 2025-07, after the ' +
        'reported month 2025-06; a, b: 2 folders of 2025-04. The trend takes',
    );
  });

  it('refuses a history for a folder without a scored month', () => {
    expect(() => checkHistory(at('scored/none', null), [at('may', '2025-05')])).toThrow(
      '--history: scored/none holds no scored month (summary.json month is null): no trend leads up to it',
    );
  });
});

describe('kpiTrend', () => {
  it('never drops a month given twice: that is a bug (checkHistory refuses it)', () => {
    expect(() =>
      kpiTrend([JUNE, { ...JUNE, kpis: { ...JUNE.kpis, monthly_billed_churn: 0.5 } }] as Summary[]),
    ).toThrow(InternalError);
  });
});
