/**
 * The run configuration (`retain.config.json`): column mapping, thresholds, stages, tiers, actions.
 * Every field has a default; a file only overrides what it names. `parseConfig` validates the whole
 * object and reports every problem at once, each with its dot-path, rules across fields included.
 */
import { z } from 'zod';
import {
  BILLING_FIELDS,
  CDR_FIELDS,
  type FieldSpec,
  OUTCOME_FIELDS,
  STAGES,
  TIERS,
  TRIGGERS,
} from './contract.js';
import { echo } from './echo.js';

const share = z.number().min(0).max(1);
const positiveInt = z.number().int().positive();
/**
 * Segments are named groups a retention team designs campaigns for, each reported on its own: more
 * than 50 is no segmentation a team can use, and choosing k fits every k from k_min to k_max.
 */
const MAX_SEGMENTS = 50;
const tooManySegments = `must be at most ${MAX_SEGMENTS}: segments are groups a retention team works with`;
/**
 * k-means++ starts per k, each a k-means fit (screened, segment/kmeans.ts). On 100,000 generated
 * subscribers (scripts/bench/segment.ts) 100 restarts chose the k and reached the silhouette that the
 * default 8 did, in 7 times the time; more only lengthen training (100,000 took 23 s on 20 rows).
 */
const MAX_RESTARTS = 100;
const actionList = z.array(
  z.object({ action: z.string().min(1), due_days: z.number().int().min(0) }).strict(),
);

const billingNames = BILLING_FIELDS.map((f) => f.name) as [string, ...string[]];
const cdrNames = CDR_FIELDS.map((f) => f.name) as [string, ...string[]];
const outcomeNames = OUTCOME_FIELDS.map((f) => f.name) as [string, ...string[]];

/**
 * A rule across fields of one section, as superRefine arguments. zod skips a refinement once any
 * field of the section has failed; this one runs whenever the section is an object and the fields
 * it reads (`reads`) are valid, so a config with other problems still hears about it. The fields'
 * types and defaults are the section's own: they are written once, in its shape.
 */
function across<T>(
  reads: readonly (keyof T & string)[],
  rule: (value: T, ctx: z.RefinementCtx<T>) => void,
): [
  (value: T, ctx: z.RefinementCtx<T>) => void,
  { when: (p: { value: unknown; issues: readonly z.core.$ZodRawIssue[] }) => boolean },
] {
  const blocks = (issue: z.core.$ZodRawIssue) => {
    const at = issue.path ?? [];
    return at.length === 0 ? issue.code !== 'unrecognized_keys' : reads.includes(at[0] as keyof T & string);
  };
  return [
    rule,
    {
      when: (p) =>
        typeof p.value === 'object' && p.value !== null && !Array.isArray(p.value) && !p.issues.some(blocks),
    },
  ];
}

/**
 * The column mapping of one file kind: each field reads its own column, so two fields may not map
 * to one name, nor a field to the contract name of another field that is not mapped away.
 */
function columnMapping(fields: readonly FieldSpec[], names: [string, ...string[]]) {
  return z
    .partialRecord(z.enum(names), z.string().min(1))
    .prefault({})
    .superRefine(
      ...across<Partial<Record<string, string>>>([], (mapping, ctx) => {
        const readers = new Map<unknown, string[]>();
        for (const f of fields) {
          const column = mapping[f.name] ?? f.name;
          readers.set(column, [...(readers.get(column) ?? []), f.name]);
        }
        for (const [column, names] of readers) {
          if (names.length < 2 || typeof column !== 'string') continue; // a bad value is reported on its own
          // Said at each field the config maps: the others read the column under their own name.
          for (const name of names.filter((n) => mapping[n] !== undefined))
            ctx.addIssue({
              code: 'custom',
              path: [name],
              message: `reads column ${echo(column, 60)}, as ${names.filter((n) => n !== name).join(' and ')} does; each field needs its own column`,
            });
        }
      }),
    );
}

/** One KPI's points: `max` at or beyond `target`, `points_per_point` fewer per percentage point short, never below 0. */
function assessmentRule(max: number, target: number, perPoint: number) {
  return z
    .object({
      max: z.number().min(0).default(max),
      target: z.number().min(0).default(target),
      points_per_point: z.number().min(0).default(perPoint),
    })
    .strict()
    .prefault({});
}

export const configSchema = z
  .object({
    columns: z
      .object({
        billing: columnMapping(BILLING_FIELDS, billingNames),
        cdr: columnMapping(CDR_FIELDS, cdrNames),
        outcomes: columnMapping(OUTCOME_FIELDS, outcomeNames),
      })
      .strict()
      .prefault({}),
    input: z
      .object({
        /** A run fails (exit 3) when the share of bad rows in a file exceeds this. */
        max_bad_row_share: share.default(0.01),
      })
      .strict()
      .prefault({}),
    checks: z
      .object({
        /**
         * The latest billing month is refused (exit 3) when it bills fewer subscribers than this share
         * of the month before it: a stray row or a partial export. `--month` pins the month instead.
         */
        min_month_share: share.default(0.5),
        /** A CDR month with events on fewer than this share of its days is flagged as truncated. */
        min_cdr_day_share: share.default(0.9),
        /** A CDR month whose events per billed subscriber fall below this share of the month before's is flagged. */
        min_cdr_events_share: share.default(0.5),
      })
      .strict()
      .prefault({}),
    service_numbers: z
      .object({
        own_care: z.array(z.string().min(1)).default(['10010']),
        competitor_care: z.array(z.string().min(1)).default(['10086', '10000']),
      })
      .strict()
      .prefault({}),
    usage: z
      .object({
        /** Calls starting at or after this hour, or before `night_end_hour`, are night calls. */
        night_start_hour: z.number().int().min(0).max(23).default(22),
        night_end_hour: z.number().int().min(0).max(23).default(6),
      })
      .strict()
      .prefault({}),
    triggers: z
      .object({
        spend_drop_share: share.default(0.3),
        usage_shift_share: share.default(0.5),
        silent_days: positiveInt.default(3),
        /**
         * `relative`: silent_days fires when the month's longest run without an outgoing call is at
         * least silent_days and at least silent_days_factor times the subscriber's longest run in the
         * previous history_months months (so it marks a change; no previous covered month, no fire).
         * `absolute`: a run of at least silent_days fires, whatever the subscriber's habit.
         */
        silent_days_rule: z.enum(['relative', 'absolute']).default('relative'),
        silent_days_factor: z.number().min(1).default(2),
        care_calls_max: z.number().int().min(0).default(5),
        competitor_care_min: positiveInt.default(1),
        suspensions_max: z.number().int().min(0).default(3),
        plan_expiring_days: z.number().int().min(0).default(30),
        history_months: positiveInt.default(3),
      })
      .strict()
      .prefault({}),
    stages: z
      .object({
        /** Tenure below this many months: onboarding. */
        onboarding_months: positiveInt.default(1),
        /** Tenure below this many months (and not onboarding): growth; otherwise maturity. */
        growth_months: positiveInt.default(6),
        /** Risk deciles 1..N of eligible subscribers form the warning band. */
        warning_deciles: z.number().int().min(0).max(10).default(1),
        hard_triggers: z.array(z.enum(TRIGGERS)).default(['arrears_or_cancel', 'competitor_care']),
      })
      .strict()
      .superRefine(
        ...across<{ onboarding_months: number; growth_months: number }>(
          ['onboarding_months', 'growth_months'],
          (c, ctx) => {
            if (c.growth_months <= c.onboarding_months)
              ctx.addIssue({
                code: 'custom',
                path: ['growth_months'],
                message: 'must be greater than stages.onboarding_months',
              });
          },
        ),
      )
      .prefault({}),
    tiers: z
      .object({
        /** Upper bounds of the first three tiers by ARPU: <50, 50-150, 150-300, 300+. */
        bounds: z.tuple([z.number(), z.number(), z.number()]).default([50, 150, 300]),
        arpu_months: positiveInt.default(3),
      })
      .strict()
      .superRefine(
        ...across<{ bounds: [number, number, number] }>(['bounds'], ({ bounds: [a, b, d] }, ctx) => {
          if (!(a < b && b < d))
            ctx.addIssue({ code: 'custom', path: ['bounds'], message: 'must be increasing' });
        }),
      )
      .prefault({}),
    revenue: z
      .object({ horizon_months: positiveInt.default(12) })
      .strict()
      .prefault({}),
    locked: z
      .object({
        /** Locked (包保) subscribers: normal cards billed last month with average spend at least this. */
        min_arpu: z.number().min(0).default(50),
      })
      .strict()
      .prefault({}),
    segments: z
      .object({
        /** Fixed number of segments; null chooses k by silhouette within [k_min, k_max]. */
        k: positiveInt.max(MAX_SEGMENTS, tooManySegments).nullable().default(null),
        k_min: z.number().int().min(2).max(MAX_SEGMENTS, tooManySegments).default(4),
        k_max: z.number().int().min(2).max(MAX_SEGMENTS, tooManySegments).default(10),
        restarts: positiveInt.max(MAX_RESTARTS, `must be at most ${MAX_RESTARTS} (default 8)`).default(8),
        silhouette_sample: positiveInt.default(3000),
      })
      .strict()
      .superRefine(
        ...across<{ k_min: number; k_max: number }>(['k_min', 'k_max'], (c, ctx) => {
          if (c.k_max < c.k_min)
            ctx.addIssue({ code: 'custom', path: ['k_max'], message: 'must be at least segments.k_min' });
        }),
      )
      .prefault({}),
    targets: z
      .object({
        /**
         * Share of the warning band held out as a random control group, or "auto": the smallest
         * group that detects evaluation.min_effect with evaluation.power (lifecycle/control.ts).
         */
        control_share: z.union([share, z.literal('auto')]).default(0.05),
        /** Most rows on the warning list; null = no cap. */
        capacity: positiveInt.nullable().default(null),
        /** With a contact history: nobody reached by a call within this many days is listed again. */
        contact_gap_days: positiveInt.default(30),
        /** Actions per stage (everyone in the stage) and per tier (added for that tier). */
        stage_actions: z.record(z.enum(STAGES), actionList).default(DEFAULT_STAGE_ACTIONS()),
        tier_actions: z.record(z.enum(TIERS), actionList).default(DEFAULT_TIER_ACTIONS()),
      })
      .strict()
      .prefault({}),
    evaluation: z
      .object({
        /** The smallest churn reduction worth detecting, as a share: 0.02 is 2 percentage points. */
        min_effect: z.number().gt(0).lt(1).default(0.02),
        /** Probability of detecting min_effect when it is there. */
        power: z.number().gt(0).lt(1).default(0.8),
        /** Two-sided significance level; intervals are at confidence 1 − alpha. */
        alpha: z.number().gt(0).lt(1).default(0.05),
        /** With targets.control_share "auto": the largest share of the warning band held out. */
        max_control_share: z.number().gt(0).lt(1).default(0.5),
      })
      .strict()
      .prefault({}),
    uplift: z
      .object({
        /** Months of revenue a subscriber kept by a call brings, for the expected saving of calling. */
        horizon_months: positiveInt.default(12),
        /** Cost of one retention call, in the billing's currency; a call saving less is not made. */
        contact_cost: z.number().min(0).default(0),
      })
      .strict()
      .prefault({}),
    report: z
      .object({
        /** Put before money amounts: a symbol ("¥") or a code ("CNY"); empty: bare numbers. */
        currency: z.string().max(8).default(''),
      })
      .strict()
      .prefault({}),
    kpi: z
      .object({
        /**
         * The assessment year starts in this calendar month (1 = January): the locked cohort is fixed
         * for the year from the average bill over the `lock_months` months before it.
         */
        year_start_month: z.number().int().min(1).max(12).default(1),
        /** Months before the year start whose average bill locks a subscriber (October–December). */
        lock_months: positiveInt.default(3),
        /** Consecutive months in network, averaging locked.min_arpu, that newly lock a subscriber in the year. */
        new_lock_months: positiveInt.default(3),
        /** The assessment's points: each KPI gets `max` at its target, `points_per_point` less per percentage point short. */
        assessment: z
          .object({
            revenue_retention: assessmentRule(60, 1, 2),
            billed_churn: assessmentRule(30, 0.01, 5),
            management: assessmentRule(10, 0.95, 1),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    drift: z
      .object({
        /** A feature or the score whose population stability index is above this is a warning. */
        warn_above: z.number().min(0).default(0.1),
        /** Above this, the summary says the model should be retrained. */
        retrain_above: z.number().min(0).default(0.25),
      })
      .strict()
      .superRefine(
        ...across<{ warn_above: number; retrain_above: number }>(
          ['warn_above', 'retrain_above'],
          (c, ctx) => {
            if (c.retrain_above <= c.warn_above)
              ctx.addIssue({
                code: 'custom',
                path: ['retrain_above'],
                message: 'must be greater than drift.warn_above',
              });
          },
        ),
      )
      .prefault({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ActionSpec = { action: string; due_days: number };

function DEFAULT_STAGE_ACTIONS(): Record<(typeof STAGES)[number], ActionSpec[]> {
  return {
    onboarding: [
      { action: 'welcome call', due_days: 7 },
      { action: 'plan and tariff check', due_days: 7 },
      { action: 'satisfaction survey', due_days: 30 },
      { action: 'service password reminder', due_days: 7 },
    ],
    growth: [{ action: 'usage guidance and bundle fit check', due_days: 14 }],
    maturity: [{ action: 'loyalty check-in', due_days: 30 }],
    warning: [{ action: 'retention call on the triggers', due_days: 3 }],
  };
}

function DEFAULT_TIER_ACTIONS(): Record<(typeof TIERS)[number], ActionSpec[]> {
  const base = [
    { action: 'callback on the trigger', due_days: 3 },
    { action: 'value-added service offer', due_days: 14 },
  ];
  const silver = [
    ...base,
    { action: 'callback every 3 months', due_days: 90 },
    { action: 'membership card', due_days: 30 },
    { action: 'points and club reminder', due_days: 30 },
  ];
  return {
    '<50': [],
    '50-150': base,
    '150-300': silver,
    '300+': [
      ...silver.filter((a) => a.action !== 'callback every 3 months'),
      { action: 'callback every 2 months', due_days: 60 },
      { action: 'points redemption help', due_days: 30 },
    ],
  };
}

export const DEFAULT_CONFIG: Config = configSchema.parse({});

export interface ConfigProblem {
  path: string;
  message: string;
}

/**
 * Validates a parsed JSON value, which must be an object; returns the config or every problem found,
 * each with its dot-path (`(root)` for the whole value). Keys and values the user wrote are echoed
 * cut and escaped.
 */
export function parseConfig(
  value: unknown,
): { ok: true; config: Config } | { ok: false; problems: ConfigProblem[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return {
      ok: false,
      problems: [{ path: ROOT, message: `must be a JSON object of settings, not ${kindOf(value)}` }],
    };
  const r = configSchema.safeParse(value);
  if (r.success) return { ok: true, config: r.data };
  return { ok: false, problems: r.error.issues.flatMap(problemsOf) };
}

const ROOT = '(root)';

/** `a.b.0.c`; a key that is not a plain word is quoted (`columns." "`), so the path reads one way. */
function dotPath(path: readonly PropertyKey[]): string {
  return path.map((k) => (/^[\w<>+-]+$/.test(String(k)) ? String(k) : echo(String(k), 60))).join('.') || ROOT;
}

function problemsOf(issue: z.core.$ZodIssue): ConfigProblem[] {
  // One problem per unknown key, at its own path, rather than a list of keys at the parent's.
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((k) => ({ path: dotPath([...issue.path, k]), message: 'is not a known setting' }));
  return [{ path: dotPath(issue.path), message: issue.message }];
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `a string (${echo(value, 40)})`;
  return `a ${typeof value} (${String(value)})`;
}
