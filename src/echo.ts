/**
 * Echoing a user's value in a message: cut to about 200 characters, with every character that could
 * garble a terminal or a log line written as an escape. A file can hold anything (a 10 MB header line,
 * control bytes, bytes that are not UTF-8), and a message must stay one readable line whatever it is.
 *
 * Escapes: `\\` and `\"`; `\n`, `\r`, `\t`; other C0 controls and DEL as `\xNN`; a byte that was not
 * UTF-8 (read as U+DC80..U+DCFF, see io/utf8.ts) as `\xNN` too; C1 controls, line and paragraph
 * separators, bidirectional and zero-width format characters, the BOM and any other lone surrogate as
 * `\uNNNN`.
 */

/** About how many characters of a value a message shows. */
export const ECHO_CHARS = 200;

/** Characters written as an escape (with the `u` flag a lone surrogate is one match, a pair is not). */
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
  /[\\"\x00-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]/u;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'gu');

function escapeChar(ch: string): string {
  const c = ch.charCodeAt(0);
  switch (c) {
    case 0x5c:
      return '\\\\';
    case 0x22:
      return '\\"';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
  }
  if (c < 0x20 || c === 0x7f) return hexByte(c);
  const byte = escapedByte(c);
  if (byte >= 0) return hexByte(byte);
  return `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * `value` escaped and cut after about `max` characters of output (never inside an escape or a
 * surrogate pair); the cut is marked `…` and followed by the value's full length when `marked`.
 */
function escapeCut(value: string, max: number): { text: string; cut: boolean } {
  if (value.length <= max && !UNSAFE.test(value)) return { text: value, cut: false };
  const head = value.length > max * 2 ? value.slice(0, max * 2) : value;
  let text = '';
  let i = 0;
  for (const m of head.matchAll(UNSAFE_ALL)) {
    const plain = head.slice(i, m.index);
    if (text.length + plain.length >= max) {
      text += cutAt(plain, max - text.length);
      return { text, cut: true };
    }
    text += plain;
    const esc = escapeChar(m[0]);
    if (text.length + esc.length > max) return { text, cut: true };
    text += esc;
    i = m.index + m[0].length;
  }
  const rest = head.slice(i);
  if (text.length + rest.length > max) return { text: text + cutAt(rest, max - text.length), cut: true };
  return { text: text + rest, cut: head.length < value.length };
}

/** The first `n` characters of `s`, one fewer when the n-th would split a surrogate pair. */
function cutAt(s: string, n: number): string {
  const c = s.charCodeAt(n - 1);
  return s.slice(0, c >= 0xd800 && c <= 0xdbff ? n - 1 : n);
}

function lengthNote(value: string): string {
  return `… (${value.length.toLocaleString('en-US')} characters)`;
}

/** A value in double quotes, escaped and cut: `"abc\x00"`, or `"abc…"… (10,485,760 characters)`. */
export function echo(value: string, max = ECHO_CHARS): string {
  const { text, cut } = escapeCut(value, max);
  return cut ? `"${text}"${lengthNote(value)}` : `"${text}"`;
}

/** A value without quotes (a column name in a list, a key in a dot-path), escaped and cut as echo(). */
export function echoBare(value: string, max = ECHO_CHARS): string {
  const { text, cut } = escapeCut(value, max);
  return cut ? `${text}${lengthNote(value)}` : text;
}

/**
 * Names joined with `, `, each as echoBare() gives it, until about `max` characters: then how many
 * more there are (`a, b, c and 9,997 more`).
 */
export function echoList(names: readonly string[], max = ECHO_CHARS): string {
  const shown: string[] = [];
  let length = 0;
  for (const name of names) {
    const one = echoBare(name, Math.max(20, Math.min(max - length, 60)));
    if (shown.length > 0 && length + one.length > max) break;
    shown.push(one);
    length += one.length + 2;
  }
  const more = names.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more.toLocaleString('en-US')} more` : shown.join(', ');
}

/** The byte a character of decoded text stands for when it was not UTF-8, or -1. */
export function escapedByte(charCode: number): number {
  return charCode >= 0xdc80 && charCode <= 0xdcff ? charCode - 0xdc00 : -1;
}

/** `\xNN` for a byte. */
export function hexByte(byte: number): string {
  return `\\x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}
