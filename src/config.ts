/**
 * The run configuration (`retain.config.json`): column mapping, thresholds, stages, tiers, actions.
 * Every field has a default; a file only overrides what it names. `parseConfig` validates the whole
 * object and reports every problem at once, each with its dot-path.
 */
import { z } from 'zod';
import { BILLING_FIELDS, CDR_FIELDS, STAGES, TIERS, TRIGGERS } from './contract.js';

const share = z.number().min(0).max(1);
const positiveInt = z.number().int().positive();
const actionList = z.array(
  z.object({ action: z.string().min(1), due_days: z.number().int().min(0) }).strict(),
);

const billingNames = BILLING_FIELDS.map((f) => f.name) as [string, ...string[]];
const cdrNames = CDR_FIELDS.map((f) => f.name) as [string, ...string[]];

export const configSchema = z
  .object({
    columns: z
      .object({
        billing: z.partialRecord(z.enum(billingNames), z.string().min(1)).default({}),
        cdr: z.partialRecord(z.enum(cdrNames), z.string().min(1)).default({}),
      })
      .strict()
      .default({ billing: {}, cdr: {} }),
    input: z
      .object({
        /** A run fails (exit 3) when the share of bad rows in a file exceeds this. */
        max_bad_row_share: share.default(0.01),
      })
      .strict()
      .default({ max_bad_row_share: 0.01 }),
    service_numbers: z
      .object({
        own_care: z.array(z.string().min(1)).default(['10010']),
        competitor_care: z.array(z.string().min(1)).default(['10086', '10000']),
      })
      .strict()
      .default({ own_care: ['10010'], competitor_care: ['10086', '10000'] }),
    usage: z
      .object({
        /** Calls starting at or after this hour, or before `night_end_hour`, are night calls. */
        night_start_hour: z.number().int().min(0).max(23).default(22),
        night_end_hour: z.number().int().min(0).max(23).default(6),
      })
      .strict()
      .default({ night_start_hour: 22, night_end_hour: 6 }),
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
      .default({
        spend_drop_share: 0.3,
        usage_shift_share: 0.5,
        silent_days: 3,
        silent_days_rule: 'relative',
        silent_days_factor: 2,
        care_calls_max: 5,
        competitor_care_min: 1,
        suspensions_max: 3,
        plan_expiring_days: 30,
        history_months: 3,
      }),
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
      .default({
        onboarding_months: 1,
        growth_months: 6,
        warning_deciles: 1,
        hard_triggers: ['arrears_or_cancel', 'competitor_care'],
      }),
    tiers: z
      .object({
        /** Upper bounds of the first three tiers by ARPU: <50, 50-150, 150-300, 300+. */
        bounds: z.tuple([z.number(), z.number(), z.number()]).default([50, 150, 300]),
        arpu_months: positiveInt.default(3),
      })
      .strict()
      .default({ bounds: [50, 150, 300], arpu_months: 3 }),
    revenue: z
      .object({ horizon_months: positiveInt.default(12) })
      .strict()
      .default({ horizon_months: 12 }),
    locked: z
      .object({
        /** Locked (包保) subscribers: normal cards billed last month with average spend at least this. */
        min_arpu: z.number().min(0).default(50),
      })
      .strict()
      .default({ min_arpu: 50 }),
    segments: z
      .object({
        /** Fixed number of segments; null chooses k by silhouette within [k_min, k_max]. */
        k: positiveInt.nullable().default(null),
        k_min: z.number().int().min(2).default(4),
        k_max: z.number().int().min(2).default(10),
        restarts: positiveInt.default(8),
        silhouette_sample: positiveInt.default(3000),
      })
      .strict()
      .default({ k: null, k_min: 4, k_max: 10, restarts: 8, silhouette_sample: 3000 }),
    targets: z
      .object({
        /** Share of the warning band held out as a random control group. */
        control_share: share.default(0.05),
        /** Most rows on the warning list; null = no cap. */
        capacity: positiveInt.nullable().default(null),
        /** Actions per stage (everyone in the stage) and per tier (added for that tier). */
        stage_actions: z.record(z.enum(STAGES), actionList).default(DEFAULT_STAGE_ACTIONS()),
        tier_actions: z.record(z.enum(TIERS), actionList).default(DEFAULT_TIER_ACTIONS()),
      })
      .strict()
      .default({
        control_share: 0.05,
        capacity: null,
        stage_actions: DEFAULT_STAGE_ACTIONS(),
        tier_actions: DEFAULT_TIER_ACTIONS(),
      }),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.stages.growth_months <= c.stages.onboarding_months)
      ctx.addIssue({
        code: 'custom',
        path: ['stages', 'growth_months'],
        message: 'must be greater than stages.onboarding_months',
      });
    if (c.segments.k_max < c.segments.k_min)
      ctx.addIssue({
        code: 'custom',
        path: ['segments', 'k_max'],
        message: 'must be at least segments.k_min',
      });
    const [a, b, d] = c.tiers.bounds;
    if (!(a < b && b < d))
      ctx.addIssue({ code: 'custom', path: ['tiers', 'bounds'], message: 'must be increasing' });
  });

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

/** Validates a parsed JSON value; returns the config or every problem found. */
export function parseConfig(
  value: unknown,
): { ok: true; config: Config } | { ok: false; problems: ConfigProblem[] } {
  const r = configSchema.safeParse(value ?? {});
  if (r.success) return { ok: true, config: r.data };
  return {
    ok: false,
    problems: r.error.issues.map((i) => ({
      path: i.path.map(String).join('.') || '(root)',
      message: i.message,
    })),
  };
}
