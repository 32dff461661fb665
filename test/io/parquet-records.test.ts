import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { SchemaElement } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import {
  type CdrEvent,
  describeReject,
  InputError,
  parseDate,
  parseLocalDateTime,
  placeOfRow,
  readBilling,
  readCdr,
  readCellTable,
  readOutcomes,
  readRawTable,
} from '../../src/index.js';
import { float32Text } from '../../src/io/parquet-records.js';
import { CODECS, col, parquetBytes, type TestColumn } from '../helpers/parquet.js';
import { contractFields, tempDir } from './helpers.js';

const dir = tempDir();
let files = 0;

/** Writes `text` (CSV) or Parquet bytes to a new file named `name`. */
function put(name: string, bytes: string | Uint8Array): string {
  const p = join(dir, `${files++}-${name}`);
  writeFileSync(p, bytes);
  return p;
}

const str = (name: string) => col(name, 'BYTE_ARRAY', { converted_type: 'UTF8' });
const day = (s: string | null) => (s === null ? null : parseDate(s));
const big = (s: string | null) => (s === null ? null : BigInt(s));
const num = (s: string | null) => (s === null ? null : Number(s));

// biome-ignore format: column-aligned table
const BILLING = [
  ['007000123', '2024-01', '2021-06-15', 'P1', '',           '58.5', 'active',    '0', 'normal',   'individual', '3.25'],
  ['007000124', '2024-01', '2022-02-28', 'P2', '2024-12-31', '0',    'closed',    '4', 'employee', 'group',      ''],
  ['000000001', '2024-02', '2019-12-01', 'P1', '',           '120',  'suspended', '1', 'normal',   'individual', '-7'],
];
const BILLING_NAMES = [
  'subscriber_id',
  'month',
  'activation_date',
  'plan_id',
  'plan_end_date',
  'billed_amount',
  'status',
  'suspension_count',
  'card_type',
  'customer_type',
  'arpu_score',
];
const BILLING_CSV = `${BILLING_NAMES.join(',')}\n${BILLING.map((r) => r.join(',')).join('\n')}\n`;
const cell = (k: number) => BILLING.map((r) => (r[k] === '' ? null : r[k]!));

/** The billing rows as typed Parquet columns, with `over` replacing columns by name. */
function billingColumns(over: Record<string, TestColumn> = {}): TestColumn[] {
  const base: TestColumn[] = [
    { element: str('subscriber_id'), data: cell(0) },
    { element: str('month'), data: cell(1) },
    { element: col('activation_date', 'INT32', { converted_type: 'DATE' }), data: cell(2).map(day) },
    { element: str('plan_id'), data: cell(3) },
    { element: col('plan_end_date', 'INT32', { converted_type: 'DATE' }), data: cell(4).map(day) },
    { element: col('billed_amount', 'DOUBLE'), data: cell(5).map(num) },
    { element: str('status'), data: cell(6) },
    { element: col('suspension_count', 'INT64'), data: cell(7).map(big) },
    { element: str('card_type'), data: cell(8) },
    { element: str('customer_type'), data: cell(9) },
    { element: col('arpu_score', 'DOUBLE'), data: cell(10).map(num) },
  ];
  return base.map((c) => over[c.element.name] ?? c);
}

const ms = (s: string) => parseLocalDateTime(s) * 1000;
const monthStart = (m: string) => parseDate(`${m}-01`);

describe('Parquet billing', () => {
  const csv = put('billing.csv', BILLING_CSV);

  it.each(CODECS)('a %s-compressed file in row groups gives the table the CSV gives', async (codec) => {
    const p = put('billing.parquet', parquetBytes(billingColumns(), { codec, rowGroupSize: 2 }));
    const base = await readBilling([csv]);
    const got = await readBilling([p]);
    expect(got.table).toEqual(base.table);
    expect(got.files[0]).toMatchObject({ format: 'parquet', gzip: false, rows: 3, accepted: 3 });
    expect(got.files[0]!.extraColumns).toEqual(['x_arpu_score']);
  });

  // biome-ignore format: column-aligned table
  const logical: [string, TestColumn][] = [
    ['month as DATE (first day)',            { element: col('month', 'INT32', { converted_type: 'DATE' }), data: cell(1).map((m) => monthStart(m!)) }],
    ['month as TIMESTAMP micros',            { element: col('month', 'INT64', { logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MICROS' } }), data: cell(1).map((m) => BigInt(monthStart(m!) * 86_400_000) * 1000n) }],
    ['activation_date as TIMESTAMP_MILLIS',  { element: col('activation_date', 'INT64', { converted_type: 'TIMESTAMP_MILLIS' }), data: cell(2).map((d) => BigInt(ms(`${d}T13:45:00`))) }],
    ['activation_date as TIMESTAMP nanos',   { element: col('activation_date', 'INT64', { logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'NANOS' } }), data: cell(2).map((d) => BigInt(ms(`${d}T00:00:01`)) * 1_000_000n) }],
    ['activation_date as text',              { element: str('activation_date'), data: cell(2) }],
    ['suspension_count as INT32',            { element: col('suspension_count', 'INT32'), data: cell(7).map(num) }],
    ['suspension_count as UINT_32',          { element: col('suspension_count', 'INT32', { converted_type: 'UINT_32' }), data: cell(7).map(num) }],
    ['suspension_count as DOUBLE',           { element: col('suspension_count', 'DOUBLE'), data: cell(7).map(num) }],
    ['suspension_count as REQUIRED INT64',   { element: col('suspension_count', 'INT64', { repetition_type: 'REQUIRED' }), data: cell(7).map(big) }],
    ['billed_amount as FLOAT',               { element: col('billed_amount', 'FLOAT'), data: cell(5).map(num) }],
    ['billed_amount as INT64 DECIMAL(9, 2)', { element: col('billed_amount', 'INT64', { converted_type: 'DECIMAL', scale: 2, precision: 9 }), data: cell(5).map((v) => BigInt(Math.round(Number(v) * 100))) }],
    ['subscriber_id as plain BYTE_ARRAY',    { element: col('subscriber_id', 'BYTE_ARRAY'), data: cell(0).map((s) => new TextEncoder().encode(s!)) }],
    ['status as ENUM',                       { element: col('status', 'BYTE_ARRAY', { converted_type: 'ENUM' }), data: cell(6) }],
  ];

  it.each(logical)('reads %s as the CSV text it stands for', async (_, column) => {
    const p = put('typed.parquet', parquetBytes(billingColumns({ [column.element.name]: column })));
    const got = await readBilling([p]);
    expect(got.files[0]!.rejected).toBe(0);
    expect(got.table).toEqual((await readBilling([csv])).table);
  });

  it('reads BOOLEAN flags as 0 and 1, and nulls as the contract default', async () => {
    const flag = col('do_not_disturb', 'BOOLEAN');
    const p = put(
      'flags.parquet',
      parquetBytes([...billingColumns(), { element: flag, data: [true, false, null] }]),
    );
    const { table } = await readBilling([p]);
    expect(Array.from(table.cols.do_not_disturb)).toEqual([1, 0, 0]);
  });

  it('is told by its magic bytes, whatever its name, and may be gzipped', async () => {
    const bytes = parquetBytes(billingColumns());
    const named = await readBilling([put('billing.csv', bytes)]);
    expect(named.files[0]!.format).toBe('parquet');
    const zipped = await readBilling([put('billing.parquet.gz', gzipSync(bytes))]);
    expect(zipped.files[0]).toMatchObject({ format: 'parquet', gzip: true, accepted: 3 });
    expect(zipped.table).toEqual(named.table);
  });

  // biome-ignore format: column-aligned table
  const wrong: [string, TestColumn, string, string][] = [
    ['text in a number column',   { element: str('billed_amount'), data: ['58.5', 'abc', '120'] },                          'abc',                   'bad_number'],
    ['a fraction in a count',     { element: col('suspension_count', 'DOUBLE'), data: [0, 1.5, 1] },                        '1.5',                   'not_integer'],
    ['a count beyond 2^53',       { element: col('suspension_count', 'INT64'), data: [0n, 2n ** 60n, 1n] },                 String(2n ** 60n),       'bad_number'],
    ['a negative amount',         { element: col('billed_amount', 'FLOAT'), data: [58.5, -0.1, 120] },                      '-0.1',                  'negative_value'],
    ['NaN in a DOUBLE',           { element: col('billed_amount', 'DOUBLE'), data: [58.5, Number.NaN, 120] },               'NaN',                   'bad_number'],
    ['a month that is no month',  { element: str('month'), data: ['2024-01', '2024-13', '2024-02'] },                      '2024-13',               'bad_month'],
    ['a null in a required column', { element: str('plan_id'), data: ['P1', null, 'P1'] },                                 '',                      'missing_value'],
  ];

  it.each(wrong)(
    'refuses %s with the reason and message CSV gets, at its row',
    async (_, column, value, reason) => {
      const name = column.element.name;
      const k = BILLING_NAMES.indexOf(name);
      const rows = BILLING.map((r) => [...r]);
      rows[1]![k] = value;
      const csvText = `${BILLING_NAMES.join(',')}\n${rows.map((r) => r.join(',')).join('\n')}\n`;
      const fromCsv = await readBilling([put('wrong.csv', csvText)], { badRows: 'report' });
      const p = put('wrong.parquet', parquetBytes(billingColumns({ [name]: column })));
      const { files: got } = await readBilling([p], { badRows: 'report' });
      const expected = fromCsv.files[0]!.sample[0]!;
      expect(expected).toMatchObject({ line: 3, column: name, reason, value });
      expect(got[0]!.sample).toEqual([{ ...expected, file: p, line: 2 }]);
      expect(describeReject(got[0]!, got[0]!.sample[0]!)).toMatch(new RegExp(`^row 2, ${name}: ${reason}`));
    },
  );

  it('refuses text that is not UTF-8 as invalid_utf8, naming row and column', async () => {
    const ids = [Buffer.from('007000123'), Buffer.from([0x30, 0xff, 0x31]), Buffer.from('000000001')];
    const p = put(
      'utf8.parquet',
      parquetBytes(
        billingColumns({ subscriber_id: { element: col('subscriber_id', 'BYTE_ARRAY'), data: ids } }),
      ),
    );
    const { files: got } = await readBilling([p], { badRows: 'report' });
    expect(got[0]).toMatchObject({ accepted: 2, rejected: 1 });
    expect(got[0]!.sample[0]).toMatchObject({ line: 2, column: 'subscriber_id', reason: 'invalid_utf8' });
  });
});

describe('Parquet CDR and outcomes', () => {
  // biome-ignore format: column-aligned table
  const CDR = [
    ['0138001', '2024-03-01T08:15:00', 'voice', 'out', '125', '',        '10086',       '0.50'],
    ['0138001', '2024-03-01T09:00:00', 'sms',   'in',  '',    '',        '13900000001', ''],
    ['0138002', '2024-03-02T23:59:59', 'data',  '',    '',    '5000000', '',            '1.25'],
  ];
  const names = [
    'subscriber_id',
    'start_time',
    'event_type',
    'direction',
    'duration_s',
    'bytes',
    'other_party',
    'charge',
  ];
  const c = (k: number) => CDR.map((r) => (r[k] === '' ? null : r[k]!));
  const collect = async (p: string): Promise<CdrEvent[]> => {
    const events: CdrEvent[] = [];
    await readCdr(p, { add: (e) => events.push(contractFields(e)) });
    return events;
  };

  it.each([
    ['MILLIS', 1n],
    ['MICROS', 1000n],
    ['NANOS', 1_000_000n],
  ] as const)('reads start_time as TIMESTAMP %s, INT64 counts and null cells as CSV', async (unit, per) => {
    const time: SchemaElement = col('start_time', 'INT64', {
      logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit },
    });
    const p = put(
      'cdr.parquet',
      parquetBytes(
        [
          { element: str('subscriber_id'), data: c(0) },
          { element: time, data: c(1).map((s) => BigInt(ms(s!)) * per) },
          { element: str('event_type'), data: c(2) },
          { element: str('direction'), data: c(3) },
          { element: col('duration_s', 'INT64'), data: c(4).map(big) },
          { element: col('bytes', 'INT64'), data: c(5).map(big) },
          { element: str('other_party'), data: c(6) },
          { element: col('charge', 'DOUBLE'), data: c(7).map(num) },
        ],
        { codec: 'ZSTD', rowGroupSize: 2 },
      ),
    );
    const csv = put('cdr.csv', `${names.join(',')}\n${CDR.map((r) => r.join(',')).join('\n')}\n`);
    const events = await collect(p);
    expect(events).toHaveLength(3);
    expect(events).toEqual(await collect(csv));
  });

  it('reads outcomes with BOOLEAN flags and DATE contact dates', async () => {
    const p = put(
      'outcomes.parquet',
      parquetBytes(
        [
          { element: str('subscriber_id'), data: ['0001', '0002'] },
          { element: str('month'), data: ['2025-06', '2025-06'] },
          { element: col('contacted', 'BOOLEAN'), data: [true, false] },
          {
            element: col('contact_date', 'INT32', { converted_type: 'DATE' }),
            data: [parseDate('2025-07-02'), null],
          },
          { element: col('accepted', 'BOOLEAN'), data: [true, null] },
        ],
        { codec: 'GZIP' },
      ),
    );
    const csv = put(
      'outcomes.csv',
      'subscriber_id,month,contacted,contact_date,accepted\n0001,2025-06,1,2025-07-02,1\n0002,2025-06,0,,\n',
    );
    const got = await readOutcomes([p]);
    expect(got.files[0]).toMatchObject({ format: 'parquet', accepted: 2 });
    expect(got.table).toEqual((await readOutcomes([csv])).table);
  });
});

describe('Parquet files that cannot be read', () => {
  const whole = parquetBytes(billingColumns());
  const damaged = (p: string) =>
    new RegExp(`^${p}: cannot read the Parquet file: it is truncated or damaged \\(`);

  it('says a truncated file is truncated, naming it (exit 3)', async () => {
    const p = put('cut.parquet', whole.subarray(0, Math.floor(whole.length * 0.7)));
    const read = readBilling([p]);
    await expect(read).rejects.toThrow(InputError);
    await expect(readBilling([p])).rejects.toThrow(damaged(p));
    await expect(readBilling([p])).rejects.toThrow(/does not end with PAR1/);
  });

  it.each([
    ['only the magic', () => Buffer.from('PAR1')],
    [
      'a footer longer than the file',
      () => {
        const b = Buffer.from(whole);
        b.writeUInt32LE(b.length * 2, b.length - 8);
        return b;
      },
    ],
    [
      'a scrambled footer',
      () => {
        const b = Buffer.from(whole);
        const footer = b.readUInt32LE(b.length - 8);
        b.fill(0xee, b.length - 8 - footer, b.length - 8);
        return b;
      },
    ],
    [
      'a damaged column chunk',
      () => {
        const b = Buffer.from(whole);
        b.fill(0xee, 4, 200);
        return b;
      },
    ],
  ])('refuses %s as damaged, naming the file', async (_, bytes) => {
    const p = put('bad.parquet', bytes());
    await expect(readBilling([p])).rejects.toThrow(damaged(p));
  });

  it('reads a file with no rows as a header with no records', async () => {
    const empty = billingColumns().map((c) => ({ ...c, data: [] }));
    const p = put('empty.parquet', parquetBytes(empty));
    const { table, files: got } = await readBilling([p]);
    expect(table.n).toBe(0);
    expect(got[0]).toMatchObject({ format: 'parquet', rows: 0 });
  });

  it('names the missing columns of a Parquet file as of a CSV', async () => {
    const p = put('cols.parquet', parquetBytes(billingColumns().slice(0, 3)));
    await expect(readBilling([p])).rejects.toThrow(
      `${p}: missing required columns plan_id, billed_amount, status`,
    );
  });
});

describe('a wide Parquet table', () => {
  it('reads as text columns with nulls as null', async () => {
    const p = put('wide.parquet', parquetBytes(billingColumns()));
    const t = await readRawTable(p);
    expect(t.names).toEqual(BILLING_NAMES);
    expect(t.rowCount).toBe(3);
    expect(t.columns[4]).toEqual([null, '2024-12-31', null]);
    expect(t.columns[5]).toEqual(['58.5', '0', '120']);
    expect(t.columns[7]).toEqual(['0', '4', '1']);
    expect(readFileSync(p).subarray(0, 4).toString()).toBe('PAR1');
  });

  it('reads into the typed cell columns its CSV gives', async () => {
    const p = put('wide.parquet', parquetBytes(billingColumns(), { rowGroupSize: 2 }));
    const csv = put('wide.csv', BILLING_CSV);
    const options = { text: ['subscriber_id'] };
    const fromParquet = await readCellTable(p, options);
    expect(fromParquet.rowCount).toBe(3);
    const fromCsv = await readCellTable(csv, options);
    expect({ ...fromParquet, path: '', places: null }).toEqual({ ...fromCsv, path: '', places: null });
    // A Parquet row is named by its number, a CSV row by its line (after the header).
    expect([fromParquet.places?.word, placeOfRow(fromParquet.places, 2)]).toEqual(['row', 3]);
    expect([fromCsv.places?.word, placeOfRow(fromCsv.places, 2)]).toEqual(['line', 4]);
  });

  it('names a cell that is not UTF-8 by its row', async () => {
    const ids = [Buffer.from('1'), Buffer.from([0x30, 0xe9]), Buffer.from('3')];
    const p = put(
      'wide-utf8.parquet',
      parquetBytes(
        billingColumns({ subscriber_id: { element: col('subscriber_id', 'BYTE_ARRAY'), data: ids } }),
      ),
    );
    await expect(readCellTable(p)).rejects.toThrow(
      `${p}: 1 malformed rows (Parquet rows):\n  row 2, column subscriber_id: not valid UTF-8: "0\\xE9"`,
    );
  });
});

describe('float32Text', () => {
  it.each([
    [0.1, '0.1'],
    [58.5, '58.5'],
    [1 / 3, '0.33333334'],
    [16777217, '16777216'],
    [Number.NaN, 'NaN'],
  ])('writes the float32 of %d as %s', (v, text) => {
    expect(float32Text(Math.fround(v))).toBe(text);
  });
});
