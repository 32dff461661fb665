/**
 * Writes a synthetic operator's monthly billing and CDR files (plus ground truth) into a folder.
 *
 *   npm run generate -- --subscribers N --months M --seed S --out DIR [--start YYYY-MM]
 *     [--format csv|arrow] [--gzip] [--no-cdr] [--cdr-months K] [--no-truth] [--truth-out DIR]
 *     [--campaign SCORED_DIR]
 *     [--churn SHARE] [--units N] [--sign-share SHARE]
 *
 * Data files follow DATA-CONTRACT.md; truth-YYYY-MM.csv is the simulation's ground truth and is not
 * part of the contract. With --campaign, the warning list of a `retain score` folder (scored on data
 * of the same seed, size and start) is called the month after its month: outcomes-YYYY-MM.csv holds
 * the work orders, campaign-truth-YYYY-MM.csv each subscriber's potential outcomes. With --units N,
 * billing rows also name an owning unit (of N) and a service manager within it. stdout stays
 * empty; a summary goes to stderr.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { RetainError } from '../src/errors.js';
import {
  churnRate,
  createFileSinks,
  generateOperator,
  type OutputFormat,
  readCampaignPlan,
} from './generate/index.js';

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`expected an integer >= 0, got "${value}"`);
  return n;
}

function share(value: string): number {
  const v = Number(value);
  if (!(v > 0 && v < 0.5)) throw new InvalidArgumentError(`expected a share in (0, 0.5), got "${value}"`);
  return v;
}

function fraction(value: string): number {
  const v = Number(value);
  if (value.trim() === '' || !(v >= 0 && v <= 1))
    throw new InvalidArgumentError(`expected a share in [0, 1], got "${value}"`);
  return v;
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
  campaign?: string;
  churn: number;
  units: number;
  signShare: number;
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
    .option('--campaign <dir>', 'call the warning list of this retain score folder the month after its month')
    .option('--churn <share>', 'about this share of the base leaves each month', share, 0.02)
    .option('--units <n>', 'name an owning unit and service manager on each billing row (n units)', count, 0)
    .option('--sign-share <share>', 'share of leavers showing warning signs before they go', fraction, 0.55)
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stderr.write(s) });
  program.parse(argv, { from: 'user' });
  const f = program.opts<Flags>();
  const campaign = f.campaign === undefined ? null : await readCampaignPlan(f.campaign);
  const sinks = createFileSinks({
    out: f.out,
    format: f.format,
    gzip: f.gzip,
    cdr: f.cdr,
    truth: f.truth,
    truthOut: f.truthOut,
    units: f.units,
  });
  const started = performance.now();
  const stats = await generateOperator(
    {
      subscribers: f.subscribers,
      months: f.months,
      seed: f.seed,
      start: f.start,
      cdrMonths: f.cdrMonths ?? Number.POSITIVE_INFINITY,
      campaign,
      churn: f.churn,
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
