/**
 * Writes a synthetic operator's monthly billing and CDR files (plus ground truth) into a folder.
 *
 *   npm run generate -- --subscribers N --months M --seed S --out DIR [--start YYYY-MM]
 *     [--format csv|arrow] [--gzip] [--no-cdr] [--cdr-months K] [--no-truth] [--truth-out DIR]
 *     [--churn-rate 0.02] [--sign-share 0.55]
 *
 * Data files follow DATA-CONTRACT.md; truth-YYYY-MM.csv is the simulation's ground truth and is not
 * part of the contract. stdout stays empty; a summary goes to stderr.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { RetainError } from '../src/errors.js';
import { churnRate, createFileSinks, generateOperator, type OutputFormat } from './generate/index.js';

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`expected an integer >= 0, got "${value}"`);
  return n;
}

interface Flags {
  subscribers: number;
  months: number;
  seed: number;
  out: string;
  start: string;
  format: OutputFormat;
  gzip: boolean;
  cdr: boolean;
  cdrMonths?: number;
  truth: boolean;
  truthOut?: string;
  churnRate: number;
  signShare: number;
}

function share(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1)
    throw new InvalidArgumentError(`expected a number from 0 to 1, got "${value}"`);
  return n;
}

async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('generate')
    .description('Simulate an operator and write monthly billing, CDR and ground-truth files')
    .requiredOption('--subscribers <n>', 'subscribers at the start', count)
    .requiredOption('--months <m>', 'billing months to simulate', count)
    .option('--seed <s>', 'random seed', count, 1)
    .requiredOption('--out <dir>', 'output folder')
    .option('--start <YYYY-MM>', 'first billing month', '2025-01')
    .addOption(new Option('--format <format>', 'file format').choices(['csv', 'arrow']).default('csv'))
    .option('--gzip', 'gzip CDR CSV files (.csv.gz)', false)
    .option('--no-cdr', 'write no CDR files')
    .option('--cdr-months <k>', 'write CDRs only for the last K months', count)
    .option('--no-truth', 'write no ground-truth files')
    .option('--truth-out <dir>', 'folder for the ground-truth files (default: --out)')
    .option('--churn-rate <share>', 'about this share of the base decides to leave each month', share, 0.02)
    .option('--sign-share <share>', 'share of leavers showing warning signs before they go', share, 0.55)
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stderr.write(s) });
  program.parse(argv, { from: 'user' });
  const f = program.opts<Flags>();
  const sinks = createFileSinks({
    out: f.out,
    format: f.format,
    gzip: f.gzip,
    cdr: f.cdr,
    truth: f.truth,
    truthOut: f.truthOut,
  });
  const started = performance.now();
  const stats = await generateOperator(
    {
      subscribers: f.subscribers,
      months: f.months,
      seed: f.seed,
      start: f.start,
      cdrMonths: f.cdrMonths ?? Number.POSITIVE_INFINITY,
      churnRate: f.churnRate,
      signShare: f.signShare,
    },
    sinks,
  );
  const seconds = (performance.now() - started) / 1000;
  const lines = stats.months.map(
    (m) =>
      `${m.month}  billing ${m.billingRows} (closed ${m.closedRows})  churn next ${(100 * churnRate(m)).toFixed(2)}%` +
      `  new ${m.newActivations}  cdr events ${m.cdrEvents}`,
  );
  process.stderr.write(
    `${lines.join('\n')}\n${sinks.files.length} files in ${f.out}, ${stats.subscribers} subscribers in all, ` +
      `${seconds.toFixed(1)} s\n`,
  );
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof CommanderError) {
    // commander has already printed the problem; help exits 0, any other flag problem is a usage error
    process.exitCode = err.exitCode === 0 ? 0 : 2;
    return;
  }
  process.stderr.write(`generate: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = err instanceof RetainError ? err.exitCode : 1;
});
