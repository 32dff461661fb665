/** `retain train`: its flags, and the options object they become (see program.ts). */
import { type Command, Option } from 'commander';
import {
  DEFAULT_BOOST_PARAMS,
  DEFAULT_ENGINE,
  DEFAULT_FOREST_PARAMS,
  ENGINE_CHOICES,
  type EngineChoice,
  LAMBDA_SCALINGS,
  type LambdaScaling,
} from '../model/types.js';
import type { CommandContext } from './context.js';
import {
  boostDefaultOf,
  cdrOption,
  columnName,
  configOption,
  decimal,
  defaultOf,
  engineOption,
  givenEngineFlags,
  outOption,
  outputPath,
  rejectsOption,
  rejectsPath,
  seedOption,
  threadsOption,
  threadsWithinCores,
  wholeNumber,
} from './options.js';

/** The flags the user gave: an engine fills in its own defaults for the rest. */
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function declareTrain(program: Command, context: (cmd: Command) => CommandContext): void {
  program
    .command('train')
    .description('train a churn model from billing (+ CDR) files, or from a wide table with --table')
    .argument('[billing...]', 'billing files; labels come from consecutive months')
    .addOption(cdrOption('CDR files of the same months'))
    .option('--table <file>', 'a wide table, one row per subscriber, instead of billing files')
    .option('--label <column>', 'with --table: the churn label column', columnName)
    .option('--id <column>', 'with --table: the subscriber id column (kept out of the features)', columnName)
    .addOption(outOption('file', 'model file to write', 'retain-model.json'))
    .option(
      '--month <YYYY-MM>',
      'the last billing month read (it labels the month before); later rows and CDR events are ignored (default: the latest month, refused when it bills far fewer subscribers than the month before)',
    )
    .addOption(
      new Option(
        '--engine <name>',
        `model engine (default ${DEFAULT_ENGINE}; forest under --uplift): auto measures forest and boost on the validation rows and keeps the lower calibrated log-loss`,
      ).choices(ENGINE_CHOICES),
    )
    .addOption(seedOption('random seed'))
    .option(
      '--trees <n>',
      `trees in the forest (default ${DEFAULT_FOREST_PARAMS.trees}), or most boosting rounds (default ${DEFAULT_BOOST_PARAMS.trees}, stopped early)`,
      wholeNumber(1, 100_000),
    )
    .option('--min-leaf <n>', `fewest training rows in a leaf ${defaultOf('minLeaf')}`, wholeNumber(1))
    .option(
      '--max-depth <n>',
      `deepest tree level, 0 for unlimited ${defaultOf('maxDepth')}`,
      wholeNumber(0, 64),
    )
    .addOption(
      engineOption('forest', '--class-weight <weight>', 'class weights for the rare churn class')
        .choices(['none', 'balanced'])
        .default(DEFAULT_FOREST_PARAMS.classWeight),
    )
    .addOption(
      engineOption(
        'boost',
        '--learning-rate <x>',
        `shrinkage of each tree ${boostDefaultOf('learningRate')}`,
        decimal(0, 1, true),
      ),
    )
    .addOption(
      engineOption(
        'boost',
        '--leaves <n>',
        `most leaves per tree ${boostDefaultOf('maxLeaves')}`,
        wholeNumber(2, 65_536),
      ),
    )
    .addOption(
      engineOption(
        'boost',
        '--lambda <x>',
        `L2 penalty on leaf values ${boostDefaultOf('lambda')}`,
        decimal(0),
      ),
    )
    .addOption(
      engineOption(
        'boost',
        '--lambda-scaling <how>',
        `hessian scales the penalty with the rows' mean hessian, so it weighs as many rows as the model grows confident; fixed keeps it ${boostDefaultOf('lambdaScaling')}`,
      ).choices(LAMBDA_SCALINGS),
    )
    .addOption(
      engineOption(
        'boost',
        '--min-hessian <x>',
        `smallest hessian sum in a leaf ${boostDefaultOf('minHessian')}`,
        decimal(0),
      ),
    )
    .addOption(
      engineOption(
        'boost',
        '--row-share <x>',
        `share of rows drawn for each tree ${boostDefaultOf('rowShare')}`,
        decimal(0, 1, true),
      ),
    )
    .addOption(
      engineOption(
        'boost',
        '--feature-share <x>',
        `share of features drawn for each tree ${boostDefaultOf('featureShare')}`,
        decimal(0, 1, true),
      ),
    )
    .addOption(
      engineOption(
        'boost',
        '--gradient-sample-from <rows>',
        `fewest training rows at which each tree is fitted on a sample by gradient: the ${100 * DEFAULT_BOOST_PARAMS.topGradientShare}% of rows with the largest gradients and ${100 * DEFAULT_BOOST_PARAMS.otherGradientShare}% drawn from the rest, unless a row share below 1 draws the rows ${boostDefaultOf('gradientSampleFrom')}`,
        wholeNumber(1),
      ),
    )
    .addOption(
      engineOption(
        'boost',
        '--early-stopping <n>',
        `rounds without a better validation log-loss before stopping ${boostDefaultOf('earlyStopping', '; 0 = off')}`,
        wholeNumber(0),
      ),
    )
    .addOption(threadsOption('growing trees', 'model', true))
    .addOption(configOption())
    .addOption(rejectsOption())
    .option(
      '--uplift <scored...>',
      "fit an uplift model (how much a call lowers each subscriber's churn) from these retain score folders of past campaign months with a control group; the billing files must include the month after each",
    )
    .action(async (billing: string[], o: TrainFlags, cmd: Command) => {
      const { train } = await import('./commands/train.js');
      const ctx = context(cmd);
      const threads = threadsWithinCores(ctx, o.threads);
      await train(ctx, {
        billing,
        cdr: o.cdr,
        table: o.table ?? null,
        label: o.label ?? null,
        id: o.id ?? null,
        out: outputPath(ctx.cwd, '--out', o.out, 'the model file'),
        month: o.month ?? null,
        seed: o.seed,
        engine: o.engine,
        forest: definedOnly({
          trees: o.trees,
          minLeaf: o.minLeaf,
          maxDepth: o.maxDepth,
          classWeight: o.classWeight,
          threads,
        }),
        boost: definedOnly({
          trees: o.trees,
          minLeaf: o.minLeaf,
          maxDepth: o.maxDepth,
          learningRate: o.learningRate,
          maxLeaves: o.leaves,
          lambda: o.lambda,
          lambdaScaling: o.lambdaScaling,
          minHessian: o.minHessian,
          rowShare: o.rowShare,
          featureShare: o.featureShare,
          gradientSampleFrom: o.gradientSampleFrom,
          earlyStopping: o.earlyStopping,
          threads,
        }),
        engineFlags: givenEngineFlags(cmd),
        config: o.config,
        rejects: rejectsPath(ctx.cwd, o.rejects),
        uplift: o.uplift ?? [],
      });
    });
}

interface TrainFlags {
  cdr: string[];
  table?: string;
  label?: string;
  id?: string;
  out: string;
  month?: string;
  engine?: EngineChoice;
  seed: number;
  trees?: number;
  minLeaf?: number;
  maxDepth?: number;
  classWeight: 'none' | 'balanced';
  learningRate?: number;
  leaves?: number;
  lambda?: number;
  lambdaScaling?: LambdaScaling;
  minHessian?: number;
  rowShare?: number;
  featureShare?: number;
  gradientSampleFrom?: number;
  earlyStopping?: number;
  threads: number;
  config?: string;
  rejects?: string;
  uplift?: string[];
}
