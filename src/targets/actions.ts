import { formatDate } from '../calendar.js';
import type { ActionSpec, Config } from '../config.js';
import { STAGES, TIERS } from '../contract.js';
import type { DictColumn } from '../frame.js';

/** The actions of each stage and tier: config targets.stage_actions and tier_actions. */
export type ActionSettings = Pick<Config['targets'], 'stage_actions' | 'tier_actions'>;

/**
 * The actions for one stage and tier: the stage's actions (everyone in the stage) then the tier's,
 * each action once. A repeated action keeps its first position and the shortest due_days.
 */
export function actionsFor(stage: number, tier: number, targets: ActionSettings): ActionSpec[] {
  const out: ActionSpec[] = [];
  const at = new Map<string, number>();
  for (const a of [...targets.stage_actions[STAGES[stage]!], ...targets.tier_actions[TIERS[tier]!]]) {
    const seen = at.get(a.action);
    if (seen === undefined) {
      at.set(a.action, out.length);
      out.push({ action: a.action, due_days: a.due_days });
    } else if (a.due_days < out[seen]!.due_days) {
      out[seen] = { action: a.action, due_days: a.due_days };
    }
  }
  return out;
}

/**
 * Actions and due dates for every (stage, tier), ready to be looked up per row: `code(stage, tier)`
 * indexes both dictionaries. `due_by` is the list date plus the smallest due_days among the row's
 * actions (the first thing the agent must do), formatted YYYY-MM-DD; missing when there are none.
 */
export interface ActionPlan {
  code(stage: number, tier: number): number;
  actions: readonly string[];
  dueBy: readonly (string | null)[];
}

export function actionPlan(targets: ActionSettings, listDate: number): ActionPlan {
  const actions: string[] = [];
  const dueBy: (string | null)[] = [];
  const codes = new Int32Array(STAGES.length * TIERS.length);
  const index = new Map<string, number>();
  for (let s = 0; s < STAGES.length; s++) {
    for (let t = 0; t < TIERS.length; t++) {
      const list = actionsFor(s, t, targets);
      const text = list.map((a) => a.action).join('; ');
      const due = list.length === 0 ? null : formatDate(listDate + Math.min(...list.map((a) => a.due_days)));
      const key = `${text}\n${due}`;
      let code = index.get(key);
      if (code === undefined) {
        code = actions.length;
        index.set(key, code);
        actions.push(text);
        dueBy.push(due);
      }
      codes[s * TIERS.length + t] = code;
    }
  }
  return { code: (s, t) => codes[s * TIERS.length + t]!, actions, dueBy };
}

/** The `actions` and `due_by` columns for rows with the given stages and tiers. */
export function actionColumns(
  plan: ActionPlan,
  stage: Uint8Array,
  tier: Uint8Array,
  rows: Int32Array,
): { actions: DictColumn; due_by: DictColumn } {
  const actionCodes = new Int32Array(rows.length);
  const dueCodes = new Int32Array(rows.length);
  // due_by's dictionary drops the nulls: a row without actions has a missing due date.
  const dueDictionary: string[] = [];
  const dueCodeOf = plan.dueBy.map((d) => (d === null ? -1 : dueDictionary.push(d) - 1));
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    const code = plan.code(stage[i]!, tier[i]!);
    actionCodes[k] = code;
    dueCodes[k] = dueCodeOf[code]!;
  }
  return {
    actions: { kind: 'dict', codes: actionCodes, dictionary: plan.actions },
    due_by: { kind: 'dict', codes: dueCodes, dictionary: dueDictionary },
  };
}
