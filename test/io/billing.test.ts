import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DateDay, Float64, Int64, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFIG,
  describeReject,
  InputError,
  parseDate,
  parseMonth,
  readBilling,
  STATUS,
} from '../../src/index.js';
import { frameColumnsEqual } from '../helpers/frame-equal.js';
import { tempDir, writeAllFormats } from './helpers.js';

const BAD = resolve(import.meta.dirname, '../../fixtures/bad/billing.csv');

describe('readBilling on the bad fixture', () => {
  it('rejects each bad row with its line and reason and keeps rows read = accepted + rejected', async () => {
    const { table, files } = await readBilling([BAD], { badRows: 'report' });
    const dataLines = readFileSync(BAD, 'utf8').trim().split('\n').length - 1;
    const f = files[0]!;
    expect(f.rows).toBe(dataLines);
    expect(f.accepted + f.rejected).toBe(f.rows);
    expect(table.n).toBe(f.accepted);
    expect(f.sample.map((r) => [r.line, r.column, r.reason])).toEqual([
      [3, 'activation_date', 'bad_date'],
      [4, 'billed_amount', 'negative_value'],
      [5, 'status', 'unknown_value'],
      [7, null, 'malformed_row'],
      [8, 'subscriber_id', 'duplicate_key'],
    ]);
    expect(f.sample[4]!.message).toContain('line 2');
    expect(f.byReason).toEqual({
      bad_date: 1,
      negative_value: 1,
      unknown_value: 1,
      malformed_row: 1,
      duplicate_key: 1,
    });
    frameColumnsEqual(table, {
      subscriber_id: ['007000123', '007000127', '007000129'],
      billed_amount: [58, 128, 38],
    });
  });

  it('names the subscriber and month of each row set aside, a row cut short too', async () => {
    const { setAside } = await readBilling([BAD], { badRows: 'report' });
    expect(setAside.subscribers).toEqual(['007000124', '007000125', '007000126', '007000128']);
    expect(Array.from(setAside.months)).toEqual(Array(4).fill(parseMonth('2024-03')));
    expect(setAside.unnamed).toBe(0);
  });

  it('places a set-aside row with no month it can read in the one month of its file; one with no id is unnamed', async () => {
    const dir = tempDir();
    const head = 'subscriber_id,month,activation_date,plan_id,billed_amount,status\n';
    const one = join(dir, 'one.csv');
    writeFileSync(
      one,
      `${head}1,2024-05,2020-01-01,P1,10,active\n2,May 2024,2020-01-01,P1,10,active\n,2024-05,2020-01-01,P1,10,active\n`,
    );
    const two = join(dir, 'two.csv');
    writeFileSync(
      two,
      `${head}5,2024-05,2020-01-01,P1,10,active\n3,2024-06,2020-01-01,P1,10,active\n4,?,2020-01-01,P1,10,active\n`,
    );
    const { setAside } = await readBilling([one, two], { badRows: 'report' });
    expect(setAside.subscribers).toEqual(['2']);
    expect(Array.from(setAside.months)).toEqual([parseMonth('2024-05')]);
    // The row without an id, and subscriber 4's row of a file of two months.
    expect(setAside.unnamed).toBe(2);
  });

  it('throws InputError with counts, share and limit when bad rows exceed the limit', async () => {
    const p = readBilling([BAD]);
    await expect(p).rejects.toThrow(InputError);
    await expect(readBilling([BAD])).rejects.toThrow(
      /5 of 8 rows are bad \(62\.50%, limit 1\.00%\)[\s\S]*line 3/,
    );
  });

  it('writes every reject to the rejects CSV', async () => {
    const dir = tempDir();
    const out = join(dir, 'rejects.csv');
    await readBilling([BAD], { badRows: 'report', rejects: out });
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('file,line,column,reason,value,message');
    expect(lines).toHaveLength(6);
    expect(lines[2]).toContain(',4,billed_amount,negative_value,-12.50,');
  });

  it('finds duplicates across files and names the first file', async () => {
    const dir = tempDir();
    const head = 'subscriber_id,month,activation_date,plan_id,billed_amount,status\n';
    writeFileSync(join(dir, 'a.csv'), `${head}1,2024-01,2020-01-01,P,1,active\n`);
    writeFileSync(
      join(dir, 'b.csv'),
      `${head}2,2024-01,2020-01-01,P,1,active\n1,2024-01,2020-01-01,P,2,active\n`,
    );
    const { table, files } = await readBilling([join(dir, 'a.csv'), join(dir, 'b.csv')], {
      badRows: 'report',
    });
    expect(table.n).toBe(2);
    expect(files[1]!.sample[0]!.reason).toBe('duplicate_key');
    expect(files[1]!.sample[0]!.message).toContain(`${join(dir, 'a.csv')} line 2`);
  });
});

// biome-ignore format: a case table reads best aligned
const ROWS = [
  ['007000123', '2024-01', '2021-06-15', 'P58', '',           '58.5', 'active',    '0', 'normal',   'individual', '3.25'],
  ['007000124', '2024-01', '2022-02-28', 'P88', '2024-12-31', '0',    'closed',    '4', 'employee', 'group',      ''],
  ['000000001', '2024-02', '2019-12-01', 'P58', '',           '120',  'suspended', '1', 'normal',   'individual', '-7'],
];
const HEADER = [
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

function billingArrow(): Table {
  const col = (k: number) => ROWS.map((r) => (r[k] === '' ? null : r[k]!));
  const day = (s: string | null) => (s === null ? null : new Date(parseDate(s) * 86_400_000));
  return new Table({
    subscriber_id: vectorFromArray(col(0), new Utf8()),
    month: vectorFromArray(col(1)),
    activation_date: vectorFromArray(col(2).map(day), new DateDay()),
    plan_id: vectorFromArray(col(3)),
    plan_end_date: vectorFromArray(col(4).map(day), new DateDay()),
    billed_amount: vectorFromArray(col(5).map(Number), new Float64()),
    status: vectorFromArray(col(6)),
    suspension_count: vectorFromArray(
      col(7).map((v) => BigInt(v!)),
      new Int64(),
    ),
    card_type: vectorFromArray(col(8)),
    customer_type: vectorFromArray(col(9)),
    arpu_score: vectorFromArray(
      col(10).map((v) => (v === null ? null : Number(v))),
      new Float64(),
    ),
  });
}

describe('readBilling formats', () => {
  const dir = tempDir();
  const csv = `${HEADER.join(',')}\n${ROWS.map((r) => r.join(',')).join('\n')}\n`;
  const paths = writeAllFormats(dir, 'billing', csv, billingArrow());

  it('reads CSV into the contract shape, with leading zeros kept and x_ extra columns', async () => {
    const { table, files } = await readBilling([paths.csv!]);
    frameColumnsEqual(table, {
      subscriber_id: ['007000123', '007000124', '000000001'],
      month: [parseMonth('2024-01'), parseMonth('2024-01'), parseMonth('2024-02')],
      activation_date: [parseDate('2021-06-15'), parseDate('2022-02-28'), parseDate('2019-12-01')],
      plan_end_date: [Number.NaN, parseDate('2024-12-31'), Number.NaN],
      billed_amount: [58.5, 0, 120],
      status: [STATUS.active, STATUS.closed, STATUS.suspended],
      suspension_count: [0, 4, 1],
      card_type: [0, 1, 0],
      customer_type: [0, 1, 0],
      ownership_change: [0, 0, 0],
      x_arpu_score: [3.25, Number.NaN, -7],
    });
    expect(table.cols.month).toBeInstanceOf(Int32Array);
    expect(table.cols.status).toBeInstanceOf(Uint8Array);
    expect(files[0]!.months).toEqual([parseMonth('2024-01'), parseMonth('2024-02')]);
    expect(files[0]!.subscribers).toBe(3);
    expect(files[0]!.extraColumns).toEqual(['x_arpu_score']);
  });

  it.each(['gzip', 'arrowFile', 'arrowStream'])('%s gives the same table as CSV', async (format) => {
    const base = await readBilling([paths.csv!]);
    const other = await readBilling([paths[format]!]);
    expect(other.table).toEqual(base.table);
    expect(other.files[0]!.format).toBe(
      format === 'gzip' ? 'csv' : format === 'arrowFile' ? 'arrow-file' : 'arrow-stream',
    );
    expect(other.files[0]!.gzip).toBe(format === 'gzip');
  });

  it.each([
    ['arrowFile', 'file'],
    ['arrowStream', 'stream'],
  ])('says a truncated %s is truncated or damaged, naming it', async (format, word) => {
    const whole = readFileSync(paths[format]!);
    const p = join(dir, `cut.${format}`);
    writeFileSync(p, whole.subarray(0, Math.floor(whole.length * 0.7)));
    await expect(readBilling([p])).rejects.toThrow(
      new RegExp(`^${p}: cannot read the Arrow ${word}: it is truncated or damaged \\(`),
    );
  });

  it('reports Arrow rejects by record number ("row N")', async () => {
    const t = new Table({
      subscriber_id: vectorFromArray(['1', '2'], new Utf8()),
      month: vectorFromArray(['2024-01', '2024-01']),
      activation_date: vectorFromArray(['2020-01-01', '2020-01-01']),
      plan_id: vectorFromArray(['P', 'P']),
      billed_amount: vectorFromArray([1, -2], new Float64()),
      status: vectorFromArray(['active', 'active']),
    });
    const p = join(dir, 'neg.arrow');
    writeFileSync(p, tableToIPC(t, 'file'));
    const { files } = await readBilling([p], { badRows: 'report' });
    expect(files[0]!.sample[0]).toMatchObject({
      line: 2,
      column: 'billed_amount',
      reason: 'negative_value',
      value: '-2',
    });
    expect(describeReject(files[0]!, files[0]!.sample[0]!)).toMatch(/^row 2, billed_amount: negative_value/);
  });
});

describe('readBilling headers and text', () => {
  it('handles a BOM and CRLF line ends', async () => {
    const dir = tempDir();
    const p = join(dir, 'bom.csv');
    writeFileSync(
      p,
      '\uFEFFsubscriber_id,month,activation_date,plan_id,billed_amount,status\r\n0012,2024-03,2020-01-01,P,"1,5",active\r\n0013,2024-03,2020-01-01,P,2,closed\r\n',
    );
    const { table, files } = await readBilling([p], { badRows: 'report' });
    frameColumnsEqual(table, { subscriber_id: ['0013'], status: [STATUS.closed] });
    expect(files[0]!.sample[0]).toMatchObject({
      line: 2,
      column: 'billed_amount',
      reason: 'bad_number',
      value: '1,5',
    });
  });

  it('maps columns through the config', async () => {
    const dir = tempDir();
    const p = join(dir, 'mapped.csv');
    writeFileSync(
      p,
      'MSISDN_HASH,month,activation_date,plan_id,AMOUNT,status\nab12,2024-03,2020-01-01,P,9.5,active\n',
    );
    const config = {
      ...DEFAULT_CONFIG,
      columns: {
        ...DEFAULT_CONFIG.columns,
        billing: { subscriber_id: 'MSISDN_HASH', billed_amount: 'AMOUNT' },
      },
    };
    const { table } = await readBilling([p], { config });
    frameColumnsEqual(table, { subscriber_id: ['ab12'], billed_amount: [9.5] });
    expect(Object.keys(table.cols).filter((k) => k.startsWith('x_'))).toEqual([]);
  });

  it('reads the owning unit and manager through the mapping; blank or absent is no owner', async () => {
    const dir = tempDir();
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    writeFileSync(
      a,
      'subscriber_id,month,activation_date,plan_id,billed_amount,status,归属单位,经理\n' +
        '1,2024-03,2020-01-01,P,1,active,城东分局,王 五\n2,2024-03,2020-01-01,P,1,active,,\n',
    );
    writeFileSync(
      b,
      'subscriber_id,month,activation_date,plan_id,billed_amount,status\n3,2024-03,2020-01-01,P,1,active\n',
    );
    const config = {
      ...DEFAULT_CONFIG,
      columns: { ...DEFAULT_CONFIG.columns, billing: { unit: '归属单位', manager: '经理' } },
    };
    const { table, files } = await readBilling([a, b], { config });
    frameColumnsEqual(table, { unit: ['城东分局', null, null], manager: ['王 五', null, null] });
    expect(files[0]!.extraColumns).toEqual([]);
    const plain = await readBilling([b]);
    expect('unit' in plain.table.cols || 'manager' in plain.table.cols).toBe(false);
  });

  it('names every missing required column and lists the columns found', async () => {
    const dir = tempDir();
    const p = join(dir, 'missing.csv');
    writeFileSync(p, 'subscriber_id,month,plan_id,status\n1,2024-03,P,active\n');
    await expect(readBilling([p])).rejects.toThrow(
      /missing required columns activation_date, billed_amount; columns found: subscriber_id, month, plan_id, status/,
    );
  });

  it('ignores a non-numeric extra column with a notice', async () => {
    const dir = tempDir();
    const p = join(dir, 'extra.csv');
    writeFileSync(
      p,
      'subscriber_id,month,activation_date,plan_id,billed_amount,status,region\n1,2024-03,2020-01-01,P,1,active,north\n',
    );
    const { table, files } = await readBilling([p]);
    expect(table.cols.x_region).toBeUndefined();
    expect(files[0]!.ignoredColumns).toEqual(['region']);
    expect(files[0]!.notices[0]).toBe(
      `${p}: ignored extra columns that are not numeric: "region" (first text at ${p} line 2)`,
    );
  });

  it('names where a numeric extra column first holds text, in whichever file, and a blank one', async () => {
    const dir = tempDir();
    const head = 'subscriber_id,month,activation_date,plan_id,billed_amount,status,top_ups,note\n';
    const march = join(dir, 'march.csv');
    const april = join(dir, 'april.csv');
    writeFileSync(march, `${head}1,2024-03,2020-01-01,P,1,active,3,\n2,2024-03,2020-01-01,P,1,active,4,\n`);
    writeFileSync(april, `${head}1,2024-04,2020-01-01,P,1,active,5,\n2,2024-04,2020-01-01,P,1,active,n/a,\n`);
    const { table, files } = await readBilling([march, april]);
    expect(table.cols.x_top_ups).toBeUndefined();
    expect(files.map((f) => f.notices)).toEqual([
      [
        `${march}: ignored extra columns that are not numeric: "top_ups" (first text at ${april} line 3), "note" (blank throughout)`,
      ],
      [
        `${april}: ignored extra columns that are not numeric: "top_ups" (first text at ${april} line 3), "note" (blank throughout)`,
      ],
    ]);
  });

  it('fails with InputError naming a missing file', async () => {
    await expect(readBilling(['/nonexistent/billing.csv'])).rejects.toThrow(/\/nonexistent\/billing\.csv/);
  });

  it('refuses repeated column names, and a column claiming a field the config maps elsewhere', async () => {
    const dir = tempDir();
    const twice = join(dir, 'twice.csv');
    writeFileSync(twice, 'subscriber_id,month,activation_date,plan_id,billed_amount,status,subscriber_id\n');
    await expect(readBilling([twice])).rejects.toThrow(
      `${twice}: column names repeated in the header: "subscriber_id" (columns 1, 7); each column needs its own name`,
    );
    const claimed = join(dir, 'claimed.csv');
    writeFileSync(
      claimed,
      'MSISDN,subscriber_id,month,activation_date,plan_id,billed_amount,status\nA,1,2024-03,2020-01-01,P,1,active\n',
    );
    const config = {
      ...DEFAULT_CONFIG,
      columns: { billing: { subscriber_id: 'MSISDN' }, cdr: {}, outcomes: {} },
    };
    await expect(readBilling([claimed], { config })).rejects.toThrow(
      `${claimed}: two columns for one field: "MSISDN" and "subscriber_id" (the config maps subscriber_id to the first); drop or rename the other`,
    );
  });

  it('echoes a huge header cut, with its control bytes escaped', async () => {
    const p = join(tempDir(), 'huge.csv');
    writeFileSync(p, `${'\x1b[2J'.repeat(1 << 20)},month\n`);
    const err = (await readBilling([p]).catch((e: unknown) => e)) as InputError;
    expect(err).toBeInstanceOf(InputError);
    expect(err.message.length).toBeLessThan(600);
    expect(err.message).not.toContain('\x1b');
    expect(err.message).toContain('columns found: \\x1B[2J\\x1B[2J');
  });
});

describe('readBilling rows the contract refuses', () => {
  const head = 'subscriber_id,month,activation_date,plan_id,billed_amount,status\n';

  it('rejects an activation date after the billed month, and accepts one within it', async () => {
    const p = join(tempDir(), 'activation.csv');
    writeFileSync(p, `${head}1,2024-03,2024-03-31,P,1,active\n2,2024-03,2024-04-01,P,1,active\n`);
    const { table, files } = await readBilling([p], { badRows: 'report' });
    frameColumnsEqual(table, { subscriber_id: ['1'] });
    expect(files[0]!.sample).toEqual([
      {
        file: p,
        line: 3,
        column: 'activation_date',
        reason: 'activation_after_month',
        value: '2024-04-01',
        message: 'activation_date 2024-04-01 is after the billed month 2024-03',
      },
    ]);
  });

  it('rejects ids that are not UTF-8 rather than merging them into one', async () => {
    const p = join(tempDir(), 'latin1.csv');
    const row = (id: number[]) =>
      Buffer.concat([Buffer.from('A'), Buffer.from(id), Buffer.from(',2024-03,2020-01-01,P,1,active\n')]);
    writeFileSync(p, Buffer.concat([Buffer.from(head), row([0xe9]), row([0xe8]), row([0xc3, 0xa9])]));
    const { table, files } = await readBilling([p], { badRows: 'report' });
    frameColumnsEqual(table, { subscriber_id: ['Aé'] });
    const f = files[0]!;
    expect([f.rows, f.accepted, f.rejected]).toEqual([3, 1, 2]);
    expect(f.sample.map((r) => [r.line, r.column, r.reason, r.message])).toEqual([
      [2, 'subscriber_id', 'invalid_utf8', 'subscriber_id is not valid UTF-8: "A\\xE9"'],
      [3, 'subscriber_id', 'invalid_utf8', 'subscriber_id is not valid UTF-8: "A\\xE8"'],
    ]);
  });

  it.each([
    ['plain', new Utf8()],
    ['dictionary-encoded', undefined],
  ])('rejects Arrow text that is not UTF-8 (%s), by row', async (_, type) => {
    const t = new Table({
      subscriber_id: vectorFromArray(['A1', 'Aé', 'A3'], type),
      month: vectorFromArray(['2024-03', '2024-03', '2024-03']),
      activation_date: vectorFromArray(['2020-01-01', '2020-01-01', '2020-01-01']),
      plan_id: vectorFromArray(['P', 'P', 'P']),
      billed_amount: vectorFromArray([1, 1, 1], new Float64()),
      status: vectorFromArray(['active', 'active', 'active']),
    });
    const bytes = Buffer.from(tableToIPC(t, 'stream'));
    const at = bytes.indexOf(Buffer.from('A1AéA3'));
    bytes[at + 4] = 0xff; // the second byte of é: a lead byte followed by a bad one
    const p = join(tempDir(), 'bad-utf8.arrows');
    writeFileSync(p, bytes);
    const { table, files } = await readBilling([p], { badRows: 'report' });
    frameColumnsEqual(table, { subscriber_id: ['A1', 'A3'] });
    expect(files[0]!.sample.map((r) => [r.line, r.column, r.reason, r.message])).toEqual([
      [2, 'subscriber_id', 'invalid_utf8', 'subscriber_id is not valid UTF-8: "A\\xC3\\xFF"'],
    ]);
  });
});

describe('readBilling on several threads', () => {
  const head = 'subscriber_id,month,activation_date,plan_id,billed_amount,status,unit,score\n';
  // Rows refused by their cells, keys repeated within and across files, an extra column that is not a
  // number only in a row refused as a repeated key (so it stays numeric), owners in some files only.
  const FILES = [
    `${head}1,2024-01,2020-01-01,P1,10,active,north,1.5\n2,2024-01,2020-01-01,P2,-1,active,,2\n3,2024-01,2020-01-01,P1,30,active,south,\n`,
    'subscriber_id,month,activation_date,plan_id,billed_amount,status\n4,2024-01,2020-01-01,P3,40,active\n1,2024-01,2020-01-01,P1,11,active\n5,2024-02,2024-03-01,P1,50,active\n',
    `${head}1,2024-02,2020-01-01,P2,12,active,east,3\n3,2024-01,2020-01-01,P1,31,active,south,x\n6,2024-02,2020-01-01,P4,60,bogus,east,4\n6,2024-02,2020-01-01,P4,61,active,east,4.5\n`,
    `${head}7,2024-02,2020-01-01,P1,70,active,west,5\n3,2024-02,2020-01-01,P1,32,active,south,6\n`,
  ];

  async function read(threads: number) {
    const dir = tempDir();
    const paths = FILES.map((text, i) => {
      const p = join(dir, `billing-${i}.csv`);
      writeFileSync(p, text);
      return p;
    });
    const rejects = join(dir, 'rejects.csv');
    const { table, files, setAside } = await readBilling(paths, { badRows: 'report', rejects, threads });
    const relative = (text: string) => text.replaceAll(dir, 'DIR');
    return {
      table,
      setAside,
      files: relative(JSON.stringify(files)),
      rejects: relative(readFileSync(rejects, 'utf8')),
    };
  }

  it.each([2, 3])('give the table, reports and rejects of one thread (%i threads)', async (threads) => {
    const alone = await read(1);
    const split = await read(threads);
    expect(split.table).toEqual(alone.table);
    expect(split.setAside).toEqual(alone.setAside);
    expect(split.files).toBe(alone.files);
    expect(split.rejects).toBe(alone.rejects);
  });

  it('merge in file order: codes by first sight, repeated keys refused after the first', async () => {
    const { table, files, rejects } = await read(2);
    frameColumnsEqual(table, {
      subscriber_id: ['1', '3', '4', '1', '6', '7', '3'],
      billed_amount: [10, 30, 40, 12, 61, 70, 32],
      plan_id: ['P1', 'P1', 'P3', 'P2', 'P4', 'P1', 'P1'],
      unit: ['north', 'south', null, 'east', 'east', 'west', 'south'],
      x_score: [1.5, Number.NaN, Number.NaN, 3, 4.5, 5, 6],
    });
    expect(table.cols.subscriber_id.dictionary).toEqual(['1', '3', '4', '6', '7']);
    const reasons = rejects
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').slice(1, 4).join(' '));
    expect(reasons).toEqual([
      '3 billed_amount negative_value',
      '3 subscriber_id duplicate_key',
      '4 activation_date activation_after_month',
      '3 subscriber_id duplicate_key',
      '4 status unknown_value',
    ]);
    expect(JSON.parse(files).map((f: { accepted: number }) => f.accepted)).toEqual([2, 1, 2, 2]);
  });

  it('name the subscriber and month of each row set aside by its cells, not of a repeated key', async () => {
    const { setAside } = await read(2);
    // Subscriber 2 (a negative amount), 5 (activated after its month), 6 (an unknown status); the
    // rows refused as repeated keys are no absence: their subscribers have a row that month.
    expect(setAside.subscribers).toEqual(['2', '5', '6']);
    expect(Array.from(setAside.months)).toEqual(['2024-01', '2024-02', '2024-02'].map(parseMonth));
    expect(setAside.unnamed).toBe(0);
  });

  it('report the first file’s failure when several fail', async () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, `${head}1,2024-01,2020-01-01,P1,-5,active,north,1\n`);
    const lacking = join(dir, 'lacking.csv');
    writeFileSync(lacking, 'subscriber_id,month\n1,2024-01\n');
    await expect(readBilling([bad, lacking], { threads: 2 })).rejects.toThrow(/1 of 1 rows are bad/);
    await expect(readBilling([lacking, bad], { threads: 2 })).rejects.toThrow(/activation_date/);
  });
});
