/**
 * The CDR reader's fast path: a plain CSV record (ASCII, no quotes) read straight from its bytes,
 * with no string per field. It takes only rows that are clean in the plainest way: a date-time of
 * exactly `YYYY-MM-DDTHH:MM:SS`, unsigned digits (and one point in a charge), lower-case enum values.
 * For those it gives the event the ordinary reader gives; any other row returns false and is read the
 * ordinary way, which names what is wrong with it. Tested against the ordinary reader on random rows.
 */
import { dayOfDate, secondsOf } from '../../calendar.js';
import { type CdrEvent, DIRECTION, EVENT } from '../../contract.js';
import { hashBytes } from '../../random.js';
import { numericKeyOfBytes } from '../../subscriber-key.js';
import { digitsAt } from '../cell-bytes.js';
import { POW10 } from '../values.js';

/** Column positions of the CDR fields (CDR_FIELDS order), -1 when a column is absent. */
const [ID, START, TYPE, DIR, DUR, BYTES, OTHER, CHARGE] = [0, 1, 2, 3, 4, 5, 6, 7] as const;
/** Longest number read here: 15 digits stay below 2^53, so digit arithmetic is exact. */
const MAX_NUMBER_BYTES = 15;
const BLANK = -1;
const NOT_PLAIN = -2;

/**
 * An event whose texts are made only if a sink reads them: the aggregator works from the subscriber
 * key and the other party's hash, so most rows make no string at all (two strings a row were most
 * of the garbage a CDR file made). Like every reader's event it is reused: read it during add().
 */
export class PlainCdrEvent implements CdrEvent {
  declare readonly subscriberId: string;
  declare readonly otherParty: string;
  startTime = 0;
  eventType = 0;
  direction: number = DIRECTION.none;
  durationS = 0;
  bytes = 0;
  charge = Number.NaN;
  subscriberKey: number | undefined = undefined;
  otherPartyHash: number | undefined = undefined;
  #b: Buffer = Buffer.alloc(0);
  #id: [number, number] = [0, 0];
  #other: [number, number] = [0, 0];
  #idText: string | null = null;
  #otherText: string | null = null;

  constructor() {
    // Own enumerable properties, so that copying the event ({ ...e }) copies the texts too.
    Object.defineProperty(this, 'subscriberId', {
      enumerable: true,
      get: () => (this.#idText ??= this.#b.toString('latin1', this.#id[0], this.#id[1])),
    });
    Object.defineProperty(this, 'otherParty', {
      enumerable: true,
      get: () => (this.#otherText ??= this.#b.toString('latin1', this.#other[0], this.#other[1])),
    });
  }

  /** Points the texts at b[idFrom, idTo) and b[otherFrom, otherTo). */
  setTexts(b: Buffer, idFrom: number, idTo: number, otherFrom: number, otherTo: number): void {
    this.#b = b;
    this.#id[0] = idFrom;
    this.#id[1] = idTo;
    this.#other[0] = otherFrom;
    this.#other[1] = otherTo;
    this.#idText = null;
    this.#otherText = null;
    this.subscriberKey = numericKeyOfBytes(b, idFrom, idTo);
    this.otherPartyHash = otherTo > otherFrom ? hashBytes(b, otherFrom, otherTo) : undefined;
  }
}

/**
 * Fills `ev` from the record whose field c is b[spans[2c], spans[2c + 1]), given each CDR
 * field's column in `index`; false when the row is not plain (`ev` is then partly written).
 */
export function plainCdrEvent(b: Buffer, spans: Int32Array, index: Int32Array, ev: PlainCdrEvent): boolean {
  const idCol = index[ID]!;
  if (idCol < 0 || spans[2 * idCol + 1]! <= spans[2 * idCol]!) return false;
  const start = dateTimeAt(b, index[START]!, spans);
  if (Number.isNaN(start)) return false;
  const type = eventTypeAt(b, index[TYPE]!, spans);
  if (type < 0) return false;
  const voice = type === EVENT.voice;
  const data = type === EVENT.data;

  const dir = directionAt(b, index[DIR]!, spans);
  if (dir === NOT_PLAIN || (dir === BLANK && !data)) return false;
  const dur = wholeAt(b, index[DUR]!, spans);
  if (dur === NOT_PLAIN || (dur === BLANK && voice)) return false;
  const bytes = wholeAt(b, index[BYTES]!, spans);
  if (bytes === NOT_PLAIN || (bytes === BLANK && data)) return false;
  const otherCol = index[OTHER]!;
  const otherFrom = otherCol < 0 ? 0 : spans[2 * otherCol]!;
  const otherTo = otherCol < 0 ? 0 : spans[2 * otherCol + 1]!;
  if (otherTo === otherFrom && !data) return false;
  const chargeCol = index[CHARGE]!;
  let charge = Number.NaN;
  if (chargeCol >= 0 && spans[2 * chargeCol + 1]! > spans[2 * chargeCol]!) {
    charge = decimalAt(b, spans[2 * chargeCol]!, spans[2 * chargeCol + 1]!);
    if (Number.isNaN(charge)) return false;
  }

  ev.setTexts(b, spans[2 * idCol]!, spans[2 * idCol + 1]!, otherFrom, otherTo);
  ev.startTime = start;
  ev.eventType = type;
  ev.direction = dir === BLANK || data ? DIRECTION.none : dir;
  ev.durationS = dur === BLANK ? 0 : dur;
  ev.bytes = bytes === BLANK ? 0 : bytes;
  ev.charge = charge;
  return true;
}

/** `YYYY-MM-DDTHH:MM:SS` (or a space for T) as parseLocalDateTime reads it; NaN otherwise. */
function dateTimeAt(b: Buffer, col: number, spans: Int32Array): number {
  if (col < 0) return Number.NaN;
  const s = spans[2 * col]!;
  if (spans[2 * col + 1]! - s !== 19) return Number.NaN;
  const sep = b[s + 10];
  if (
    b[s + 4] !== 45 ||
    b[s + 7] !== 45 ||
    (sep !== 84 && sep !== 32) ||
    b[s + 13] !== 58 ||
    b[s + 16] !== 58
  )
    return Number.NaN;
  const day = dayOfDate(digitsAt(b, s, s + 4), digitsAt(b, s + 5, s + 7), digitsAt(b, s + 8, s + 10));
  return secondsOf(
    day,
    digitsAt(b, s + 11, s + 13),
    digitsAt(b, s + 14, s + 16),
    digitsAt(b, s + 17, s + 19),
  );
}

/** voice, sms or data; -1 otherwise. */
function eventTypeAt(b: Buffer, col: number, spans: Int32Array): number {
  if (col < 0) return -1;
  const s = spans[2 * col]!;
  const n = spans[2 * col + 1]! - s;
  if (n === 5 && b[s] === 118 && b[s + 1] === 111 && b[s + 2] === 105 && b[s + 3] === 99 && b[s + 4] === 101)
    return EVENT.voice;
  if (n === 3 && b[s] === 115 && b[s + 1] === 109 && b[s + 2] === 115) return EVENT.sms;
  if (n === 4 && b[s] === 100 && b[s + 1] === 97 && b[s + 2] === 116 && b[s + 3] === 97) return EVENT.data;
  return -1;
}

/** in, out, BLANK, or NOT_PLAIN. */
function directionAt(b: Buffer, col: number, spans: Int32Array): number {
  if (col < 0) return BLANK;
  const s = spans[2 * col]!;
  const n = spans[2 * col + 1]! - s;
  if (n === 0) return BLANK;
  if (n === 2 && b[s] === 105 && b[s + 1] === 110) return DIRECTION.in;
  if (n === 3 && b[s] === 111 && b[s + 1] === 117 && b[s + 2] === 116) return DIRECTION.out;
  return NOT_PLAIN;
}

/** Unsigned digits as a whole number, BLANK, or NOT_PLAIN. */
function wholeAt(b: Buffer, col: number, spans: Int32Array): number {
  if (col < 0) return BLANK;
  const s = spans[2 * col]!;
  const e = spans[2 * col + 1]!;
  if (e === s) return BLANK;
  if (e - s > MAX_NUMBER_BYTES) return NOT_PLAIN;
  const v = digitsAt(b, s, e);
  return Number.isNaN(v) ? NOT_PLAIN : v;
}

/**
 * Unsigned digits with at most one point and at least one digit, as parseNumber computes them (an
 * exact integer divided by an exact power of ten); NaN otherwise.
 */
function decimalAt(b: Buffer, s: number, e: number): number {
  if (e - s > MAX_NUMBER_BYTES) return Number.NaN;
  let v = 0;
  let scale = -1;
  let digits = 0;
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      digits++;
      if (scale >= 0) scale++;
    } else if (c === 46 && scale < 0) scale = 0;
    else return Number.NaN;
  }
  if (digits === 0) return Number.NaN;
  return scale > 0 ? v / POW10[scale]! : v;
}
