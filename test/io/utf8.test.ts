import { describe, expect, it } from 'vitest';
import { hasInvalidUtf8, Utf8Decoder } from '../../src/io/utf8.js';
import { createRandom } from '../../src/random.js';

/** `bytes` decoded in chunks of `size` (whole when 0), and whether a bad byte was seen. */
function decode(bytes: Buffer, size = 0): { text: string; invalid: boolean } {
  const d = new Utf8Decoder();
  let text = '';
  if (size === 0) text += d.write(bytes);
  else for (let i = 0; i < bytes.length; i += size) text += d.write(bytes.subarray(i, i + size));
  text += d.end();
  return { text, invalid: d.sawInvalid };
}

const hex = (s: string) => Buffer.from(s.replaceAll(' ', ''), 'hex');

describe('Utf8Decoder', () => {
  const valid = 'id,名前\n1,Zoë 😀\n2,ü\u0800\uffff\n';

  it.each([0, 1, 2, 3, 5, 7])('decodes valid UTF-8 in chunks of %i bytes as toString does', (size) => {
    expect(decode(Buffer.from(valid, 'utf8'), size)).toEqual({ text: valid, invalid: false });
  });

  // biome-ignore format: a case table reads best aligned
  it.each([
    ['a lone continuation byte',           '61 80 62',       'a\udc80b'],
    ['a Latin-1 é',                        '63 61 66 e9',    'caf\udce9'],
    ['a lead byte cut by the end',         '61 e2 82',       'a\udce2\udc82'],
    ['a lead byte before ASCII',           'e2 41',          '\udce2A'],
    ['an overlong slash',                  'c0 af',          '\udcc0\udcaf'],
    ['an overlong 3-byte form',            'e0 80 af',       '\udce0\udc80\udcaf'],
    ['a UTF-8 surrogate',                  'ed a0 80',       '\udced\udca0\udc80'],
    ['past U+10FFFF',                      'f4 90 80 80',    '\udcf4\udc90\udc80\udc80'],
    ['a bad byte between good characters', 'c3 a9 ff c3 a9', 'é\udcffé'],
  ])('escapes %s', (_, bytes, text) => {
    for (const size of [0, 1, 2, 3]) expect(decode(hex(bytes), size)).toEqual({ text, invalid: true });
  });

  it('gives each bad byte its own character, so ids differing only there stay apart', () => {
    const a = decode(hex('31 32 e9')).text;
    const b = decode(hex('31 32 e8')).text;
    expect(a).not.toBe(b);
    expect(hasInvalidUtf8(a) && hasInvalidUtf8(b)).toBe(true);
  });

  it('reads random bytes the same at every chunking, valid runs as toString reads them', () => {
    const rnd = createRandom(7, 1);
    for (let t = 0; t < 200; t++) {
      const bytes = Buffer.from(Array.from({ length: 1 + rnd.int(40) }, () => rnd.int(256)));
      const whole = decode(bytes);
      for (const size of [1, 2, 3, 4, 9]) expect(decode(bytes, size)).toEqual(whole);
      // Valid text decodes exactly; otherwise removing the escapes leaves no U+FFFD behind.
      if (!whole.invalid) expect(whole.text).toBe(bytes.toString('utf8'));
      else expect(whole.text.replace(/[\udc80-\udcff]/gu, '')).not.toContain('\ufffd');
    }
  });
});

describe('hasInvalidUtf8', () => {
  it('finds only escaped bytes: a surrogate pair whose low half is in their range is a real character', () => {
    expect(hasInvalidUtf8('\ud800\udc80')).toBe(false); // U+10080
    expect(hasInvalidUtf8('x\udc80')).toBe(true);
    expect(hasInvalidUtf8('plain')).toBe(false);
  });
});
