/** Checking one cell against its contract type: the number to store, or the reason it is bad. */
import { parseDate, parseLocalDateTime, parseMonth } from '../calendar.js';
import type { FieldType } from '../contract.js';
import { assertUnreachable } from '../errors.js';
import type { RejectReason } from './types.js';
import { enumIndex, parseNumber } from './values.js';

/** Filled in when `parseCell` returns NaN; one object reused per reader. */
export interface CellError {
  reason: RejectReason;
  message: string;
}

export function cellError(): CellError {
  return { reason: 'missing_value', message: '' };
}

function fail(err: CellError, reason: RejectReason, message: string): number {
  err.reason = reason;
  err.message = message;
  return Number.NaN;
}

/**
 * Parses a non-blank cell: months as month indices, dates as day numbers, date-times as seconds,
 * enums as indices, id and string cells as 0 (the caller keeps the text). NaN means bad; see `err`.
 */
export function parseCell(type: FieldType, s: string, err: CellError): number {
  switch (type.kind) {
    case 'id':
    case 'string':
      return 0;
    case 'month': {
      const v = parseMonth(s);
      return Number.isNaN(v) ? fail(err, 'bad_month', 'is not a YYYY-MM month') : v;
    }
    case 'date': {
      const v = parseDate(s);
      return Number.isNaN(v) ? fail(err, 'bad_date', 'is not a real YYYY-MM-DD date') : v;
    }
    case 'datetime': {
      const v = parseLocalDateTime(s);
      return Number.isNaN(v) ? fail(err, 'bad_datetime', 'is not a YYYY-MM-DDTHH:MM:SS date-time') : v;
    }
    case 'amount': {
      const v = parseNumber(s);
      if (Number.isNaN(v) || !Number.isFinite(v)) return fail(err, 'bad_number', 'is not a number');
      return v < 0 ? fail(err, 'negative_value', 'must not be negative') : v;
    }
    case 'count': {
      const v = parseNumber(s);
      if (Number.isNaN(v) || !Number.isFinite(v)) return fail(err, 'bad_number', 'is not a number');
      if (v < 0) return fail(err, 'negative_value', 'must not be negative');
      if (!Number.isInteger(v)) return fail(err, 'not_integer', 'must be a whole number');
      return v > Number.MAX_SAFE_INTEGER
        ? fail(err, 'bad_number', 'beyond 2^53, too large to hold exactly')
        : v;
    }
    case 'flag':
      if (s === '0') return 0;
      if (s === '1') return 1;
      return fail(err, 'unknown_value', 'must be 0 or 1');
    case 'enum': {
      const v = enumIndex(type.values, s);
      return v < 0 ? fail(err, 'unknown_value', `must be one of ${type.values.join(', ')}`) : v;
    }
    default:
      return assertUnreachable(type);
  }
}
