/**
 * Cutting one CSV line into fields without a parser: the quote-free and simply quoted lines that are
 * nearly all of a CDR or billing file. Each function reads the line [p, end) and says whether it
 * read it exactly as papaparse would; the caller leaves any other line to papaparse.
 */

const QUOTE = 0x22;
const COMMA = 0x2c;

/**
 * Cuts text[p, end) at its commas into `fields` (reused); false when it does not hold exactly
 * `width` fields.
 */
export function splitInto(text: string, p: number, end: number, width: number, fields: string[]): boolean {
  const last = width - 1;
  let s = p;
  for (let c = 0; c < last; c++) {
    const k = text.indexOf(',', s);
    if (k < 0 || k >= end) return false;
    fields[c] = text.substring(s, k);
    s = k + 1;
  }
  const k = text.indexOf(',', s);
  if (k >= 0 && k < end) return false;
  fields[last] = text.substring(s, end);
  return true;
}

/**
 * Cuts b[p, end) at its commas into `spans` (field c is bytes [spans[2c], spans[2c + 1])); returns
 * the field count, or width + 1 for any more.
 */
export function cutPlain(b: Buffer, p: number, end: number, width: number, spans: Int32Array): number {
  let c = 0;
  let s = p;
  for (let i = p; i < end; i++) {
    if (b[i] !== COMMA) continue;
    if (c === width - 1) return width + 1;
    spans[2 * c] = s;
    spans[2 * c + 1] = i;
    c++;
    s = i + 1;
  }
  spans[2 * c] = s;
  spans[2 * c + 1] = end;
  return c + 1;
}

/**
 * Cuts b[p, end) into `spans`, a quoted field without its quotes; -1 when the line holds a quote
 * this cut does not read exactly as papaparse does (then papaparse reads it), including any quoted
 * line after a stray CR (`strayCr`) or with a field count other than `width`.
 */
export function cutQuoted(
  b: Buffer,
  p: number,
  end: number,
  width: number,
  spans: Int32Array,
  strayCr: boolean,
): number {
  // A line of just "" is one empty field, which papaparse's reading takes for a blank line.
  if (end - p === 2 && b[p] === QUOTE && b[p + 1] === QUOTE) return -1;
  let c = 0;
  let quoted = false;
  for (let i = p; ; ) {
    if (c === width) return -1;
    let e: number;
    let next: number;
    if (i < end && b[i] === QUOTE) {
      quoted = true;
      const close = b.indexOf(QUOTE, i + 1);
      if (close < 0 || close >= end || (close + 1 < end && b[close + 1] !== COMMA)) return -1;
      spans[2 * c] = i + 1;
      e = close;
      next = close + 1;
    } else {
      let j = i;
      for (; j < end && b[j] !== COMMA; j++) if (b[j] === QUOTE) return -1;
      spans[2 * c] = i;
      e = j;
      next = j;
    }
    spans[2 * c + 1] = e;
    c++;
    if (next >= end) break;
    i = next + 1;
  }
  return quoted && (c !== width || strayCr) ? -1 : c;
}
