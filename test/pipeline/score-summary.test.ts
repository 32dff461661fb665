/**
 * summary.json and the shard metadata of a scored month: the shipped model scores the sample
 * operator's last month, and what the summary records is checked against the scored frames.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkScoreInput,
  cohortRuleOf,
  controlSettingsOf,
  createCdrAggregator,
  DEFAULT_CONFIG,
  type DriftSummary,
  defaultScoreFolder,
  type FileReport,
  judgeCoverage,
  type LoadedModel,
  loadModel,
  monthFactSettingsOf,
  parseMonth,
  readBilling,
  readCdr,
  type ScoreRecordInput,
  type ScoreResult,
  scoredMonthFacts,
  scoreShardMeta,
  scoreSubscribers,
  scoreSummary,
  u8,
} from '../../src/index.js';
import { DEFAULT_MODEL_PATH } from '../../src/paths.js';

const SAMPLE = resolve(import.meta.dirname, '../../fixtures/sample');
const CAPACITY = 40;
const config = DEFAULT_CONFIG;
const drift: DriftSummary = { available: false, reason: 'not measured here' };

let model: LoadedModel;
let result: ScoreResult;
let files: FileReport[];
let record: ScoreRecordInput;
let figures: ReturnType<typeof checkScoreInput>;

beforeAll(async () => {
  const names = readdirSync(SAMPLE).sort();
  const read = await readBilling(
    names.filter((f) => f.startsWith('billing-')).map((f) => join(SAMPLE, f)),
    { config },
  );
  files = read.files;
  const aggregator = createCdrAggregator(config);
  for (const f of names.filter((f) => f.startsWith('cdr-')))
    await readCdr(join(SAMPLE, f), aggregator, { config });
  model = loadModel(readFileSync(DEFAULT_MODEL_PATH, 'utf8'), DEFAULT_MODEL_PATH, 1);
  const input = {
    billing: read.table,
    cdr: aggregator.finish(),
    model,
    modelSource: DEFAULT_MODEL_PATH,
    config,
    seed: 1,
    capacity: CAPACITY,
  };
  figures = checkScoreInput(input);
  result = await scoreSubscribers(input);
  record = {
    result,
    facts: scoredMonthFacts(result, read.table, files, {
      ...monthFactSettingsOf(config, CAPACITY),
    }),
    model,
    config,
    configSource: { file: null, sha256: null },
    coverage: judgeCoverage(figures, config.checks),
    drift,
    seed: 1,
    capacity: CAPACITY,
    shard: null,
    upliftModelId: null,
  };
}, 120_000);

describe('scoreSummary', () => {
  it('counts the scored frames and records the capacity cut', () => {
    const summary = scoreSummary(record);
    const control = u8(result.staged, 'control').reduce((n, v) => n + v, 0);
    expect(summary.subscribers).toBe(result.scores.n);
    expect(summary.control_group).toBe(control);
    expect(summary.lists.warning).toBe(result.lists.lists.warning.n);
    expect(summary.lists.warning).toBeLessThanOrEqual(CAPACITY);
    expect(summary.capacity).toEqual({ limit: CAPACITY, cut: result.lists.capped });
    expect(summary.model_id).toBe(model.file.id);
    expect(summary.control_sizing).toEqual(record.facts.sizing);
    expect(summary.drift).toEqual(drift);
    expect(summary.inputs).toEqual(
      files.map((f) => ({ file: f.path, kind: 'billing', rows: f.rows, rejects: f.rejected })),
    );
    expect(summary.inputs.reduce((n, f) => n + f.rows, 0)).toBeGreaterThan(result.scores.n);
  });

  it('names the uplift model only under uplift targeting, and the shard only when sharded', () => {
    expect(scoreSummary(record)).not.toHaveProperty('targeting');
    expect(scoreSummary(record)).not.toHaveProperty('shard');
    const uplifted = scoreSummary({ ...record, upliftModelId: 'u1' });
    expect(uplifted.targeting).toEqual({
      by: 'uplift',
      uplift_model_id: 'u1',
      not_worth_calling: result.lists.notWorthCalling,
    });
    expect(scoreSummary({ ...record, shard: { index: 1, count: 4 } }).shard).toEqual({ index: 1, count: 4 });
  });
});

describe('scoreShardMeta', () => {
  it('is null for a run that is not sharded', () => {
    expect(scoreShardMeta(record, figures)).toBeNull();
  });

  it("records what merge needs of a shard: the month, the settings and the shard's figures", () => {
    const meta = scoreShardMeta({ ...record, shard: { index: 0, count: 2 } }, figures)!;
    expect(meta.shard).toEqual({ index: 0, count: 2 });
    expect(meta.month).toBe(result.month);
    expect(meta.capacity).toBe(CAPACITY);
    expect(meta.listDate).toBe(result.listDate);
    expect(meta.kpis).toBe(record.facts.kpis);
    expect(meta.coverage).toBe(figures);
    expect(meta.segmentNames).toEqual(model.segments?.names ?? []);
  });
});

describe('monthFactSettingsOf', () => {
  it('takes the cohort rule and the control sizing from the config, beside the run capacity', () => {
    expect(monthFactSettingsOf(DEFAULT_CONFIG, 40)).toEqual({
      cohort: cohortRuleOf(DEFAULT_CONFIG),
      control: controlSettingsOf(DEFAULT_CONFIG),
      capacity: 40,
    });
  });
});

describe('defaultScoreFolder', () => {
  it.each([
    [null, join('retain-out', '2024-03')],
    [{ index: 0, count: 4 }, join('retain-out', '2024-03-shard-0-of-4')],
  ])('shard %j writes to %s', (shard, want) => {
    expect(defaultScoreFolder(parseMonth('2024-03'), shard)).toBe(want);
  });
});
