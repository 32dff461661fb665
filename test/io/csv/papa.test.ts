import { describe, expect, it } from 'vitest';
import { parseRows } from '../../../src/io/csv/papa.js';

describe('parseRows', () => {
  it('leaves the last record unread unless the text is final', () => {
    const text = 'a,"b\nc"\n1,2\n"3,4';
    const part = parseRows(text, '\n', false);
    expect(part.rows).toEqual([
      ['a', 'b\nc'],
      ['1', '2'],
    ]);
    expect(part.cursor).toBe(text.indexOf('"3'));
    expect(part.bad).toBeNull();
    expect(part.unclosed).toBe(false);
    const all = parseRows(text, '\n', true);
    expect(all.rows).toEqual([['a', 'b\nc'], ['1', '2'], ['3,4']]);
    expect(all.cursor).toBe(text.length);
    expect(all.unclosed).toBe(true);
    expect(all.bad).toEqual(new Set([2]));
  });

  it('keeps every record of a text that ends with a line end, and the empty rest', () => {
    const text = '"x",y\r\n1,2\r\n';
    const part = parseRows(text, '\r\n', false);
    expect(part.rows).toEqual([
      ['x', 'y'],
      ['1', '2'],
    ]);
    expect(part.cursor).toBe(text.length);
  });

  it('marks the records whose quotes are not balanced', () => {
    // A quote closed inside a field: papaparse reads on to the next closing quote.
    const parsed = parseRows('a,b\n"x"y,2\n"ok",3\n', '\n', false);
    expect(parsed.rows).toEqual([
      ['a', 'b'],
      ['x"y,2\n"ok', '3'],
    ]);
    expect(parsed.bad).toEqual(new Set([1]));
  });

  // biome-ignore format: aligned case table
  it.each([
    ['a quoted field open across the last line end', 'x,y\n1,"multi\nline', '\n',   [['x', 'y']], 4],
    ['a lone LF after the last CRLF',               'a,b\r\n1,x\ny',      '\r\n', [['a', 'b']], 5],
    ['no line end at all',                           '"a,b',               '\n',   [],           0],
  ] as const)('stops before the record that may go on: %s', (_, text, newline, rows, cursor) => {
    const parsed = parseRows(text, newline, false);
    expect(parsed.rows).toEqual(rows);
    expect(parsed.cursor).toBe(cursor);
    expect(parsed.bad).toBeNull();
  });

  it('reads nothing from an empty text', () => {
    expect(parseRows('', '\n', false)).toEqual({ rows: [], bad: null, cursor: 0, unclosed: false });
  });
});
