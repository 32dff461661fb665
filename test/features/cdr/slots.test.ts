import { describe, expect, it } from 'vitest';
import {
  type CdrAggregates,
  type CdrEvent,
  createCdrAggregator,
  DEFAULT_CONFIG,
} from '../../../src/index.js';
import { randomEvents } from '../build.js';

function onePass(list: readonly CdrEvent[]): CdrAggregates {
  const agg = createCdrAggregator(DEFAULT_CONFIG);
  for (const e of list) agg.add(e);
  return agg.finish();
}

/**
 * Aggregates list[cuts[k], cuts[k+1]) separately, posts each part's state through a structured clone
 * (as a worker does) and absorbs them in order; with `tail`, the last part is handed to finish().
 */
function inParts(list: readonly CdrEvent[], cuts: readonly number[], tail = false): CdrAggregates {
  const bounds = [0, ...cuts, list.length];
  const merged = createCdrAggregator(DEFAULT_CONFIG);
  const partials = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const part = createCdrAggregator(DEFAULT_CONFIG);
    for (let i = bounds[k]!; i < bounds[k + 1]!; i++) part.add(list[i]!);
    partials.push(structuredClone(part.partial()));
  }
  const last = tail ? partials.pop() : undefined;
  for (const p of partials) merged.absorb(p);
  return merged.finish(last);
}

function expectSame(actual: CdrAggregates, expected: CdrAggregates): void {
  expect(actual.frame.n).toBe(expected.frame.n);
  for (const [name, col] of Object.entries(expected.frame.cols))
    expect(actual.frame.cols[name], name).toEqual(col);
  expect(actual.months).toEqual(expected.months);
  expect(actual.counts).toEqual(expected.counts);
}

describe('CDR aggregates merged from parts', () => {
  it.each(['subscriber', 'time'] as const)('equal one pass exactly, in %s order', (order) => {
    const list = randomEvents(2000, order);
    const whole = onePass(list);
    expect(whole.frame.n).toBeGreaterThan(3000);
    const n = list.length;
    // Two halves, uneven parts, a cut inside one subscriber's run of events, and empty parts.
    for (const cuts of [
      [n >> 1],
      [7, n >> 2, n - 100],
      [list.findIndex((e) => e.subscriberId !== list[0]!.subscriberId) - 1],
      [0, 0, n],
    ])
      for (const tail of [false, true]) expectSame(inParts(list, cuts, tail), whole);
  });

  it('absorbs into an aggregator that already holds events, as if they came after them', () => {
    const list = randomEvents(500, 'time');
    const cut = list.length / 3;
    const agg = createCdrAggregator(DEFAULT_CONFIG);
    for (const e of list.slice(0, cut)) agg.add(e);
    const rest = createCdrAggregator(DEFAULT_CONFIG);
    for (const e of list.slice(cut)) rest.add(e);
    agg.absorb(rest.partial());
    // Events can still follow an absorbed part.
    const more = randomEvents(20, 'time').map((e) => ({ ...e, subscriberId: `late-${e.subscriberId}` }));
    for (const e of more) agg.add(e);
    expectSame(agg.finish(), onePass([...list, ...more]));
  });

  it('refuses to absorb or export once finished', () => {
    const agg = createCdrAggregator(DEFAULT_CONFIG);
    const other = createCdrAggregator(DEFAULT_CONFIG).partial();
    agg.finish();
    expect(() => agg.absorb(other)).toThrow(/already finished/);
    expect(() => agg.partial()).toThrow(/already finished/);
  });
});
