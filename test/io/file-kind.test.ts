import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { InputError } from '../../src/errors.js';
import { fileKindOf } from '../../src/io/file-kind.js';

const COLUMNS = DEFAULT_CONFIG.columns;
const MAPPED = { ...COLUMNS, billing: { ...COLUMNS.billing, month: 'period' }, cdr: { start_time: 'ts' } };

describe('fileKindOf', () => {
  // biome-ignore format: aligned case table
  it.each([
    ['billing by month',            ['subscriber_id', 'month', 'plan'],          COLUMNS, 'billing'],
    ['billing by billed_amount',    ['subscriber_id', 'billed_amount'],          COLUMNS, 'billing'],
    ['CDR by start_time',           ['subscriber_id', 'start_time', 'duration'], COLUMNS, 'cdr'],
    ['CDR by event_type',           ['subscriber_id', 'event_type'],             COLUMNS, 'cdr'],
    ['billing under a mapped name', ['subscriber_id', 'period'],                 MAPPED,  'billing'],
    ['CDR under a mapped name',     ['subscriber_id', 'ts'],                     MAPPED,  'cdr'],
  ] as const)('%s', (_, names, columns, kind) => {
    expect(fileKindOf('f.csv', names, columns)).toBe(kind);
  });

  it.each([
    [['subscriber_id', 'month', 'start_time'], 'it has columns of both'],
    [['subscriber_id', 'plan'], 'a CDR has start_time/event_type, billing has month/billed_amount'],
  ])('refuses a header of both or neither kind, naming the file and --kind: %j', (names, why) => {
    const err = (() => {
      try {
        fileKindOf('in/f.csv', names, COLUMNS);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toContain('in/f.csv: cannot tell whether this is a billing or a CDR file');
    expect((err as Error).message).toContain(why);
    expect((err as Error).message).toContain('pass --kind billing or --kind cdr');
  });

  it('a mapped name replaces the default one', () => {
    expect(() => fileKindOf('f.csv', ['subscriber_id', 'month'], MAPPED)).toThrow(InputError);
  });
});
