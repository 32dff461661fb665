/**
 * The work-order return rate (返单率) the manuals assess management on: of the subscribers handed out
 * on the month's lists, the share whose work order came back, overall and per owning unit.
 */
import { LISTS, type ListName, type OutcomesTable } from '../contract.js';

/** One list's subscribers as handed out, with each one's unit ('' = none). */
export interface ListedSubscribers {
  readonly list: ListName;
  readonly ids: readonly string[];
  readonly units: readonly string[];
}

export interface ReturnRates {
  /** Listed subscribers, and those with a work order of the month for that list. */
  readonly listed: number;
  readonly returned: number;
  readonly overall: number | null;
  /** By unit: the rate of each unit with someone listed. */
  readonly byUnit: Record<string, number>;
}

/** `month` is the lists' (scored) month: work orders of other months are not counted. */
export function returnRates(
  lists: readonly ListedSubscribers[],
  outcomes: OutcomesTable,
  month: number,
): ReturnRates {
  const c = outcomes.cols;
  const back = new Set<string>();
  for (let k = 0; k < outcomes.n; k++) {
    const code = c.subscriber_id.codes[k]!;
    if (c.month[k] !== month || code < 0) continue;
    back.add(`${c.list[k]}\u0000${c.subscriber_id.dictionary[code]}`);
  }
  let listed = 0;
  let returned = 0;
  const units = new Map<string, { listed: number; returned: number }>();
  for (const l of lists) {
    const list = LISTS.indexOf(l.list);
    l.ids.forEach((id, i) => {
      const unit = l.units[i] ?? '';
      let u = units.get(unit);
      if (u === undefined) {
        u = { listed: 0, returned: 0 };
        units.set(unit, u);
      }
      const hit = back.has(`${list}\u0000${id}`) ? 1 : 0;
      listed++;
      returned += hit;
      u.listed++;
      u.returned += hit;
    });
  }
  const byUnit: Record<string, number> = {};
  for (const unit of [...units.keys()].sort())
    byUnit[unit] = units.get(unit)!.returned / units.get(unit)!.listed;
  return { listed, returned, overall: listed > 0 ? returned / listed : null, byUnit };
}
