import { describe, expect, it } from 'vitest';
import { ECHO_CHARS, echo, echoBare, echoList } from '../src/echo.js';
import { showInvalidBytes } from '../src/io/utf8.js';

describe('echo', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    ['plain',              '"plain"'],
    ['say "hi"\\',         '"say \\"hi\\"\\\\"'],
    ['a\nb\r\tc',          '"a\\nb\\r\\tc"'],
    ['\x00\x1b[31m\x7f',   '"\\x00\\x1B[31m\\x7F"'],
    ['\x85 \u2028 \u202e', '"\\u0085 \\u2028 \\u202E"'],
    ['\ufeffid',           '"\\uFEFFid"'],
    ['caf\udce9',          '"caf\\xE9"'],
    ['lone \ud83d high',   '"lone \\uD83D high"'],
    ['Zoë 李 😀',            '"Zoë 李 😀"'],
  ])('writes %j as %s', (value, shown) => {
    expect(echo(value)).toBe(shown);
  });

  it('cuts a long value after about 200 characters and gives its length', () => {
    const shown = echo('x'.repeat(10 << 20));
    expect(shown).toBe(`"${'x'.repeat(ECHO_CHARS)}"… (10,485,760 characters)`);
  });

  it('counts escapes in the cut, never splitting one or a surrogate pair', () => {
    const controls = echo('\x01'.repeat(1000));
    expect(controls).toMatch(/^"(\\x01){50}"… \(1,000 characters\)$/);
    const emoji = echo('😀'.repeat(150), 11);
    expect(emoji).toBe(`"${'😀'.repeat(5)}"… (300 characters)`);
  });

  it('writes a bare value without quotes, escaped and cut alike', () => {
    expect(echoBare('a\x00b')).toBe('a\\x00b');
    expect(echoBare('y'.repeat(300), 10)).toBe('yyyyyyyyyy… (300 characters)');
  });
});

describe('echoList', () => {
  it('joins names until about 200 characters, then says how many more', () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `column_${i}`);
    const shown = echoList(names);
    expect(shown.length).toBeLessThan(ECHO_CHARS + 40);
    expect(shown).toMatch(/^column_0, column_1, .* and 9,9\d\d more$/);
  });

  it('escapes each name and lists a short list whole', () => {
    expect(echoList(['id', 'x\ny', ''])).toBe('id, x\\ny, ');
  });
});

describe('showInvalidBytes', () => {
  it('writes only the bytes that were not UTF-8 as \\xNN, keeping the rest whole', () => {
    const long = 'é'.repeat(500);
    expect(showInvalidBytes(`${long}\udcff\n`)).toBe(`${long}\\xFF\n`);
  });

  it('writes control characters as \\xNN too, but tab, LF and CR, which CSV quoting keeps', () => {
    expect(showInvalidBytes('a\x00b\x1b[31m\x7f\tc\r\nd')).toBe('a\\x00b\\x1B[31m\\x7F\tc\r\nd');
  });
});
