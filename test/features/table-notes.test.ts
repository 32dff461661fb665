import { describe, expect, it } from 'vitest';
import {
  isSpelledNumber,
  numericTextNote,
  spelledNumbers,
  unreadCellsNote,
} from '../../src/features/table-notes.js';
import { InputError } from '../../src/index.js';
import type { CellColumn } from '../../src/io/cell-columns.js';

/** A categorical cell column as the reader keeps it: codes into a first-seen dictionary, -1 blank. */
function categories(cells: readonly string[]): CellColumn {
  const dictionary: string[] = [];
  const codes = Int32Array.from(cells, (v) => {
    if (v === '') return -1;
    if (!dictionary.includes(v)) dictionary.push(v);
    return dictionary.indexOf(v);
  });
  const blanks = cells.filter((v) => v === '').length;
  return {
    n: cells.length,
    values: new Float64Array(cells.length).fill(Number.NaN),
    blanks,
    numbers: 0,
    first: cells.find((v) => v !== '') ?? null,
    allSame: false,
    strayText: [],
    strayRows: [],
    dictionary,
    codes,
    texts: null,
  };
}

const yes = (v: string) => ['yes', 'no'].includes(v.toLowerCase());

describe('unreadCellsNote', () => {
  it('counts text cells of a numeric column, with the first ones seen', () => {
    const column = {
      // Two text cells among 21 filled: under a tenth, read as missing (more would be refused).
      ...categories(['1', 'x', '', 'y', ...Array(18).fill('1')]),
      numbers: 19,
      strayText: ['x', 'y'],
      strayRows: [1, 3],
    };
    expect(unreadCellsNote({ kind: 'numeric', column: 'spend' }, column, yes)).toEqual({
      column: 'spend',
      note: '2 text cells ("x" on row 2, "y" on row 4) read as missing',
    });
    // A CSV's lines: after the header, and one more from row 3 on (a quoted line break before it).
    const places = { word: 'line', from: Int32Array.of(0, 3), shift: Int32Array.of(2, 3) } as const;
    expect(unreadCellsNote({ kind: 'numeric', column: 'spend' }, column, yes, { places })?.note).toBe(
      '2 text cells ("x" on line 3, "y" on line 6) read as missing',
    );
  });

  it('counts cells of a one-hot column that hold a level training never saw, blanks aside', () => {
    const column = categories(['basic', 'Basic', '', 'gold', 'Basic', 'plus']);
    expect(
      unreadCellsNote({ kind: 'oneHot', column: 'plan', levels: ['basic', 'plus'] }, column, yes),
    ).toEqual({
      column: 'plan',
      note: '3 cells hold a value training never saw ("Basic" on row 2, "gold" on row 4), read as missing',
    });
  });

  it.each([
    ['binary', { kind: 'binary', column: 'g', one: 'F', zero: 'M' } as const, ['F', 'M', 'X'], 1],
    ['flag', { kind: 'flag', column: 'dnd', feature: 'dnd' } as const, ['Yes', 'no', 'maybe', 'maybe'], 2],
  ])('counts values a %s column cannot read', (_, encoding, cells, count) => {
    expect(unreadCellsNote(encoding, categories(cells), yes)?.note).toMatch(
      new RegExp(`^${count} cells? hold`),
    );
  });

  it('says nothing of a column read in full, nor of one whose codes were not kept', () => {
    expect(
      unreadCellsNote({ kind: 'oneHot', column: 'p', levels: ['a', 'b'] }, categories(['a', '', 'b']), yes),
    ).toBeNull();
    expect(
      unreadCellsNote({ kind: 'numeric', column: 's' }, { ...categories(['1', '2']), numbers: 2 }, yes),
    ).toBeNull();
    expect(
      unreadCellsNote({ kind: 'flag', column: 'f' }, { ...categories(['x']), codes: null }, yes),
    ).toBeNull();
  });

  it('lists three values and says how many more', () => {
    const note = unreadCellsNote(
      { kind: 'oneHot', column: 'c', levels: ['a'] },
      categories(['b', 'c', 'a', 'd', 'e', 'f']),
      yes,
    );
    expect(note?.note).toBe(
      '5 cells hold a value training never saw ("b" on row 1, "c" on row 2, "d" on row 4 and 2 more), read as missing',
    );
  });

  it.each([
    [{ kind: 'oneHot', column: 'plan', levels: ['Basic', 'Gold'] } as const, 'one of "Basic", "Gold"'],
    [{ kind: 'binary', column: 'plan', feature: 'plan=F', one: 'F', zero: 'M' } as const, '"F" or "M"'],
    [{ kind: 'flag', column: 'plan', feature: 'plan' } as const, 'a yes/no value such as Yes/No'],
  ])('refuses a %j column none of whose values training saw, blanks aside', (encoding, expected) => {
    expect(() => unreadCellsNote(encoding, categories(['B1', '', 'G2', 'B1']), yes)).toThrow(
      new RegExp(
        `^column "plan" holds no value training saw: "B1" on row 1, "G2" on row 3; expected ${expected}`,
      ),
    );
  });
});

describe('isSpelledNumber', () => {
  // biome-ignore format: column-aligned table
  it.each([
    ['12,5',       true],  ['1.234,56', true],  ['1,234.56',  true],  ['1 234',     true],
    ["1'234.50",   true],  ['$12.50',   true],  ['12,50 €',   true],  ['EUR 12',    true],
    ['12.5%',      true],  ['\u22125',  true],  ['(12.50)',   true],  ['-£3',       true],
    ['01.08.2025', false], ['1.2.3',    false], ['12:30',     false], ['12 GB',     false],
    ['5G-299',     false], ['n/a',      false], ['$',         false], ['1,2,3',     false],
  ])('%s: %s', (cell, spelled) => {
    expect(isSpelledNumber(cell)).toBe(spelled);
  });
});

describe('numericTextNote', () => {
  const from = {
    path: 'wide.csv',
    places: { word: 'line', from: Int32Array.of(0), shift: Int32Array.of(2) },
  } as const;

  it('refuses a column none of whose filled cells reads as a number, naming the file, the column and where', () => {
    const column = {
      ...categories(['12,5', '', '3,25', '12,5']),
      strayText: ['12,5', '3,25'],
      strayRows: [0, 2],
    };
    expect(() => numericTextNote(column, 'spend', from)).toThrow(InputError);
    expect(() => numericTextNote(column, 'spend', from)).toThrow(
      'wide.csv: column "spend" holds no number: all 3 filled cells are text ("12,5" on line 2, "3,25" on line 4); ' +
        'expected plain numbers such as 1234.5, -0.25 or 1.5e3 (a point before any decimals; ' +
        'no thousands separator, currency sign, percent sign or unit)',
    );
    expect(spelledNumbers(column)).toBe(true);
  });

  it('refuses a column of spreadsheet errors, advising to export its values rather than respell them', () => {
    const column = {
      ...categories(['#N/A', '#N/A', '#DIV/0!']),
      strayText: ['#N/A', '#DIV/0!'],
      strayRows: [0, 2],
    };
    expect(() => numericTextNote(column, 'spend', from)).toThrow(
      'wide.csv: column "spend" holds no number: all 3 filled cells are spreadsheet errors ("#N/A" on line 2, "#DIV/0!" on line 4); ' +
        'the spreadsheet could not compute them: export the column with its values (fix the formula, or paste as values)',
    );
    const mixed = {
      ...categories([...Array(5).fill('#N/A'), ...Array(15).fill(''), '']),
      blanks: 1,
      numbers: 15,
      strayText: ['#N/A'],
      strayRows: [0],
    };
    expect(() => numericTextNote(mixed, 'spend', from)).toThrow(
      /5 of its 20 filled cells are text \("#N\/A" on line 2\), more than 10%; the spreadsheet could not compute them/,
    );
  });

  it('warns of text in up to a tenth of the filled cells and refuses more, naming the share', () => {
    // 20 filled cells: 2 text cells are a tenth (read as missing), 3 are more (refused).
    const cells = (text: number) => ({
      ...categories([...Array.from({ length: text }, () => '29,85'), ...Array(20 - text).fill(''), '']),
      blanks: 1,
      numbers: 20 - text,
      strayText: ['29,85'],
      strayRows: [0],
    });
    expect(numericTextNote(cells(2), 'spend', from)).toBe('2 text cells ("29,85" on line 2) read as missing');
    expect(() => numericTextNote(cells(3), 'spend', from)).toThrow(
      'wide.csv: column "spend" is not numbers throughout: 3 of its 20 filled cells are text ("29,85" on line 2), more than 10%; expected plain numbers',
    );
  });

  it('reads a column of blanks as missing, unrefused, and a column of words as no spelled numbers', () => {
    expect(numericTextNote(categories(['', '', '']), 'spend', from)).toBeNull();
    expect(spelledNumbers(categories(['', '', '']))).toBe(false);
    expect(spelledNumbers(categories(['12,5', 'n/a']))).toBe(false);
  });
});
