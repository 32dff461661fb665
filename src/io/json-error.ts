/**
 * Where a text stops being JSON (RFC 8259), for a message that points at it: JSON.parse names a
 * position for some mistakes only (Node 20 gives none for a stray `True`, `NaN` or comment). A
 * recursive descent over the grammar; it finds the first character JSON.parse cannot take.
 */

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const LITERALS = ['true', 'false', 'null'] as const;
const isDigit = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '9';

/** Thrown inside the scan with the index of the offending character. */
class At {
  constructor(readonly index: number) {}
}

/**
 * The index of the first character at which `text` stops being a JSON document (text.length when it
 * ends too soon), or -1 when it is one (or nests too deep to tell).
 */
export function jsonErrorAt(text: string): number {
  let i = 0;
  const fail = (at = i): never => {
    throw new At(at);
  };
  const skip = () => {
    while (i < text.length && WHITESPACE.has(text[i]!)) i++;
  };
  const expect = (ch: string) => {
    if (text[i] !== ch) fail();
    i++;
  };
  const string = () => {
    expect('"');
    for (;;) {
      if (i >= text.length) fail();
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail();
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          i += 2;
          for (let k = 0; k < 4; k++, i++) if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail();
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail(i + 1);
      } else i++;
    }
  };
  /** An object's members or an array's elements, from the opening bracket to `close`. */
  const items = (close: string, item: () => void) => {
    i++;
    skip();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      skip();
      if (text[i] !== ',') {
        expect(close);
        return;
      }
      i++;
    }
  };
  const member = () => {
    skip();
    string();
    skip();
    expect(':');
    value();
  };
  const value = (): void => {
    skip();
    const c = text[i];
    if (c === '{' || c === '[') {
      items(c === '{' ? '}' : ']', c === '{' ? member : value);
      return;
    }
    if (c === '"') {
      string();
      return;
    }
    // A literal is read letter by letter: `tru}` stops at the `}`, as JSON.parse says.
    const word = LITERALS.find((w) => w[0] === c);
    if (word !== undefined) {
      for (const letter of word) expect(letter);
      return;
    }
    number();
  };
  const digits = () => {
    if (!isDigit(text[i])) fail();
    while (isDigit(text[i])) i++;
  };
  const number = () => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') {
      i++;
      digits();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits();
    }
  };
  try {
    value();
    skip();
    if (i < text.length) fail();
    return -1;
  } catch (err) {
    if (err instanceof At) return Math.min(err.index, text.length);
    // Nesting deeper than the stack: no place to give (JSON.parse's message stands alone).
    if (err instanceof RangeError) return -1;
    throw err;
  }
}
