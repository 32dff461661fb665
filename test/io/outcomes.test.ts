import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateDay, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, InputError, LISTS, parseDate, parseMonth, readOutcomes } from '../../src/index.js';
import { frameColumnsEqual } from '../helpers/frame-equal.js';
import { tempDir, writeAllFormats } from './helpers.js';

const HEADER = 'subscriber_id,month,list,contacted,contact_date,action,accepted,channel';
// biome-ignore format: a case table reads best aligned
const ROWS = [
  ['0001', '2025-06', 'warning', '1', '2025-07-02', 'discount_10', '1', 'call'],
  ['0002', '2025-06', 'warning', '0', '',           'discount_10', '',  'call'],
  ['0003', '2025-06', '',        '1', '2025-07-05', '',            '0', ''],
  ['0001', '2025-06', 'growth',  '1', '2025-07-09', 'bundle_fit',  '0', 'sms'],
];

function outcomesArrow(): Table {
  const col = (k: number) => ROWS.map((r) => (r[k] === '' ? null : r[k]!));
  return new Table({
    subscriber_id: vectorFromArray(col(0), new Utf8()),
    month: vectorFromArray(col(1), new Utf8()),
    list: vectorFromArray(col(2), new Utf8()),
    contacted: vectorFromArray(col(3), new Utf8()),
    contact_date: vectorFromArray(
      col(4).map((s) => (s === null ? null : new Date(parseDate(s) * 86_400_000))),
      new DateDay(),
    ),
    action: vectorFromArray(col(5), new Utf8()),
    accepted: vectorFromArray(col(6), new Utf8()),
    channel: vectorFromArray(col(7), new Utf8()),
  });
}

describe('readOutcomes', () => {
  const dir = tempDir();
  const csv = `${HEADER}\n${ROWS.map((r) => r.join(',')).join('\n')}\n`;
  const paths = writeAllFormats(dir, 'outcomes', csv, outcomesArrow());

  it.each(Object.keys(paths))('reads every column of a %s file', async (format) => {
    const { table, files } = await readOutcomes([paths[format as keyof typeof paths]!]);
    expect(files[0]).toMatchObject({ kind: 'outcomes', rows: 4, accepted: 4, rejected: 0, subscribers: 3 });
    frameColumnsEqual(table, {
      subscriber_id: ['0001', '0002', '0003', '0001'],
      month: Array(4).fill(parseMonth('2025-06')),
      list: ['warning', 'warning', 'warning', 'growth'].map((l) => LISTS.indexOf(l as never)),
      contacted: [1, 0, 1, 1],
      contact_date: [parseDate('2025-07-02'), Number.NaN, parseDate('2025-07-05'), parseDate('2025-07-09')],
      action: ['discount_10', 'discount_10', '', 'bundle_fit'],
      accepted: [1, Number.NaN, 0, 0],
      channel: ['call', 'call', '', 'sms'],
    });
  });

  it('rejects bad rows naming file, line, column and reason, and writes them to the rejects file', async () => {
    const d = tempDir();
    const p = join(d, 'bad.csv');
    const rejects = join(d, 'rejects.csv');
    const good = Array.from(
      { length: 200 },
      (_, k) => `${String(k + 10).padStart(4, '0')},2025-06,warning,1,2025-07-01,x,1,call`,
    );
    const bad = [
      '0001,2025-06,warning,yes,,,,', // line 202
      '0002,2025-06,warning,0,,,1,', // accepted without contact
      '0003,2025-06,warning,1,2025-05-30,,,', // called before the list's month
      '0010,2025-06,warning,1,,,,', // a second warning work order for 0010
      '0004,2025-06,nowhere,1,,,,',
    ];
    writeFileSync(p, `${HEADER}\n${[...good, ...bad].join('\n')}\n`);
    const config = { ...DEFAULT_CONFIG, input: { max_bad_row_share: 0.05 } };
    const { table, files } = await readOutcomes([p], { config, rejects });
    expect(table.n).toBe(200);
    expect(files[0]!.sample.map((r) => [r.line, r.column, r.reason])).toEqual([
      [202, 'contacted', 'unknown_value'],
      [203, 'accepted', 'unknown_value'],
      [204, 'contact_date', 'bad_date'],
      [205, 'subscriber_id', 'duplicate_key'],
      [206, 'list', 'unknown_value'],
    ]);
    expect(files[0]!.sample[3]!.message).toContain(`${p} line 2`);
    const written = readFileSync(rejects, 'utf8').trim().split('\n');
    expect(written).toHaveLength(6);
    expect(written[1]).toBe(`${p},202,contacted,unknown_value,yes,"contacted must be 0 or 1: ""yes"""`);
  });

  it('stops with exit 3 when more than 1% of the rows are bad', async () => {
    const d = tempDir();
    const p = join(d, 'bad.csv');
    writeFileSync(p, `${HEADER}\n0001,2025-06,warning,1,,,,\n0002,2025-6,warning,1,,,,\n`);
    const err = await readOutcomes([p]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toContain('line 3, month: bad_month');
  });

  it('maps columns through the config and names every missing required one', async () => {
    const d = tempDir();
    const p = join(d, 'mapped.csv');
    writeFileSync(p, 'MSISDN,list_month,reached\n0001,2025-06,1\n');
    const config = {
      ...DEFAULT_CONFIG,
      columns: {
        ...DEFAULT_CONFIG.columns,
        outcomes: { subscriber_id: 'MSISDN', month: 'list_month', contacted: 'reached' },
      },
    };
    const { table } = await readOutcomes([p], { config });
    frameColumnsEqual(table, { subscriber_id: ['0001'], contacted: [1], list: [LISTS.indexOf('warning')] });
    await expect(readOutcomes([p])).rejects.toThrow(
      /missing required columns subscriber_id, month, contacted/,
    );
  });
});
