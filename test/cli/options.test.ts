import { Command, InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  configOption,
  controlShare,
  decimal,
  formatOption,
  outOption,
  refuseSameOutput,
  rejectsOption,
  seedOption,
  threadsOption,
  threadsWithinCores,
  wholeNumber,
} from '../../src/cli/options.js';
import {
  DEFAULT_BOOST_PARAMS as BOOST,
  DEFAULT_FOREST_PARAMS as FOREST,
  UsageError,
} from '../../src/index.js';
import { retain } from '../helpers/cli.js';

describe('option parsers', () => {
  // biome-ignore format: aligned case table
  it.each([
    ['8',    0, 1024, 8],
    [' 0 ',  0, 1024, 0],
    ['1025', 0, 1024, 'expected a whole number from 0 to 1024'],
    ['1.5',  0, 1024, 'expected a whole number from 0 to 1024'],
    ['-1',   0, 1024, 'expected a whole number from 0 to 1024'],
    ['0',    1, undefined, 'expected a whole number from 1'],
  ] as const)('wholeNumber(%j) in [%i, %s] gives %j', (text, min, max, want) => {
    const parse = wholeNumber(min, max);
    if (typeof want === 'number') expect(parse(text)).toBe(want);
    else expect(() => parse(text)).toThrow(new InvalidArgumentError(want));
  });

  // biome-ignore format: aligned case table
  it.each([
    ['0.05', 0, 1, true,  0.05],
    ['0',    0, 1, true,  'expected a number above 0 to 1'],
    ['0',    0, 1, false, 0],
    ['',     0, 1, false, 'expected a number from 0 to 1'],
    ['2',    0, 1, false, 'expected a number from 0 to 1'],
  ] as const)('decimal(%j) in %i..%i (open %s) gives %j', (text, min, max, open, want) => {
    const parse = decimal(min, max, open);
    if (typeof want === 'number') expect(parse(text)).toBe(want);
    else expect(() => parse(text)).toThrow(new InvalidArgumentError(want));
  });

  it.each([
    ['auto', 'auto'],
    ['0.2', 0.2],
    ['1', 1],
  ] as const)('controlShare(%j) is %j', (text, want) => {
    expect(controlShare(text)).toBe(want);
  });

  it.each(['', '1.5', 'half'])('controlShare(%j) is a usage error', (text) => {
    expect(() => controlShare(text)).toThrow('expected a share from 0 to 1, or auto');
  });
});

describe('shared options', () => {
  /** The values a command declaring `options` parses from `argv`. */
  function parse(options: ReturnType<typeof configOption>[], argv: string[]): Record<string, unknown> {
    const cmd = new Command('x').exitOverride();
    for (const o of options) cmd.addOption(o);
    cmd.parse(argv, { from: 'user' });
    return cmd.opts();
  }

  it('declares each flag with its default and parser', () => {
    const options = () => [
      configOption(),
      rejectsOption(),
      outOption('file', 'model file to write', 'retain-model.json'),
      formatOption('file format'),
      seedOption('random seed'),
      threadsOption(null, 'output'),
    ];
    expect(parse(options(), [])).toEqual({ out: 'retain-model.json', format: 'csv', seed: 1, threads: 0 });
    expect(
      parse(options(), [
        '--config',
        'c.json',
        '--rejects',
        'r.csv',
        '--format',
        'arrow',
        '--seed',
        '7',
        '--threads',
        '3',
      ]),
    ).toEqual({
      config: 'c.json',
      rejects: 'r.csv',
      out: 'retain-model.json',
      format: 'arrow',
      seed: 7,
      threads: 3,
    });
    expect(() => parse(options(), ['--format', 'xlsx'])).toThrow(/Allowed choices are csv, arrow, parquet/);
    expect(() => parse(options(), ['--threads', '2000'])).toThrow(/expected a whole number from 0 to 1024/);
  });

  // biome-ignore format: aligned case table
  it.each([
    ['growing trees', 'model',  true,  'threads reading CDR files or a large --table and growing trees (0, or more than there are: all cores; for CDRs at most 8, as memory allows); the model does not depend on it'],
    [null,            'output', false, 'threads reading CDR files (0, or more than there are: all cores; at most 8, as memory allows); the output does not depend on it'],
  ] as const)('--threads for %s says what the %s does not depend on', (also, result, table, want) => {
    expect(threadsOption(also, result, table).description).toBe(want);
  });

  it('keeps --threads within the cores, telling the log when it lowers it', () => {
    const warned: string[] = [];
    const ctx = { log: { warn: (m: string) => warned.push(m) } } as unknown as Parameters<
      typeof threadsWithinCores
    >[0];
    expect([0, 1, 2].map((n) => threadsWithinCores(ctx, n, 2))).toEqual([0, 1, 2]);
    expect(warned).toEqual([]);
    expect(threadsWithinCores(ctx, 64, 2)).toBe(2);
    expect(warned).toEqual(['--threads 64 is more than the 2 cores this process may use: using 2']);
    expect(threadsWithinCores(ctx, 2, 1)).toBe(1);
    expect(warned[1]).toBe('--threads 2 is more than the 1 core this process may use: using 1');
  });

  it('names the rows a rejects file gets and what a config file is read for', () => {
    expect(rejectsOption('bad outcome row').description).toBe('write every bad outcome row to this CSV');
    expect(configOption(', for report.currency').description).toBe(
      'config file, for report.currency (default: retain.config.json when present)',
    );
  });
});

describe('refuseSameOutput', () => {
  it('refuses --out and --rejects that resolve to one path, and nothing else', () => {
    expect(() => refuseSameOutput('/w', 'a.csv', './a.csv')).toThrow(
      '--out and --rejects name the same path (a.csv); give each its own',
    );
    expect(() => refuseSameOutput('/w', 'a.csv', '/w/a.csv')).toThrow(UsageError);
    for (const [out, rejects] of [
      ['a.csv', 'b.csv'],
      ['a.csv', null],
      [null, 'a.csv'],
    ] as const)
      expect(() => refuseSameOutput('/w', out, rejects)).not.toThrow();
  });
});

describe('retain train --help', () => {
  // The figures the help states are the engines' real defaults, whatever they are set to: the help
  // reads them from DEFAULT_FOREST_PARAMS and DEFAULT_BOOST_PARAMS, never restates them.
  let help = '';
  /** The figures in a flag's "(default …)" groups, up to a ";" note such as "0 = off". */
  const shownDefaults = (flag: string): number[] => {
    const text = help.match(new RegExp(`${flag} <\\w+> (.*?)(?= --[a-z]|$)`))?.[1] ?? '';
    const groups = [...text.matchAll(/\(default:? ([^);]*)/g)].map((m) => m[1]!);
    return groups.flatMap((g) => [...g.matchAll(/\d+(?:\.\d+)?(?:e-?\d+)?/g)].map((m) => Number(m[0])));
  };

  // biome-ignore format: a case table reads best aligned
  it.each([
    ['--trees',          [FOREST.trees, BOOST.trees]],
    ['--min-leaf',       [...new Set([FOREST.minLeaf, BOOST.minLeaf])]],
    ['--max-depth',      [...new Set([FOREST.maxDepth, BOOST.maxDepth])]],
    ['--learning-rate',  [BOOST.learningRate]],
    ['--leaves',         [BOOST.maxLeaves]],
    ['--lambda',         [BOOST.lambda]],
    ['--min-hessian',    [BOOST.minHessian]],
    ['--row-share',      [BOOST.rowShare]],
    ['--feature-share',  [BOOST.featureShare]],
    ['--gradient-sample-from', [BOOST.gradientSampleFrom]],
    ['--early-stopping', [BOOST.earlyStopping]],
  ] as const)('%s shows the default %j', async (flag, want) => {
    if (help === '') {
      const r = await retain(['train', '--help'], process.cwd());
      expect(r.code, r.stderr).toBe(0);
      help = r.stdout.replace(/\s+/g, ' ');
    }
    expect(shownDefaults(flag)).toEqual(want);
  });

  it("shows boosting's lambda scaling with its choices and default", async () => {
    const r = await retain(['train', '--help'], process.cwd());
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(
      `(default ${BOOST.lambdaScaling}) (choices: "hessian", "fixed")`,
    );
  });

  it('shows the forest class weight as its default choice', async () => {
    const r = await retain(['train', '--help'], process.cwd());
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(`default: "${FOREST.classWeight}"`);
  });
});

describe('retain report --help', () => {
  it('says the --evaluation must be of this scored folder, matched by its manifest', async () => {
    const r = await retain(['report', '--help'], process.cwd());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(
      '--evaluation <file> the JSON of retain evaluate --out of this scored folder (its manifest is matched), to show the outcome too',
    );
  });
});
