import { describe, expect, it } from 'vitest';
import { cutPlain, cutQuoted, splitInto } from '../../../src/io/csv/cut.js';

/** The fields `spans` holds after a cut of `count` fields from `b`. */
function fieldsOf(b: Buffer, spans: Int32Array, count: number): string[] {
  return Array.from({ length: count }, (_, c) => b.toString('latin1', spans[2 * c]!, spans[2 * c + 1]!));
}

describe('splitInto', () => {
  // biome-ignore format: aligned case table
  it.each([
    ['1,2,3',   3, ['1', '2', '3']],
    [',,',      3, ['', '', '']],
    ['1,2',     3, null],
    ['1,2,3,4', 3, null],
    [' a ,b',   2, [' a ', 'b']],
  ] as const)('%j into %i fields', (line, width, want) => {
    const text = `x\n${line}\ny`;
    const fields = new Array<string>(width).fill('');
    const ok = splitInto(text, 2, 2 + line.length, width, fields);
    expect(ok).toBe(want !== null);
    if (want !== null) expect(fields).toEqual(want);
  });
});

describe('cutPlain', () => {
  // biome-ignore format: aligned case table
  it.each([
    ['1,2,3',   3, 3, ['1', '2', '3']],
    ['1,,',     3, 3, ['1', '', '']],
    ['1,2',     3, 2, ['1', '2']],
    ['1,2,3,4', 3, 4, null],
  ] as const)('%j with width %i gives %i fields', (line, width, count, want) => {
    const b = Buffer.from(`..${line}\n`, 'latin1');
    const spans = new Int32Array(2 * width + 2);
    expect(cutPlain(b, 2, 2 + line.length, width, spans)).toBe(count);
    if (want !== null) expect(fieldsOf(b, spans, count)).toEqual(want);
  });
});

describe('cutQuoted', () => {
  // biome-ignore format: aligned case table
  it.each([
    ['"a",b,"c"',     3, false, 3,  ['a', 'b', 'c']],
    ['"",x,""',       3, false, 3,  ['', 'x', '']],
    ['1,2,3',         3, false, 3,  ['1', '2', '3']],
    ['1,2',           2, false, 2,  ['1', '2']],
    ['""',            1, false, -1, null], // a line of one empty quoted field: papaparse's blank line
    ['"a,b",c',       2, false, 2,  ['a,b', 'c']], // a comma inside quotes
    ['"a""b",c',      2, false, -1, null], // an escaped quote
    ['a"b,c',         2, false, -1, null], // a quote inside an unquoted field
    ['"a,c',          2, false, -1, null], // never closed on this line
    ['"a",b',         3, false, -1, null], // quoted, with another field count than the header's
    ['"a",b',         2, true,  -1, null], // quoted after a stray CR
    ['a,b,c',         2, false, -1, null], // too many fields
  ] as const)('%j with width %i (stray CR %s) gives %i', (line, width, strayCr, count, want) => {
    const b = Buffer.from(`${line}\n`, 'latin1');
    const spans = new Int32Array(2 * width);
    expect(cutQuoted(b, 0, line.length, width, spans, strayCr)).toBe(count);
    if (want !== null) expect(fieldsOf(b, spans, count)).toEqual(want);
  });
});
