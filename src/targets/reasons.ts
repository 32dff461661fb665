/**
 * The `reasons` column: why a subscriber is at risk, in the words an agent reads before calling.
 * Each row names (at most) REASONS_PER_SUBSCRIBER features that raise that subscriber's risk the most
 * (their contribution is positive; model/contributions.ts), with their values, joined by "; ".
 *
 * Every feature's wording lives in PHRASES: how its value reads (units included) and the direction
 * that usually raises churn risk ('higher', 'lower', or 'either' where it depends on the subscriber).
 * A reason always reports the subscriber's own value: when the model finds an unusual direction for
 * one subscriber, the value still reads true. A wide table's reasons name the column and its value.
 */
import { TRIGGERS, type Trigger } from '../contract.js';
import { type DictColumn, dict, type Frame } from '../frame.js';

export const REASONS_PER_SUBSCRIBER = 3;

export interface Phrasing {
  /** The direction of the value that usually raises churn risk (for a flag, 'higher' = when set). */
  readonly raises: 'higher' | 'lower' | 'either';
  /** The value in plain words; never called with NaN. */
  readonly say: (v: number) => string;
  /** What a missing value means. */
  readonly missing: string;
  /**
   * Features stating one fact (a trigger and the value it fires on) share a fact: they make one
   * reason, worded by the member that raises the risk most, a trigger only when no value does.
   */
  readonly fact?: string;
}

const whole = (v: number): string => String(Math.round(v));
const money = (v: number): string => v.toFixed(2);
const percent = (share: number): string => `${Math.round(share * 100)}%`;

/** "1 outgoing call", "12 outgoing calls". */
const count =
  (one: string, many: string) =>
  (v: number): string =>
    `${whole(v)} ${Math.round(v) === 1 ? one : many}`;

/** A ratio − 1 against the previous months' average: "spend 45% below the 3-month average". */
const change =
  (what: string) =>
  (v: number): string => {
    const p = Math.round(Math.abs(v) * 100);
    if (p === 0) return `${what} at the 3-month average`;
    return `${what} ${p}% ${v < 0 ? 'below' : 'above'} the 3-month average`;
  };

/** A least-squares slope per month: "spend falling by 3.20 a month". */
const slope =
  (what: string, format: (v: number) => string) =>
  (v: number): string => {
    const amount = format(Math.abs(v));
    if (Number(amount) === 0) return `${what} steady`;
    return `${what} ${v < 0 ? 'falling' : 'rising'} by ${amount} a month`;
  };

const flag =
  (set: string, unset: string) =>
  (v: number): string =>
    v !== 0 ? set : unset;

const NO_CDR = 'no usage records this month';

/** Each trigger: its wording when fired and when not, and the fact it shares with a feature. */
const TRIGGER_PHRASES: Record<Trigger, [string, string, string]> = {
  spend_drop: ['spend dropped sharply', 'spend did not drop sharply', 'spend'],
  usage_shift: ['voice use shifted sharply', 'voice use steady', 'voice change'],
  silent_days: ['days in a row without calls', 'no run of days without calls', 'silence'],
  zero_usage: ['no calls this month', 'made calls this month', 'calls'],
  care_calls: ['many calls to care lines', 'few calls to care lines', 'care'],
  competitor_care: ["called a competitor's care line", "no call to a competitor's care line", 'competitor'],
  suspensions: ['suspended repeatedly', 'not suspended repeatedly', 'suspensions'],
  status_change: [
    'suspended, transferred or changed plan',
    'no suspension, transfer or plan change',
    'status change',
  ],
  arrears_or_cancel: ['in arrears or cancelling', 'not in arrears or cancelling', 'arrears'],
  plan_expiring: ['plan about to expire', 'plan not about to expire', 'plan end'],
};

const p = (raises: Phrasing['raises'], say: Phrasing['say'], missing = NO_CDR, fact?: string): Phrasing =>
  fact === undefined ? { raises, say, missing } : { raises, say, missing, fact };

/** One entry per feature of the subscriber schema (features/schema.ts). */
export const PHRASES: Readonly<Record<string, Phrasing>> = {
  voice_out_calls: p('lower', count('outgoing call', 'outgoing calls'), NO_CDR, 'calls'),
  voice_in_calls: p('lower', count('incoming call', 'incoming calls'), NO_CDR, 'incoming'),
  voice_out_minutes: p('lower', count('minute of outgoing calls', 'minutes of outgoing calls')),
  voice_in_minutes: p(
    'lower',
    count('minute of incoming calls', 'minutes of incoming calls'),
    NO_CDR,
    'incoming',
  ),
  sms_out: p('lower', count('text sent', 'texts sent')),
  sms_in: p('lower', count('text received', 'texts received'), NO_CDR, 'incoming'),
  data_mb: p('lower', (v) => `${whole(v)} MB of data`),
  data_sessions: p('lower', count('data session', 'data sessions')),
  active_days: p('lower', (v) => `active on ${count('day', 'days')(v)}`, NO_CDR, 'activity'),
  active_day_share: p('lower', (v) => `active on ${percent(v)} of the month's days`, NO_CDR, 'activity'),
  longest_silent_run: p(
    'higher',
    (v) => `${count('day', 'days')(v)} in a row without an outgoing call`,
    NO_CDR,
    'silence',
  ),
  ends_silent: p('higher', flag('no outgoing calls at month end', 'calling at month end'), NO_CDR, 'silence'),
  silent_run_vs_usual: p(
    'higher',
    (v) =>
      Math.round(v) === 0
        ? 'longest silence as long as usual'
        : `longest silence ${count('day', 'days')(Math.abs(v))} ${v > 0 ? 'longer' : 'shorter'} than usual`,
    'no earlier month to compare silences with',
    'silence',
  ),
  days_since_voice_out: p(
    'higher',
    (v) => `last outgoing call ${count('day', 'days')(v)} before month end`,
    NO_CDR,
    'silence',
  ),
  days_since_sms_out: p('higher', (v) => `last text sent ${count('day', 'days')(v)} before month end`),
  days_since_data: p('higher', (v) => `last data session ${count('day', 'days')(v)} before month end`),
  days_since_incoming: p(
    'higher',
    (v) => `last incoming call or text ${count('day', 'days')(v)} before month end`,
    NO_CDR,
    'incoming',
  ),
  distinct_contacts: p('lower', count('distinct contact', 'distinct contacts')),
  night_share: p('either', (v) => `${percent(v)} of calls and texts at night`),
  weekend_share: p('either', (v) => `${percent(v)} of calls and texts at weekends`),
  own_care_calls: p('higher', count('call to the care line', 'calls to the care line'), NO_CDR, 'care'),
  competitor_care_calls: p(
    'higher',
    count("call to a competitor's care line", "calls to a competitor's care line"),
    NO_CDR,
    'competitor',
  ),
  cdr_charges: p('either', (v) => `usage charges of ${money(v)}`),
  billed_amount: p('either', (v) => `billed ${money(v)} this month`, 'no bill this month'),
  tenure_months: p(
    'lower',
    (v) => (v < 1 ? 'activated this month' : `${count('month', 'months')(v)} since activation`),
    'activation date unknown',
    'tenure',
  ),
  tenure_days: p(
    'lower',
    (v) =>
      v < 31
        ? `activated ${count('day', 'days')(v)} before month end`
        : `${count('day', 'days')(v)} since activation`,
    'activation date unknown',
    'tenure',
  ),
  months_to_plan_end: p(
    'lower',
    (v) => {
      const days = Math.round(v * 30.4);
      if (days >= 0) return `plan ends in ${count('day', 'days')(days)}`;
      return `plan ended ${count('day', 'days')(-days)} ago`;
    },
    'no plan end date',
    'plan end',
  ),
  no_plan_end: p('either', flag('no contract end date', 'under contract'), 'plan end unknown', 'plan end'),
  is_suspended: p('higher', flag('suspended', 'not suspended'), 'status unknown', 'status change'),
  is_arrears: p('higher', flag('suspended for arrears', 'not in arrears'), 'status unknown', 'arrears'),
  is_pending_cancel: p(
    'higher',
    flag('cancellation pending', 'no cancellation pending'),
    'status unknown',
    'arrears',
  ),
  suspension_count: p(
    'higher',
    count('suspension this month', 'suspensions this month'),
    'suspensions unknown',
    'suspensions',
  ),
  ownership_change: p(
    'higher',
    flag('ownership changed this month', 'no ownership change this month'),
    'ownership change unknown',
    'status change',
  ),
  plan_change: p(
    'higher',
    flag('changed plan this month', 'no plan change this month'),
    'plan change unknown',
    'status change',
  ),
  is_group: p('lower', flag('group customer', 'individual customer'), 'customer type unknown'),
  arpu: p('either', (v) => `average bill ${money(v)}`, 'no average bill'),
  spend_change: p('lower', change('spend'), 'no earlier bills to compare spend with', 'spend'),
  voice_minutes_change: p(
    'lower',
    change('voice minutes'),
    'no earlier calls to compare with',
    'voice change',
  ),
  data_change: p('lower', change('data use'), 'no earlier data use to compare with'),
  voice_calls_change: p('lower', change('calls'), 'no earlier calls to compare with', 'voice change'),
  active_days_change: p('lower', change('active days'), 'no earlier usage to compare with'),
  spend_slope: p('lower', slope('spend', money), 'too few bills for a spend trend'),
  voice_slope: p('lower', slope('voice minutes', whole), 'too few months for a voice trend'),
  data_slope: p('lower', slope('data use (MB)', whole), 'too few months for a data trend'),
  months_since_plan_change: p(
    'either',
    (v) => (v < 1 ? 'plan changed this month' : `plan changed ${count('month', 'months')(v)} ago`),
    'no plan change on record',
  ),
  trigger_months_3: p('higher', (v) => `warning signs in ${whole(v)} of the previous 3 months`, 'no history'),
  ...Object.fromEntries(
    TRIGGERS.map((t) => {
      const [fired, quiet, fact] = TRIGGER_PHRASES[t];
      return [`trigger_${t}`, p('higher', flag(fired, quiet), 'trigger not evaluated', fact)];
    }),
  ),
};

/** An extra billing column (`x_<name>`) or any feature without an entry: its name and value. */
function generic(name: string): Phrasing {
  const label = name.replace(/^x_/, '');
  const format = (v: number) => (Number.isInteger(v) ? String(v) : String(Number(v.toFixed(2))));
  return p('either', (v) => `${label} ${format(v)}`, `${label} missing`);
}

export function phrasingOf(name: string): Phrasing {
  return Object.hasOwn(PHRASES, name) ? PHRASES[name]! : generic(name);
}

/** One reason: the feature's value in words. */
export function reasonText(name: string, value: number): string {
  const phrasing = phrasingOf(name);
  return Number.isNaN(value) ? phrasing.missing : phrasing.say(value);
}

/** Which features make one reason (FeatureGroups of model/contributions.ts), and which speaks first. */
export function factGroups(names: readonly string[]): {
  of: Int32Array;
  count: number;
  priority: Int32Array;
} {
  const ids = new Map<string, number>();
  const of = new Int32Array(names.length);
  const priority = new Int32Array(names.length);
  names.forEach((name, f) => {
    const key = phrasingOf(name).fact ?? `feature:${name}`;
    let g = ids.get(key);
    if (g === undefined) {
      g = ids.size;
      ids.set(key, g);
    }
    of[f] = g;
    // A trigger restates a value another member gives in figures: it speaks only alone.
    priority[f] = name.startsWith('trigger_') ? 0 : 1;
  });
  return { of, count: ids.size, priority };
}

/**
 * The reasons column from each row's top drivers (rows × k; -1 past the last) and the wording of a
 * driver at a row. Identical texts share one dictionary entry.
 */
export function reasonsColumn(
  drivers: { readonly k: number; readonly group: Int32Array; readonly speaker: Int32Array },
  say: (row: number, group: number, speaker: number) => string,
): DictColumn {
  const { k, group, speaker } = drivers;
  const n = group.length / k;
  const codes = new Int32Array(n);
  const index = new Map<string, number>();
  const dictionary: string[] = [];
  for (let i = 0; i < n; i++) {
    let text = '';
    let parts = 0;
    for (let j = 0; j < k; j++) {
      const g = group[i * k + j]!;
      if (g < 0) continue;
      const part = say(i, g, speaker[i * k + j]!);
      text = parts++ === 0 ? part : `${text}; ${part}`;
    }
    let code = index.get(text);
    if (code === undefined) {
      code = dictionary.length;
      index.set(text, code);
      dictionary.push(text);
    }
    codes[i] = code;
  }
  return { kind: 'dict', codes, dictionary };
}

/** The column when no reasons can be given (a model without node covers): missing on every row. */
export function noReasons(n: number): DictColumn {
  return { kind: 'dict', codes: new Int32Array(n).fill(-1), dictionary: [] };
}

/** A staged frame's reasons, or a missing value on every row when it has none (a shard of an older retain). */
export function reasonsOf(staged: Frame): DictColumn {
  return staged.cols.reasons === undefined ? noReasons(staged.n) : dict(staged, 'reasons');
}
