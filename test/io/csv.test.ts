import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { readCsvRecords } from '../../src/io/csv.js';

type Event =
  | ['header', string[]]
  | ['record', number, string[]]
  | ['malformed', number, string, string]
  | ['invalid', number, number, string];

/**
 * How a handler meets plain records: only as strings; offered them as bytes but declining (so byte
 * mode cuts the strings); or taking every one as bytes.
 */
type Mode = 'strings' | 'bytes declined' | 'bytes taken';
const MODES: readonly Mode[] = ['strings', 'bytes declined', 'bytes taken'];

/**
 * Every call readCsvRecords makes, with `text` (or bytes) fed as byte chunks of `size` (all at once
 * when 0).
 */
async function events(text: string | Buffer, size = 0, mode: Mode = 'strings'): Promise<Event[]> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  async function* chunks(): AsyncIterable<Buffer> {
    if (size === 0) yield bytes;
    else for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }
  const out: Event[] = [];
  const plainRecord = (b: Buffer, spans: Int32Array, line: number): boolean => {
    if (mode === 'bytes declined') return false;
    const fields = Array.from({ length: spans.length / 2 }, (_, c) =>
      b.toString('latin1', spans[2 * c]!, spans[2 * c + 1]!),
    );
    out.push(['record', line, fields]);
    return true;
  };
  await readCsvRecords(chunks(), {
    header(names) {
      out.push(['header', [...names]]);
      return undefined;
    },
    record(fields, line) {
      out.push(['record', line, [...fields]]);
    },
    malformed(line, message, value) {
      out.push(['malformed', line, message, value]);
    },
    invalidUtf8(line, column, value) {
      out.push(['invalid', line, column, value]);
    },
    ...(mode === 'strings' ? {} : { plainRecord }),
  });
  return out;
}

// Quote-free texts take the hand-written path; each is checked against papaparse on the whole text.
const PLAIN: [string, string][] = [
  ['LF', 'a,b,c\n1,2,3\n4,5,6\n'],
  ['no final newline', 'a,b,c\n1,2,3\n4,5,6'],
  ['CRLF', 'a,b,c\r\n1,2,3\r\n4,,6\r\n'],
  ['stray CR in an LF file', 'a,b,c\n1,2,3\r\n4,5,6\n'],
  ['blank lines', '\na,b,c\n\n1,2,3\n\n\n4,5,6\n\n'],
  ['empty fields and trailing comma', 'a,b,c\n,,\n1,2,\n,,3\n'],
  ['too few and too many fields', 'a,b,c\n1,2\n1,2,3,4\n1,2,3\n7\n'],
  ['spaces kept in values, trimmed in the header', ' a , b,c\n 1 ,2 , 3\n'],
  ['a lone CR inside a CRLF file', 'a,b\r\n1\r2,3\r\n4,5\r\n'],
  ['non-ASCII', 'id,name\n1,Zoë 李\n2,ü\n'],
  ['a lone LF inside a CRLF file', 'a,b\r\n1\n2,3\r\n4,5\r\n6,7\r\n'],
  ['ASCII lines around non-ASCII ones', `id,name\n${'1,a\n'.repeat(9)}2,Zoë\n${'3,b\r\n'.repeat(9)}4,ü\n5,c`],
];

/** What the papaparse path reports for a quote-free text, from papaparse's own split of it. */
function reference(text: string): Event[] {
  const nl = text.indexOf('\n');
  const newline = nl > 0 && text.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n';
  const rows = Papa.parse<string[]>(text, { delimiter: ',', newline }).data;
  const out: Event[] = [];
  let width = -1;
  // A record's line is the file line it starts on: a lone LF inside a CRLF record is a line too.
  let line = 1;
  rows.forEach((row) => {
    const at = line;
    line += row.join(',').split('\n').length;
    const last = row.length - 1;
    if (newline === '\n' && row[last]!.endsWith('\r')) row[last] = row[last]!.slice(0, -1);
    if (last === 0 && row[0] === '') return;
    if (width < 0) {
      width = row.length;
      out.push(['header', row.map((h) => h.trim())]);
    } else if (row.length !== width)
      out.push(['malformed', at, `${row.length} fields where the header has ${width}`, row.join(',')]);
    else out.push(['record', at, row]);
  });
  return out;
}

describe('readCsvRecords', () => {
  it.each(PLAIN)(
    'quote-free text (%s) reads as papaparse splits it, however it is chunked',
    async (_n, text) => {
      const expected = reference(text);
      expect(expected.length).toBeGreaterThan(1);
      for (const mode of MODES)
        for (const size of [0, 1, 2, 3, 5, 8]) expect(await events(text, size, mode), mode).toEqual(expected);
    },
  );

  // biome-ignore format: a case table reads best aligned
  it.each([
    ['quoted fields',                                 'a,b,c\n"1","x",3\n"4","",6\n'],
    ['commas inside quotes',                          'a,b\n"1,2",3\n4,"5,6"\n'],
    ['escaped quotes',                                'a,b\n"say ""hi""",1\n2,3\n'],
    ['line breaks inside quotes',                     'a,b\n"x\ny",1\n2,3\n"p\r\nq",4\n5,6\n'],
    ['CRLF and quotes',                               'a,b\r\n"1","2"\r\n3,"4"\r\n"5\r\n6",7\r\n'],
    ['a stray CR after a quote in an LF file',        'a,b\n"1","2"\r\n3,4\n'],
    ['a quote inside an unquoted field',              'a,b\nx"y,1\n2,3\n'],
    ['an unbalanced quote',                           'a,b\n1,2\n"x,1\n2,3\n'],
    ['too many fields, quoted',                       'a,b\n"1","2","3"\n4,5\n"6"\n'],
    ['a quoted header',                               '"a","b"\n1,2\n"3",4\n'],
    ['text after a closing quote',                    'a,b\n"x"y,1\n2,3\n'],
    // Found by fuzzing (fuzz.test.ts): each once read differently at some chunking.
    ['a line of just "" after ASCII read as bytes',   'a,b,c\n""\r\naéa'],
    ['a lone LF in a CRLF record before a quote',     'a,b\r\n\n\r\n77,7"'],
    ['a lone LF in a CRLF header after a blank line', '\r\n\nh,i\r\n1,2\r\n'],
  ])(
    'quoted text (%s) reads the same taken as bytes or as strings, however it is chunked',
    async (_n, text) => {
      const expected = await events(text);
      expect(expected.length).toBeGreaterThan(1);
      for (const mode of MODES)
        for (const size of [0, 1, 2, 3, 5, 8])
          expect(await events(text, size, mode), `${mode} ${size}`).toEqual(expected);
    },
  );

  it('gives exact values and lines for a plain file', async () => {
    expect(await events('x,y\n1,2\n\n3,\n4,5,6\n')).toEqual([
      ['header', ['x', 'y']],
      ['record', 2, ['1', '2']],
      ['record', 4, ['3', '']],
      ['malformed', 5, '3 fields where the header has 2', '4,5,6'],
    ]);
  });

  it('reads quoted chunks through papaparse and plain chunks by hand, with lines counted across both', async () => {
    const text = `x,y\n${'1,2\n'.repeat(50)}"a\nb",3\n${'4,5\n'.repeat(50)}`;
    for (const [size, mode] of [0, 7, 64].flatMap((n) => MODES.map((m) => [n, m] as const))) {
      const got = await events(text, size, mode);
      expect(got).toHaveLength(102);
      expect(got[51]).toEqual(['record', 52, ['a\nb', '3']]);
      expect(got[52]).toEqual(['record', 54, ['4', '5']]);
      expect(got[101]).toEqual(['record', 103, ['4', '5']]);
    }
  });

  it('rejects each record with bytes that are not UTF-8 at its own line and column, however it is chunked', async () => {
    const bytes = Buffer.concat([
      Buffer.from('id,name\n1,ok\n2,caf'),
      Buffer.from([0xe9]), // Latin-1 é
      Buffer.from('\n3,\xc3\xa9\n', 'latin1'), // a real é
      Buffer.from([0xff]),
      Buffer.from('4,x\n"5'),
      Buffer.from([0xe9]),
      Buffer.from('",y\n6,z\n'),
    ]);
    const expected: Event[] = [
      ['header', ['id', 'name']],
      ['record', 2, ['1', 'ok']],
      ['invalid', 3, 1, 'caf\udce9'],
      ['record', 4, ['3', 'é']],
      ['invalid', 5, 0, '\udcff4'],
      ['invalid', 6, 0, '5\udce9'],
      ['record', 7, ['6', 'z']],
    ];
    for (const mode of MODES)
      for (const size of [0, 1, 2, 3, 5, 8])
        expect(await events(bytes, size, mode), `${mode} ${size}`).toEqual(expected);
  });

  it('keeps a character cut by a chunk boundary whole, after ASCII chunks read as bytes', async () => {
    const text = `id,name\n${'1,a\n'.repeat(20)}2,李😀\n${'3,b\n'.repeat(20)}`;
    for (const mode of MODES)
      for (const size of [1, 2, 3, 6, 7]) {
        const got = await events(text, size, mode);
        expect(got[21], `${mode} ${size}`).toEqual(['record', 22, ['2', '李😀']]);
        expect(got).toHaveLength(42);
      }
  });
});
