/**
 * Wide tables (`train --table`, `score --table`) given numbers in the spellings exports write them
 * in, cells that are not numbers in a numeric column, and tables without rows. A number spelled
 * another way must score exactly as its plain spelling; a cell read as missing must be said; a bad
 * table must end with exit 3 and a message naming the file.
 */
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../src/index.js';
import { errorMessage, logText, retain } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'retain-table-hostile-'));
const ROWS = 600;
const TRAIN = ['--trees', '5', '--engine', 'forest', '--seed', '3'];

interface Row {
  id: string;
  tenure: number;
  spend: string;
  plan: string;
  churn: string;
}

/** Rows with a signal in tenure, spend and plan; spend has two decimals. */
function rows(): Row[] {
  const random = createRandom(11, 1);
  const plans = ['basic', 'plus', 'max'];
  return Array.from({ length: ROWS }, (_, i) => {
    const tenure = random.int(72);
    const spend = 20 + 80 * random.next();
    const plan = plans[random.int(3)]!;
    const z = -1 - 0.05 * tenure + 0.04 * (spend - 60) + (plan === 'basic' ? 1 : 0);
    const churn = random.next() < 1 / (1 + Math.exp(-z)) ? 'Yes' : 'No';
    return { id: `s${i}`, tenure, spend: spend.toFixed(2), plan, churn };
  });
}

/** Writes the rows with tenure and spend cells as `spell` writes them (plain by default). */
function write(
  name: string,
  spell: (v: string, i: number) => string = (v) => v,
  opts: { newline?: string; bom?: boolean } = {},
): string {
  const nl = opts.newline ?? '\n';
  const lines = ['id,tenure,spend,plan,churn'];
  for (const [i, r] of rows().entries())
    lines.push([r.id, spell(String(r.tenure), i), spell(r.spend, i), r.plan, r.churn].join(','));
  const path = join(dir, name);
  writeFileSync(path, `${opts.bom ? '\uFEFF' : ''}${lines.join(nl)}${nl}`);
  return path;
}

/** id → churn_probability of a score --table run's scores.csv. */
function probabilities(out: string): Map<string, string> {
  const lines = readFileSync(join(dir, out, 'scores.csv'), 'utf8')
    .trim()
    .split('\n');
  expect(lines[0]!.split(',').slice(0, 2)).toEqual(['id', 'churn_probability']);
  return new Map(lines.slice(1).map((l) => l.split(',').slice(0, 2) as [string, string]));
}

/** `retain score --table TABLE --id id --model m.json [EXTRA...] --out OUT`, run in the test folder. */
const scoreTable = (table: string, out: string, ...extra: string[]) =>
  retain(['score', '--table', table, '--id', 'id', '--model', 'm.json', ...extra, '--out', out], dir);
/** `retain train --table TABLE --label churn` with the test's forest, [EXTRA...] and `--out OUT`. */
const trainTable = (table: string, out: string, ...extra: string[]) =>
  retain(['train', '--table', table, '--label', 'churn', ...TRAIN, ...extra, '--out', out], dir);

let plain: Map<string, string>;
beforeAll(async () => {
  const table = write('plain.csv');
  const train = await trainTable(table, 'm.json', '--id', 'id');
  expect(train.code, train.stderr).toBe(0);
  const score = await scoreTable(table, 'plain');
  expect(score.code, score.stderr).toBe(0);
  plain = probabilities('plain');
  expect(plain.size).toBe(ROWS);
}, 120_000);

// Every other row respelled, so plain and respelled cells meet in one file (and in one chunk).
const every2 = (f: (v: string) => string) => (v: string, i: number) => (i % 2 === 0 ? f(v) : v);

describe('a number spelled another way scores as its plain spelling', () => {
  it.each([
    { label: 'exponent notation', spell: every2((v) => Number(v).toExponential()), opts: {} },
    {
      label: 'upper-case exponent with a sign',
      // 12.34 as 1234E-2, 7 as 700E-2: the same number, digits moved by the exponent.
      spell: every2((v) => (v.includes('.') ? `${v.replace('.', '')}E-2` : `${v}00E-2`)),
      opts: {},
    },
    { label: 'leading plus sign', spell: every2((v) => `+${v}`), opts: {} },
    { label: 'leading zeros', spell: every2((v) => `000${v}`), opts: {} },
    {
      label: 'trailing zeros after a point',
      spell: every2((v) => (v.includes('.') ? `${v}000` : `${v}.000`)),
      opts: {},
    },
    { label: 'spaces and tabs around', spell: every2((v) => ` \t${v}  `), opts: {} },
    { label: 'quoted', spell: every2((v) => `"${v}"`), opts: {} },
    { label: 'CRLF line ends', spell: (v: string) => v, opts: { newline: '\r\n' } },
    { label: 'a byte-order mark', spell: (v: string) => v, opts: { bom: true } },
    {
      label: 'CRLF, a byte-order mark and quotes',
      spell: every2((v) => `"${v}"`),
      opts: { newline: '\r\n', bom: true },
    },
  ])('$label', async ({ label, spell, opts }) => {
    const name = label.replace(/[^a-z]+/g, '-');
    const table = write(`${name}.csv`, spell, opts);
    const r = await scoreTable(table, name);
    expect(r.code, r.stderr).toBe(0);
    expect(probabilities(name)).toEqual(plain);
  });
});

describe('cells that are not numbers in a numeric column', () => {
  it('train --table says which cells of which column it read as missing', async () => {
    const odd = ['1_000', '0x10', '1,000.50', '\u22125'];
    // Four odd cells in 600 stay under the share of text a numeric column may hold.
    const table = write('odd.csv', (v, i) =>
      i % 150 === 7 && v.includes('.') ? `"${odd[(i - 7) / 150]}"` : v,
    );
    const r = await trainTable(table, 'odd.json', '--id', 'id');
    expect(r.code, r.stderr).toBe(0);
    const log = logText(r.stderr);
    const warning = log.split('\n').find((l) => l.includes('read as missing'));
    expect(warning, log).toBeDefined();
    // Row i of the table sits on line i + 2: the odd cells' rows 7, 157 and 307.
    expect(warning).toContain(`${table}: column spend: `);
    expect(warning).toMatch(
      /4 text cells \("1_000" on line 9, "0x10" on line 159, "1,000\.50" on line 309\) read as missing/,
    );
  });

  it('score --table says which cells of which column it scored as missing, and scores every row', async () => {
    const odd = ['1_000', '0x10', '1,000.50'];
    const table = write('odd-score.csv', (v, i) =>
      i % 150 === 7 && v.includes('.') && i < 450 ? `"${odd[(i - 7) / 150]}"` : v,
    );
    const text = readFileSync(table, 'utf8')
      .replace(/,basic,/, ',Basic,')
      .replace(/,max,/, ',mx,');
    writeFileSync(table, text);
    const r = await scoreTable(table, 'odd-score');
    expect(r.code, r.stderr).toBe(0);
    const lines = logText(r.stderr).split('\n');
    const spend = lines.find((l) => l.includes('column spend'));
    expect(spend).toMatch(
      /3 text cells \("1_000" on line 9, "0x10" on line 159, "1,000\.50" on line 309\) read as missing/,
    );
    expect(spend).toContain(table);
    const plan = lines.find((l) => l.includes('column plan'));
    // First seen first, each with its line: the line of the first ",mx," and the first ",Basic,".
    const lineOf = (cell: string) => text.split('\n').findIndex((l) => l.includes(cell)) + 1;
    expect(lineOf(',mx,')).toBeLessThan(lineOf(',Basic,'));
    expect(plan).toContain(
      `2 cells hold a value training never saw ("mx" on line ${lineOf(',mx,')}, "Basic" on line ${lineOf(',Basic,')}), read as missing`,
    );
    expect(probabilities('odd-score').size).toBe(ROWS);
  });

  it('train --table refuses a numeric column half of whose cells have thousands separators', async () => {
    const table = write('thousands.csv', (v, i) =>
      v.includes('.') && i % 2 === 0
        ? `"${Number(v) * 100 >= 1000 ? (Number(v) * 100).toLocaleString('en-US', { minimumFractionDigits: 2 }) : v}"`
        : v,
    );
    const r = await trainTable(table, 'thousands.json', '--id', 'id');
    // Dropped as mixed, the column was lost without a stop; read as missing, half of it would be.
    expect(r.code, r.stderr).toBe(3);
    expect(errorMessage(r.stderr)).toMatch(
      new RegExp(
        `^${table}: column "spend" is not numbers throughout: \\d+ of its ${ROWS} filled cells are text \\("\\d,\\d{3}\\.\\d{2}" on line 2`,
      ),
    );
    expect(existsSync(join(dir, 'thousands.json'))).toBe(false);
  });

  it('score --table says nothing when every cell reads as in training', async () => {
    const r = await scoreTable(join(dir, 'plain.csv'), 'plain-again');
    expect(r.code, r.stderr).toBe(0);
    expect(logText(r.stderr)).not.toMatch(/read as missing/);
  });

  // 1e400 matches the number pattern but is too large for a double: it is read as a text cell (and
  // so as missing, said in the warning), not as Infinity, which made k-means fail with exit 1.
  it('a number too large for a double (1e400) is read as a text cell, not Infinity', async () => {
    const table = write('huge.csv', (v, i) => (i === 5 && v.includes('.') ? '1e400' : v));
    const r = await trainTable(table, 'huge.json', '--id', 'id');
    expect(r.code, r.stderr).toBe(0);
    const warning = logText(r.stderr)
      .split('\n')
      .find((l) => l.includes('read as missing'));
    expect(warning, r.stderr).toContain('spend');
    expect(warning).toMatch(/1 text cell.*"1e400"/);
  });
});

describe('a numeric column in which no cell reads as a number', () => {
  // Spend written throughout as retain does not read numbers: read as missing, the whole column would
  // be lost (scored as if no spend were known, or dropped from training), so it is refused.
  const spellings = [
    {
      label: 'decimal commas',
      spell: (v: string) => `"${v.replace('.', ',')}"`,
      shown: (v: string) => v.replace('.', ','),
    },
    { label: 'a currency sign', spell: (v: string) => `$${v}`, shown: (v: string) => `$${v}` },
  ];
  /** The message naming the file, the column and the first three values with their lines. */
  const refusal = (path: string, shown: (v: string) => string) => {
    const first = rows()
      .slice(0, 3)
      .map((r, i) => `"${shown(r.spend)}" on line ${i + 2}`)
      .join(', ');
    return (
      `${path}: column "spend" holds no number: all ${ROWS} filled cells are text (${first}); ` +
      'expected plain numbers such as 1234.5, -0.25 or 1.5e3 (a point before any decimals; ' +
      'no thousands separator, currency sign, percent sign or unit)'
    );
  };

  it.each(spellings)(
    'score --table refuses spend written with $label (exit 3), and writes no folder; a spend left blank is scored as missing',
    async ({ label, spell, shown }) => {
      const name = `score-${label.replace(/[^a-z]+/g, '-')}`;
      const table = write(`${name}.csv`, (v) => (v.includes('.') ? spell(v) : v));
      const r = await scoreTable(table, name);
      expect(r.code, r.stderr).toBe(3);
      expect(errorMessage(r.stderr)).toBe(refusal(table, shown));
      expect(existsSync(join(dir, name))).toBe(false);
      // Blank throughout, the column is data the table lacks, not data it holds in a spelling retain
      // cannot read: scored as missing.
      const blank = write('spend-blank.csv', (v) => (v.includes('.') ? '' : v));
      const scored = await scoreTable(blank, 'spend-blank');
      expect(scored.code, scored.stderr).toBe(0);
      expect(probabilities('spend-blank').size).toBe(ROWS);
    },
  );

  it.each(spellings)(
    'train --table refuses spend written with $label (exit 3) before any fit, and writes no model',
    async ({ label, spell, shown }) => {
      const name = `train-${label.replace(/[^a-z]+/g, '-')}`;
      const table = write(`${name}.csv`, (v) => (v.includes('.') ? spell(v) : v));
      const r = await trainTable(table, `${name}.json`, '--id', 'id');
      expect(r.code, r.stderr).toBe(3);
      expect(errorMessage(r.stderr)).toBe(refusal(table, shown));
      expect(r.stderr).not.toContain('"phase":"fit"');
      expect(existsSync(join(dir, `${name}.json`))).toBe(false);
    },
  );
});

describe('a numeric column mostly written as retain does not read numbers', () => {
  // A decimal-comma export keeps whole amounts plain (70 beside 29,85): a few numbers must not let
  // the rest be read as missing (score) or the column be dropped as mixed (train).
  const spell = (v: string, i: number) =>
    i % 5 === 0 ? String(Math.round(Number(v))) : `"${v.replace('.', ',')}"`;
  const mostly =
    /^.*: column "spend" is not numbers throughout: \d+ of its \d+ filled cells are text \("[0-9]+,[0-9]+" on line \d+/;

  it('score --table refuses it (exit 3) and writes no folder', async () => {
    const table = write('mostly-score.csv', spell);
    const r = await scoreTable(table, 'mostly-score');
    expect(r.code, r.stderr).toBe(3);
    expect(errorMessage(r.stderr)).toMatch(mostly);
    expect(existsSync(join(dir, 'mostly-score'))).toBe(false);
  });

  it('train --table refuses it (exit 3) rather than drop the column, and writes no model', async () => {
    const table = write('mostly-train.csv', spell);
    const r = await trainTable(table, 'mostly-train.json', '--id', 'id');
    expect(r.code, r.stderr).toBe(3);
    expect(errorMessage(r.stderr)).toMatch(mostly);
    expect(existsSync(join(dir, 'mostly-train.json'))).toBe(false);
  });
});

describe('numbers at the ends of the double range', () => {
  it.each(['1e200', '-1e200'])(
    'one spend of %s trains (its segments scale it) and scores every row',
    async (huge) => {
      const table = write(`big${huge}.csv`, (v, i) => (i === 5 && v.includes('.') ? huge : v));
      const r = await trainTable(table, `big${huge}.json`, '--id', 'id');
      expect(r.code, r.stderr).toBe(0);
      const scored = await retain(
        ['score', '--table', table, '--id', 'id', '--model', `big${huge}.json`, '--out', `big${huge}`],
        dir,
      );
      expect(scored.code, scored.stderr).toBe(0);
      const p = [...probabilities(`big${huge}`).values()].map(Number);
      expect(p).toHaveLength(ROWS);
      expect(p.every((v) => v > 0 && v < 1)).toBe(true);
    },
  );
});

describe('a table too small to train on', () => {
  it('is an input error (exit 3) naming the file, before any fit, and writes no model', async () => {
    const path = join(dir, 'three.csv');
    writeFileSync(path, 'id,tenure,churn\ns1,3,Yes\ns2,40,No\ns3,7,Yes\n');
    const r = await trainTable(path, 'three.json', '--id', 'id');
    expect(r.code).toBe(3);
    expect(errorMessage(r.stderr)).toBe(
      `${path}: 3 rows are too few to train on: the segments need at least 4 (segments.k_min)`,
    );
    expect(r.stderr).not.toContain('"phase":"fit"');
    expect(existsSync(join(dir, 'three.json'))).toBe(false);
  });
});

describe('tables without a usable label', () => {
  it.each([
    { name: 'header-only.csv', text: 'id,tenure,spend,plan,churn\n', message: 'the table has no rows' },
    {
      name: 'three-labels.csv',
      text: 'id,tenure,spend,plan,churn\na,1,2,basic,Yes\nb,2,3,plus,No\nc,3,4,max,Maybe\n',
      // The third row is on the file's fourth line, after the header.
      message: 'label column "churn" has values that are not a churn flag: "Maybe" (line 4)',
    },
  ])('$name: exit 3 naming the file', async ({ name, text, message }) => {
    writeFileSync(join(dir, name), text);
    const r = await trainTable(name, `${name}.json`);
    expect(r.code, r.stderr).toBe(3);
    expect(errorMessage(r.stderr)).toContain(`${name}: ${message}`);
  });
});

describe('score --table on a table without rows', () => {
  it('is an input error naming the file, and writes no folder', async () => {
    writeFileSync(join(dir, 'score-header-only.csv'), 'id,tenure,spend,plan,churn\n');
    const r = await scoreTable('score-header-only.csv', 'none');
    expect(r.code, r.stderr).toBe(3);
    expect(errorMessage(r.stderr)).toMatch(/score-header-only\.csv: the table has no rows$/);
    expect(existsSync(join(dir, 'none'))).toBe(false);
  });
});

describe('score --table on a table without a column the model needs', () => {
  it('is an input error (exit 3) naming the file and the column', async () => {
    const text = readFileSync(join(dir, 'plain.csv'), 'utf8').replace(/,plan,/g, ',tier,');
    writeFileSync(join(dir, 'no-plan.csv'), text);
    const r = await scoreTable('no-plan.csv', 'no-plan');
    expect(r.code, r.stderr).toBe(3);
    expect(errorMessage(r.stderr)).toMatch(
      /no-plan\.csv: the table lacks column the model was trained on: "plan"/,
    );
    expect(existsSync(join(dir, 'no-plan'))).toBe(false);
  });
});

describe('subscriber ids', () => {
  // Two rows of one subscriber would put them on the call list twice; a blank id cannot be called.
  it.each([
    {
      name: 'dup-id.csv',
      line: (l: string, i: number) => (i === 9 ? l.replace(/^s8,/, 's3,') : l),
      message: 'id column "id" repeats 1 id: "s3" (lines 5, 10)',
    },
    {
      name: 'blank-id.csv',
      line: (l: string, i: number) => (i === 7 ? l.replace(/^s6,/, ' ,') : l),
      message: 'id column "id" is blank on line 8',
    },
  ])('score --table refuses $name (exit 3) naming the lines', async ({ name, line, message }) => {
    const text = readFileSync(join(dir, 'plain.csv'), 'utf8').split('\n').map(line).join('\n');
    writeFileSync(join(dir, name), text);
    const r = await scoreTable(name, name.replace('.csv', ''));
    expect(r.code, r.stderr).toBe(3);
    expect(errorMessage(r.stderr)).toContain(`${name}: ${message}`);
    expect(existsSync(join(dir, name.replace('.csv', '')))).toBe(false);
  });

  // A training table with one subscriber on two rows would count them twice and could validate the
  // model on a row it was trained on; the check is the one scoring runs.
  it.each([
    {
      name: 'train-dup-id.csv',
      line: (l: string, i: number) => (i === 9 || i === 12 ? l.replace(/^s(8|11),/, 's3,') : l),
      message:
        'id column "id" repeats 1 id: "s3" (lines 5, 10, 13); one row per subscriber, ' +
        'or the subscriber would weigh twice in the model and could be validated on a row it was trained on',
    },
    {
      name: 'train-blank-id.csv',
      line: (l: string, i: number) => (i === 7 ? l.replace(/^s6,/, ',') : l),
      message: 'id column "id" is blank on line 8; every row needs its subscriber id',
    },
  ])('train --table --id refuses $name (exit 3) naming the lines', async ({ name, line, message }) => {
    const text = readFileSync(join(dir, 'plain.csv'), 'utf8').split('\n').map(line).join('\n');
    writeFileSync(join(dir, name), text);
    const model = name.replace('.csv', '.json');
    const r = await trainTable(name, model, '--id', 'id');
    expect(r.code, r.stderr).toBe(3);
    expect(errorMessage(r.stderr)).toBe(`${join(dir, name)}: ${message}`);
    expect(existsSync(join(dir, model))).toBe(false);
  });

  it('train --table with --id naming the label column is a usage error', async () => {
    const r = await trainTable('plain.csv', 'same.json', '--id', 'churn');
    expect(r.code, r.stderr).toBe(2);
    expect(errorMessage(r.stderr)).toContain('--id and --label both name the column "churn"');
  });
});

describe('options that do not apply to a wide table', () => {
  // score --table scores every row in one process and writes no lists: --shard (each shard of an
  // Indexed Job would score the whole table), --cdr (even a file that does not exist), --capacity,
  // --control-share, --seed (of the control-group draw), --list-date, --contact-history and --rejects (a
  // malformed table row fails the run) would be ignored, so they are refused, as --month is.
  it.each([
    ['--shard', '0/2'],
    ['--cdr', 'no-such-file.csv'],
    ['--capacity', '10'],
    ['--control-share', '0.1'],
    ['--seed', '1'],
    ['--list-date', '2025-08-01'],
    ['--contact-history', 'no-such-outcomes.csv'],
    ['--rejects', 'rejects.csv'],
  ])('score --table %s %s is a usage error', async (option, value) => {
    const r = await scoreTable(join(dir, 'plain.csv'), `opt${option}`, option, value);
    expect(r.code, r.stderr).toBe(2);
    expect(errorMessage(r.stderr)).toBe(`${option} applies to billing files, not to --table`);
    expect(existsSync(join(dir, `opt${option}`))).toBe(false);
  });

  it('score --table names every option it refuses at once', async () => {
    const r = await retain(
      [
        'score',
        '--table',
        join(dir, 'plain.csv'),
        '--model',
        'm.json',
        '--shard',
        '1/2',
        '--capacity',
        '5',
        '--out',
        'opt-both',
      ],
      dir,
    );
    expect(r.code, r.stderr).toBe(2);
    expect(errorMessage(r.stderr)).toBe('--shard, --capacity apply to billing files, not to --table');
  });

  it('score --table names every option of the lists it refuses at once, and writes no rejects', async () => {
    const r = await scoreTable(
      join(dir, 'plain.csv'),
      'opt-lists',
      ...['--seed', '7', '--list-date', '2025-08-01', '--contact-history', 'a.csv', 'b.csv'],
      ...['--rejects', 'opt-rejects.csv'],
    );
    expect(r.code, r.stderr).toBe(2);
    expect(errorMessage(r.stderr)).toBe(
      '--seed, --list-date, --contact-history, --rejects apply to billing files, not to --table',
    );
    expect(existsSync(join(dir, 'opt-lists'))).toBe(false);
    expect(existsSync(join(dir, 'opt-rejects.csv'))).toBe(false);
  });

  it('train --table names every option it would ignore at once: a table has no months and sets no rows aside', async () => {
    const r = await trainTable(
      join(dir, 'plain.csv'),
      'train-opts.json',
      ...['--month', '2025-06', '--rejects', 'train-rejects.csv'],
    );
    expect(r.code, r.stderr).toBe(2);
    expect(errorMessage(r.stderr)).toBe('--month, --rejects apply to billing files, not to --table');
    expect(existsSync(join(dir, 'train-opts.json'))).toBe(false);
    expect(existsSync(join(dir, 'train-rejects.csv'))).toBe(false);
  });

  it.each([3, 5])('train --table takes the segment count from --config (k = %i)', async (k) => {
    writeFileSync(join(dir, `k${k}.config.json`), JSON.stringify({ segments: { k } }));
    const r = await trainTable(join(dir, 'plain.csv'), `train-k${k}.json`, '--config', `k${k}.config.json`);
    expect(r.code, r.stderr).toBe(0);
    const model = JSON.parse(readFileSync(join(dir, `train-k${k}.json`), 'utf8'));
    expect(model.segments.k).toBe(k);
    expect(model.segments.centroids).toHaveLength(k);
  });

  it('train --table reports a bad config before reading the table', async () => {
    writeFileSync(join(dir, 'bad.config.json'), JSON.stringify({ segments: { k_min: 6, k_max: 3 } }));
    const r = await trainTable(join(dir, 'plain.csv'), 'train-bad.json', '--config', 'bad.config.json');
    expect(r.code, r.stderr).toBe(3);
    expect(errorMessage(r.stderr)).toContain('segments.k_max');
    expect(existsSync(join(dir, 'train-bad.json'))).toBe(false);
  });

  it('train --table --cdr is a usage error', async () => {
    const r = await trainTable(join(dir, 'plain.csv'), 'cdr.json', '--cdr', 'no-such-file.csv');
    expect(r.code, r.stderr).toBe(2);
    expect(errorMessage(r.stderr)).toBe('--cdr applies to billing files, not to --table');
    expect(existsSync(join(dir, 'cdr.json'))).toBe(false);
  });
});

describe('score --table in Arrow and Parquet', () => {
  it.each(['arrow', 'parquet'])('--format %s writes the scores the manifest lists', async (format) => {
    const r = await scoreTable(join(dir, 'plain.csv'), format, '--format', format);
    expect(r.code, r.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, format, 'retain-run.json'), 'utf8')) as {
      files: { path: string; bytes: number }[];
    };
    const scores = manifest.files.find((f) => f.path === `scores.${format}`);
    expect(scores, JSON.stringify(manifest.files)).toBeDefined();
    expect(statSync(join(dir, format, `scores.${format}`)).size).toBe(scores!.bytes);
    expect(scores!.bytes).toBeGreaterThan(ROWS * 8);
  });

  it('train --table warns when no tree could split, and not once one can', async () => {
    // 30 rows, churn exactly when usage is below 40: boosting's leaves of 20 rows leave no split.
    const random = createRandom(1);
    const lines = ['id,usage,churn'];
    for (let i = 0; i < 30; i++) {
      const usage = random.int(101);
      lines.push(`${i},${usage},${usage < 40 ? 1 : 0}`);
    }
    writeFileSync(join(dir, 'thirty.csv'), `${lines.join('\n')}\n`);
    const train = (out: string, ...extra: string[]) =>
      retain(
        ['train', '--table', 'thirty.csv', '--label', 'churn', '--id', 'id', ...extra, '--out', out],
        dir,
      );
    const constant = await train('thirty.json');
    expect(constant.code, constant.stderr).toBe(0);
    expect(logText(constant.stderr)).toContain(
      'the model learnt nothing: no tree split on 30 training rows with leaves of at least 20 rows, so it gives every subscriber the same score; lower --min-leaf, or train on more rows',
    );
    const learnt = await train('thirty-2.json', '--min-leaf', '2');
    expect(learnt.code, learnt.stderr).toBe(0);
    expect(logText(learnt.stderr)).not.toContain('learnt nothing');
  });

  it('train --table warns of a column it drops as mostly blank: data the model loses', async () => {
    const lines = ['id,usage,bonus,churn'];
    for (let i = 0; i < 60; i++) lines.push(`${i},${i % 17},${i % 3 === 0 ? i : ''},${i % 5 === 0 ? 1 : 0}`);
    writeFileSync(join(dir, 'sparse.csv'), `${lines.join('\n')}\n`);
    const r = await retain(
      ['train', '--table', 'sparse.csv', '--label', 'churn', '--id', 'id', ...TRAIN, '--out', 'sparse.json'],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    const warned = r.stderr.split('\n').filter((l) => l.startsWith('{') && JSON.parse(l).level === 'warn');
    expect(warned.map((l) => JSON.parse(l).msg)).toContain(
      'sparse.csv: column bonus not used: mostly blank (40 of 60)',
    );
  });

  it('train and score --table find --label and --id given with spaces around, as the header cells are read', async () => {
    const train = await retain(
      [
        'train',
        '--table',
        'plain.csv',
        '--label',
        ' churn ',
        '--id',
        ' id',
        ...TRAIN,
        '--out',
        'spaced.json',
      ],
      dir,
    );
    expect(train.code, train.stderr).toBe(0);
    const score = await retain(
      ['score', '--table', 'plain.csv', '--id', 'id ', '--model', 'spaced.json', '--out', 'spaced'],
      dir,
    );
    expect(score.code, score.stderr).toBe(0);
    expect(
      readFileSync(join(dir, 'spaced', 'scores.csv'), 'utf8')
        .split('\n')[0]!
        .split(',')[0],
    ).toBe('id');
  });
});
