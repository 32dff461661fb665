/**
 * First and last day numbers of billing months, for loops over billing rows: the calendar computes
 * them through Date.UTC, which at a few rows' worth per row costs more than the rest of a feature.
 * Each month is computed once (rows come month by month, so the last one is kept at hand).
 */
import { monthEndDay, monthStartDay } from '../calendar.js';

export class MonthDays {
  #month = Number.NaN;
  #start = 0;
  #end = 0;
  readonly #known = new Map<number, readonly [number, number]>();

  /** Day number of the first day of `month`. */
  start(month: number): number {
    if (month !== this.#month) this.#load(month);
    return this.#start;
  }

  /** Day number of the last day of `month`. */
  end(month: number): number {
    if (month !== this.#month) this.#load(month);
    return this.#end;
  }

  #load(month: number): void {
    let days = this.#known.get(month);
    if (days === undefined) {
      days = [monthStartDay(month), monthEndDay(month)];
      this.#known.set(month, days);
    }
    this.#month = month;
    this.#start = days[0];
    this.#end = days[1];
  }
}
