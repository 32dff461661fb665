/**
 * The whole `retain train --table --engine forest` through the CLI against scikit-learn's random forest
 * fit (same trees, min leaf 5, same jobs), shape by shape and in turns, on the same CSV files; AUC of
 * both on the same held-out rows. Also writes one shape's table to a CSV for a run by hand.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { forestFromJSON, predictForest } from '../../src/index.js';
import { auc, interceptFor, type Table, tableRows, writeCsv, writeTableCsv } from './forest-table.js';

export interface Shape {
  readonly rows: number;
  readonly features: number;
  readonly churn: number;
}

/**
 * Every row count × feature count × churn rate, smallest first, with the balanced 40,000 × 66 table
 * after the first row count's shapes.
 */
export function shapesFor(
  rowCounts: readonly number[],
  featureCounts: readonly number[] = [30, 66],
  churns: readonly number[] = [0.02, 0.12],
  balanced = true,
): Shape[] {
  const out: Shape[] = [];
  for (const rows of [...rowCounts].sort((a, b) => a - b))
    for (const features of featureCounts) for (const churn of churns) out.push({ rows, features, churn });
  const first = featureCounts.length * churns.length;
  if (balanced) out.splice(Math.min(out.length, first), 0, { rows: 40_000, features: 66, churn: 0.5 });
  return out;
}

export interface ShapeOptions {
  readonly trees: number;
  /** Trees for shapes of a million rows or more (both sides alike). */
  readonly largeTrees: number;
  readonly threads: number;
  readonly testRows: number;
}

interface CliRun {
  seconds: number;
  phases: Record<string, number>;
  peakRssMiB: number;
}

const CLI = resolve('bin/retain');

/** Phase seconds and peak RSS from the command's JSON log lines. */
function logged(text: string): { phases: Record<string, number>; peakRssMiB: number } {
  const phases: Record<string, number> = {};
  let peakRssMiB = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { msg?: string; phase?: string; seconds?: number; peakRssMiB?: number };
    if (entry.msg === 'phase' && entry.phase) phases[entry.phase] = entry.seconds ?? 0;
    if (entry.msg === 'total') peakRssMiB = entry.peakRssMiB ?? 0;
  }
  return { phases, peakRssMiB };
}

function runSklearn(train: string, test: string, trees: number, threads: number) {
  const script = resolve('../shared/bench/sklearn_rf.py');
  if (!existsSync(script)) return undefined;
  const args = [script, train, test, 'label', String(trees), String(threads), '5'];
  const out = execFileSync('/usr/bin/python3', args, { encoding: 'utf8' }).trim();
  const m = /train_s=([\d.]+).*auc=([\d.]+)/.exec(out);
  return m ? { seconds: Number(m[1]), auc: Number(m[2]) } : undefined;
}

function forestAuc(modelPath: string, test: Table): number {
  const file = JSON.parse(readFileSync(modelPath, 'utf8')) as { forest: unknown };
  const model = forestFromJSON(file.forest);
  const byName = new Map(test.X.names.map((n, f) => [n, test.X.columns[f]!]));
  const columns = model.featureNames.map((n) => byName.get(n)!);
  return auc(predictForest(model, { nRows: test.X.nRows, names: model.featureNames, columns }), test.y);
}

const pad = (v: string | number, n: number): string => String(v).padStart(n);

export function benchShapes(shapes: readonly Shape[], o: ShapeOptions): void {
  console.log(
    `shapes: retain train --table --engine forest (whole command, ${o.threads} threads) vs scikit-learn RandomForestClassifier fit (n_jobs=${o.threads}); min leaf 5, max_features sqrt, ${o.testRows} test rows`,
  );
  console.log(
    `${pad('rows', 9)} ${pad('feat', 4)} ${pad('churn', 6)} ${pad('trees', 5)} ${pad('retain_s', 9)} ${pad('fit_s', 7)} ${pad('sklearn_s', 9)} ${pad('ratio', 6)} ${pad('auc_retain', 10)} ${pad('auc_sklearn', 11)} ${pad('diff', 7)} ${pad('rss_MiB', 7)}`,
  );
  for (const shape of shapes) {
    const trees = shape.rows >= 1_000_000 ? o.largeTrees : o.trees;
    const dir = mkdtempSync(join(tmpdir(), 'retain-bench-shape-'));
    try {
      const next = tableRows(shape.features, interceptFor(shape.churn, shape.features), 1, true);
      const train = join(dir, 'train.csv');
      const testPath = join(dir, 'test.csv');
      writeCsv(train, shape.rows, next);
      const test = next(o.testRows);
      writeTableCsv(testPath, test);
      const model = join(dir, 'model.json');
      const ours = runCli(train, model, trees, o.threads);
      const ourAuc = forestAuc(model, test);
      const peer = runSklearn(train, testPath, trees, o.threads);
      const ratio = peer ? (ours.seconds / peer.seconds).toFixed(2) : '-';
      console.log(
        `${pad(shape.rows, 9)} ${pad(shape.features, 4)} ${pad(`${(shape.churn * 100).toFixed(0)}%`, 6)} ${pad(trees, 5)} ${pad(ours.seconds.toFixed(1), 9)} ${pad((ours.phases.fit ?? 0).toFixed(1), 7)} ${pad(peer ? peer.seconds.toFixed(1) : '-', 9)} ${pad(ratio, 6)} ${pad(ourAuc.toFixed(4), 10)} ${pad(peer ? peer.auc.toFixed(4) : '-', 11)} ${pad(peer ? (ourAuc - peer.auc).toFixed(4) : '-', 7)} ${pad(ours.peakRssMiB, 7)}`,
      );
      console.log(
        `  retain phases: ${Object.entries(ours.phases)
          .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
          .join(', ')}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** The CLI's stderr goes to a file beside the model: its JSON log lines give the phases and peak RSS. */
function runCli(train: string, model: string, trees: number, threads: number): CliRun {
  const args = [CLI, 'train', '--table', train, '--label', 'label', '--engine', 'forest'];
  args.push('--trees', String(trees), '--min-leaf', '5', '--threads', String(threads), '--seed', '1');
  args.push('--out', model);
  const log = `${model}.log`;
  const fd = openSync(log, 'w');
  const t0 = performance.now();
  try {
    execFileSync(process.execPath, args, { stdio: ['ignore', 'ignore', fd] });
  } catch {
    throw new Error(`retain train failed: ${readFileSync(log, 'utf8').slice(-2000)}`);
  } finally {
    closeSync(fd);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, ...logged(readFileSync(log, 'utf8')) };
}

/** Writes one shape's table (rows and a label column) to `path`, without holding it. */
export function generateShape(path: string, shape: Shape): void {
  writeCsv(path, shape.rows, tableRows(shape.features, interceptFor(shape.churn, shape.features), 1, true));
}
