import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { InputError } from '../../src/errors.js';
import { openScoredFolder } from '../../src/io/index.js';
import {
  assessScoredMonth,
  listedSubscribers,
  readScores,
  readWarningList,
} from '../../src/pipeline/scored-month.js';

const SCORES = [
  'subscriber_id,month,churn_probability,eligible,control,stage,exclusion,tier,segment,triggers,revenue_at_risk,unit',
  's1,2025-06,0.8,1,0,warning,,gold,heavy data,silent_days;care_calls,120.5,north',
  's2,2025-06,0.1,1,1,maturity,,silver,low value,,4,south',
  's3,2025-06,,0,0,warning,closed,bronze,low value,,,',
].join('\n');

const root = mkdtempSync(join(tmpdir(), 'retain-scored-month-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A scored folder written by hand, as an older retain without a manifest left it. */
function folder(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'targets'), { recursive: true });
  for (const [rel, text] of Object.entries(files)) writeFileSync(join(dir, rel), `${text}\n`);
  return dir;
}

describe('a scored folder read back as typed rows', () => {
  const dir = folder('full', {
    'scores.csv': SCORES,
    'targets/warning.csv': 'subscriber_id,churn_probability\ns1,0.8',
    'targets/growth.csv': 'subscriber_id\ns2',
    'targets/onboarding.csv': 'subscriber_id',
    'targets/maturity.csv': 'subscriber_id',
    'targets/group.csv': 'subscriber_id',
    'summary.json': JSON.stringify({ capacity: { cut: 3 } }),
  });

  it('gives every column of the scores with its type, and the month of the first row', async () => {
    const { rows, month } = await readScores(await openScoredFolder(dir));
    expect(month).toBe(2025 * 12 + 5);
    expect(rows.ids).toEqual(['s1', 's2', 's3']);
    expect([...rows.probability]).toEqual([0.8, 0.1, Number.NaN]);
    expect([...rows.eligible]).toEqual([1, 1, 0]);
    expect([...rows.control]).toEqual([0, 1, 0]);
    expect(rows.exclusion).toEqual(['', '', 'closed']);
    expect(rows.triggers).toEqual(['silent_days;care_calls', '', '']);
    expect([...rows.revenue]).toEqual([120.5, 4, Number.NaN]);
    expect(rows.saving).toBeNull();
    expect(rows.unit).toEqual(['north', 'south', '']);
  });

  it('says who was on the warning list and that the capacity cut it', async () => {
    const list = await readWarningList(await openScoredFolder(dir));
    expect([...list.ids]).toEqual(['s1']);
    expect(list.capped).toBe(true);
  });

  it("gives each list's subscribers with their units from the scores", async () => {
    const f = await openScoredFolder(dir);
    const listed = await listedSubscribers(f, (await readScores(f)).rows);
    expect(listed.find((l) => l.list === 'warning')).toEqual({
      list: 'warning',
      ids: ['s1'],
      units: ['north'],
    });
    expect(listed.map((l) => l.list)).toEqual(['onboarding', 'growth', 'maturity', 'warning', 'group']);
    expect(listed.find((l) => l.list === 'growth')).toEqual({
      list: 'growth',
      ids: ['s2'],
      units: ['south'],
    });
  });

  it('has no assessment, and says so, when summary.json holds no KPI cohorts', async () => {
    const f = await openScoredFolder(dir);
    const notices: string[] = [];
    const { rows, month } = await readScores(f);
    const rules = DEFAULT_CONFIG.kpi.assessment;
    expect(await assessScoredMonth(f, rows, month, null, rules, (m) => notices.push(m))).toBeNull();
    expect(notices).toEqual([
      `${join(dir, 'summary.json')} holds no KPI cohorts (written by an older retain): no assessment`,
    ]);
  });
});

describe('a folder that is not a scored month', () => {
  it.each([
    ['scores without a month column', SCORES.replace(',month,', ',period,'), 'no column "month"'],
    [
      'scores whose first row has no month',
      SCORES.replace('s1,2025-06', 's1,'),
      'no scored month in the first row',
    ],
  ])('refuses %s, naming the file', async (name, scores, why) => {
    const dir = folder(name.replaceAll(' ', '-'), {
      'scores.csv': scores,
      'targets/warning.csv': 'subscriber_id',
    });
    const err = await readScores(await openScoredFolder(dir)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toContain(join(dir, 'scores.csv'));
    expect((err as Error).message).toContain(why);
  });

  it.each([
    ['null', 'null', ['(top): ']],
    [
      'KPI cohorts of another shape',
      '{"kpi_cohorts":{"x":1}}',
      ['capacity: ', 'kpi_cohorts.month: ', 'kpi_cohorts.definition: ', 'kpi_cohorts.overall: '],
    ],
  ])(
    'refuses a summary.json holding %s, naming the file and every bad field',
    async (name, summary, fields) => {
      const dir = folder(`summary-${name.replaceAll(' ', '-')}`, {
        'scores.csv': SCORES,
        'targets/warning.csv': 'subscriber_id\ns1',
        'summary.json': summary,
      });
      const f = await openScoredFolder(dir);
      const { rows, month } = await readScores(f);
      const rules = DEFAULT_CONFIG.kpi.assessment;
      const reads = [
        () => readWarningList(f),
        () => assessScoredMonth(f, rows, month, null, rules, () => {}),
      ];
      for (const read of reads) {
        const err = await read().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(InputError);
        const message = (err as Error).message;
        expect(message).toContain(
          `${join(dir, 'summary.json')}: not a summary retain score wrote for a billing month (${fields.length} problem`,
        );
        for (const field of fields) expect(message).toContain(field);
      }
    },
  );

  it('refuses a warning list without subscriber ids', async () => {
    const dir = folder('no-ids', { 'scores.csv': SCORES, 'targets/warning.csv': 'msisdn\n1' });
    await expect(readWarningList(await openScoredFolder(dir))).rejects.toThrow(
      `${join(dir, 'targets/warning.csv')}: no column "subscriber_id"`,
    );
  });
});
