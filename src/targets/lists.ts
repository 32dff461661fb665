import type { Config } from '../config.js';
import { CUSTOMER, LISTS, type ListName, OWNER_FIELDS, type OwnerField, STAGES, TIERS } from '../contract.js';
import {
  type Column,
  type DictColumn,
  dict,
  type Frame,
  f64,
  i32,
  makeFrame,
  takeColumn,
  u8,
} from '../frame.js';
import { warningCapacity } from '../lifecycle/capacity.js';
import { type ActionSettings, actionColumns, actionPlan } from './actions.js';
import { sortByRevenueAtRisk } from './order.js';
import { reasonsOf } from './reasons.js';

/** Column order of every target list (DATA-CONTRACT.md §6); `unit` and `manager` follow when the billing has them. */
export const LIST_COLUMNS = [
  'subscriber_id',
  'month',
  'stage',
  'tier',
  'segment',
  'churn_probability',
  'risk_decile',
  'revenue_at_risk',
  'triggers',
  'reasons',
  'actions',
  'due_by',
] as const;

/** What the lists are built by: config targets' capacity and actions (pipeline/settings.ts). */
export interface ListSettings extends ActionSettings {
  readonly capacity: Config['targets']['capacity'];
}

export interface TargetListOptions {
  /** Most rows on the warning list, the run's own; absent or null = ListSettings.capacity (see warningCapacity). */
  capacity?: number | null;
  /** Day number (days since 1970-01-01) the lists are issued; due dates count from it. */
  listDate: number;
  /** The model's segment names; `segment` indices without a name are written as the number. */
  segmentNames?: readonly string[];
  /**
   * The warning list's order: `risk` by revenue at risk (the default); `uplift` by the staged frame's
   * `expected_saving`, leaving out subscribers whose expected saving is negative.
   */
  targetBy?: 'risk' | 'uplift';
}

export interface TargetLists {
  /** One frame per list, columns LIST_COLUMNS, sorted by revenue_at_risk descending. */
  lists: Record<ListName, Frame>;
  /**
   * The staged row of each list row (the scores row too: scoresFrame keeps the staged order). A
   * column the list and the scores frame both have holds the same value at list row k and row rows[k].
   */
  rows: Record<ListName, Int32Array>;
  /** Warning rows cut by the capacity. */
  capped: number;
  /** Eligible warning subscribers held out as the control group. */
  heldOut: number;
  /** The capacity applied (null = none). */
  capacity: number | null;
  /** Under uplift targeting: warning subscribers not called because calling them is expected to lose revenue. */
  notWorthCalling: number;
}

/**
 * Splits a staged frame (assignLifecycle's output) into call lists: only eligible subscribers;
 * group customers only on `group` (whatever their stage), everyone else on their stage's list;
 * control-group members never on `warning`. Each list is sorted by revenue_at_risk (highest first,
 * ties by subscriber id) and the warning list is cut to the capacity after sorting.
 *
 * In the list frames, `month` stays a month index (Int32) and `churn_probability`,
 * `revenue_at_risk` Float64, `risk_decile` Uint8; every text column (`stage`, `tier`, `segment`,
 * `triggers`, `reasons`, `actions`, `due_by`) is a dictionary column holding the text a writer prints.
 */
export function buildTargetLists(
  staged: Frame,
  settings: ListSettings,
  options: TargetListOptions,
): TargetLists {
  const capacity = warningCapacity(options.capacity, settings.capacity);
  const eligible = u8(staged, 'eligible');
  const control = u8(staged, 'control');
  const customer = u8(staged, 'customer_type');
  const stage = u8(staged, 'stage');
  const revenue = f64(staged, 'revenue_at_risk');
  const ids = dict(staged, 'subscriber_id');

  const listOf = new Int8Array(staged.n).fill(-1);
  const sizes = new Int32Array(LISTS.length);
  const groupList = LISTS.indexOf('group');
  const warning = STAGES.indexOf('warning');
  let heldOut = 0;
  for (let i = 0; i < staged.n; i++) {
    if (eligible[i] === 0) continue;
    const list = customer[i] === CUSTOMER.group ? groupList : stage[i]!;
    if (list === warning && control[i] !== 0) {
      heldOut++;
      continue;
    }
    listOf[i] = list;
    sizes[list]!++;
  }
  const rows = Array.from(sizes, (size) => new Int32Array(size));
  const fill = new Int32Array(LISTS.length);
  for (let i = 0; i < staged.n; i++) {
    const list = listOf[i]!;
    if (list >= 0) rows[list]![fill[list]!++] = i;
  }

  const plan = actionPlan(settings, options.listDate);
  const segment = segmentColumn(i32(staged, 'segment'), options.segmentNames ?? []);
  const saving = options.targetBy === 'uplift' ? f64(staged, 'expected_saving') : null;
  let capped = 0;
  let notWorthCalling = 0;
  const lists = {} as Record<ListName, Frame>;
  const listRows = {} as Record<ListName, Int32Array>;
  LISTS.forEach((name, l) => {
    let sorted: Int32Array;
    if (name === 'warning' && saving !== null) {
      const worth = rows[l]!.filter((i) => !(saving[i]! < 0));
      notWorthCalling = rows[l]!.length - worth.length;
      sorted = sortByRevenueAtRisk(worth, saving, ids);
    } else sorted = sortByRevenueAtRisk(rows[l]!, revenue, ids);
    if (name === 'warning' && capacity !== null && sorted.length > capacity) {
      capped = sorted.length - capacity;
      sorted = sorted.slice(0, capacity);
    }
    lists[name] = listFrame(staged, sorted, segment, plan);
    listRows[name] = sorted;
  });
  return { lists, rows: listRows, capped, heldOut, capacity, notWorthCalling };
}

function listFrame(
  staged: Frame,
  rows: Int32Array,
  segment: DictColumn,
  plan: ReturnType<typeof actionPlan>,
): Frame {
  const stage = u8(staged, 'stage');
  const tier = u8(staged, 'tier');
  const pick = <T extends Column>(c: T): T => takeColumn(c, rows);
  const codes = (c: DictColumn): DictColumn => takeColumn(c, rows);
  const cols: Record<(typeof LIST_COLUMNS)[number], Column> & Partial<Record<OwnerField, Column>> = {
    subscriber_id: codes(dict(staged, 'subscriber_id')),
    month: pick(i32(staged, 'month')),
    stage: { kind: 'dict', codes: new Int32Array(pick(stage)), dictionary: STAGES },
    tier: { kind: 'dict', codes: new Int32Array(pick(tier)), dictionary: TIERS },
    segment: codes(segment),
    churn_probability: pick(f64(staged, 'churn_probability')),
    risk_decile: pick(u8(staged, 'risk_decile')),
    revenue_at_risk: pick(f64(staged, 'revenue_at_risk')),
    triggers: codes(dict(staged, 'triggers')),
    reasons: codes(reasonsOf(staged)),
    ...actionColumns(plan, stage, tier, rows),
  };
  Object.assign(cols, upliftColumnsOf(staged, pick));
  for (const name of OWNER_FIELDS) if (name in staged.cols) cols[name] = codes(dict(staged, name));
  return makeFrame(cols, rows.length);
}

/** Segment indices as a dictionary column of names (an index without a name is spelled as itself). */
export function segmentColumn(segment: Int32Array, names: readonly string[]): DictColumn {
  let max = names.length - 1;
  for (let i = 0; i < segment.length; i++) if (segment[i]! > max) max = segment[i]!;
  const dictionary = Array.from({ length: max + 1 }, (_, k) => names[k] ?? String(k));
  const codes = new Int32Array(segment.length);
  for (let i = 0; i < segment.length; i++) codes[i] = segment[i]! < 0 ? -1 : segment[i]!;
  return { kind: 'dict', codes, dictionary };
}

/** `uplift` and `expected_saving` when the staged frame has them (retain score --uplift-model). */
export function upliftColumnsOf(
  staged: Frame,
  pick: (c: Float64Array) => Float64Array = (c) => c,
): Record<string, Column> {
  const u = staged.cols.uplift;
  const e = staged.cols.expected_saving;
  return u instanceof Float64Array && e instanceof Float64Array
    ? { uplift: pick(u), expected_saving: pick(e) }
    : {};
}
