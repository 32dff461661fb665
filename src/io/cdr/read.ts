/**
 * The CDR reader: checks each usage event and hands accepted ones to a sink through ONE reused CdrEvent,
 * so memory stays bounded however large the file. Per event type: voice needs direction, duration_s and
 * other_party; sms needs direction and other_party; data needs bytes.
 */
import { CDR_FIELDS, type CdrEvent, type CdrSink, DIRECTION, EVENT, emptyCdrEvent } from '../../contract.js';
import { echo, echoList } from '../../echo.js';
import { cellError, parseCell } from '../cells.js';
import { type ColumnMap, columnLabel, mapColumns } from '../columns.js';
import type { CsvPart } from '../parts.js';
import { READ_DEFAULTS } from '../read-defaults.js';
import { readRecords, type TemporalHint } from '../records.js';
import { emptyReport, RejectCounter } from '../rejects.js';
import type { FileReport, ReadOptions, RejectSink } from '../types.js';
import { DistinctIds } from './distinct-ids.js';
import { PlainCdrEvent, plainCdrEvent } from './plain.js';

const F = CDR_FIELDS;
const [ID, START, TYPE, DIR, DUR, BYTES, OTHER, CHARGE] = [0, 1, 2, 3, 4, 5, 6, 7] as const;
/** Columns each event type needs, by position in CDR_FIELDS. */
const NEEDS: readonly (readonly number[])[] = [
  [DIR, DUR, OTHER], // voice
  [DIR, OTHER], // sms
  [BYTES], // data
];

/** What reading one part of a CDR file gives: see readCdrPart. */
export interface CdrPartRead {
  /** Counts and rejects of the part; lines are numbered as readRecords numbers a part (range from 2). */
  readonly report: FileReport;
  /** Lines read, the header line included. */
  readonly lines: number;
  /** Rows rejected for their quotes: for a part, a sign it may not begin where a record does. */
  readonly quoteProblems: number;
}

/**
 * Reads one part of a plain CSV CDR file (see parts.ts), or with `part` null the whole file in any
 * format, into `sink`, every reject to `rejects`.
 * No bad-row share check and no subscriber count: those are for the whole file, once the parts are
 * put together. Throws UnsplittableFile when the part holds a quote.
 */
export function readCdrPart(
  path: string,
  part: CsvPart | null,
  sink: CdrSink,
  rejects: RejectSink | null,
  options: Partial<ReadOptions> & Pick<ReadOptions, 'config'>,
): Promise<CdrPartRead> {
  const opts = { ...READ_DEFAULTS, ...options, countSubscribers: false };
  return readCdrRecords(path, sink, opts, rejects, part ?? undefined);
}

/** Reads a CDR file (or one part of it) into `sink` with every option given; see readCdrPart. */
export async function readCdrRecords(
  path: string,
  sink: CdrSink,
  opts: ReadOptions,
  rejectSink: RejectSink | null,
  part?: CsvPart,
): Promise<CdrPartRead> {
  const report = emptyReport(path, 'cdr');
  const bad = new RejectCounter(report, rejectSink, opts.sampleLimit);
  const err = cellError();
  const subscribers = opts.countSubscribers ? new DistinctIds() : null;
  const ev: CdrEvent = emptyCdrEvent();
  let map: ColumnMap = { index: new Int32Array(0), extras: [] };
  let index: Int32Array<ArrayBufferLike> = map.index;
  let names: string[] = [];
  const cell = (fields: string[], k: number): string => {
    const at = index[k]!;
    return at < 0 ? '' : fields[at]!;
  };
  /** Parses an optional cell; NaN for blank; undefined after a reject. */
  const optional = (fields: string[], k: number, line: number, needed: boolean): number | undefined => {
    const s = cell(fields, k);
    const f = F[k]!;
    if (s === '') {
      if (!needed) return Number.NaN;
      const why = k === START || k === TYPE ? '' : ` for a ${cell(fields, TYPE)} event`;
      bad.add(line, f.name, 'missing_value', '', `${f.name} is blank${why}`);
      return undefined;
    }
    const v = parseCell(f.type, s, err);
    if (Number.isNaN(v)) {
      bad.add(line, f.name, err.reason, s, `${f.name} ${err.message}: ${echo(s)}`);
      return undefined;
    }
    return v;
  };

  const accept = (e: CdrEvent): void => {
    sink.add(e);
    report.rows++;
    report.accepted++;
    subscribers?.add(e.subscriberId);
  };

  const record = (fields: string[], line: number): void => {
    if (cell(fields, ID) === '') {
      bad.add(line, 'subscriber_id', 'missing_value', '', 'subscriber_id is blank');
      return;
    }
    const start = optional(fields, START, line, true);
    if (start === undefined) return;
    const type = optional(fields, TYPE, line, true);
    if (type === undefined) return;
    const needs = NEEDS[type]!;
    const dir = optional(fields, DIR, line, needs.includes(DIR));
    if (dir === undefined) return;
    const dur = optional(fields, DUR, line, needs.includes(DUR));
    if (dur === undefined) return;
    const bytes = optional(fields, BYTES, line, needs.includes(BYTES));
    if (bytes === undefined) return;
    const other = cell(fields, OTHER);
    if (other === '' && needs.includes(OTHER)) {
      bad.add(
        line,
        'other_party',
        'missing_value',
        '',
        `other_party is blank for a ${fields[index[TYPE]!]} event`,
      );
      return;
    }
    const charge = optional(fields, CHARGE, line, false);
    if (charge === undefined) return;
    const id = fields[index[ID]!]!;
    ev.subscriberId = id;
    ev.startTime = start;
    ev.eventType = type;
    ev.direction = Number.isNaN(dir) || type === EVENT.data ? DIRECTION.none : dir;
    ev.durationS = Number.isNaN(dur) ? 0 : dur;
    ev.bytes = Number.isNaN(bytes) ? 0 : bytes;
    ev.otherParty = other;
    ev.charge = charge;
    accept(ev);
  };

  /** A clean plain row straight from its bytes; any other goes to record(), which says what is wrong. */
  const plain = new PlainCdrEvent();
  const plainRecord = (bytes: Buffer, spans: Int32Array): boolean => {
    if (!plainCdrEvent(bytes, spans, index, plain)) return false;
    accept(plain);
    return true;
  };

  const read = await readRecords(
    path,
    {
      header(found): TemporalHint[] {
        names = found;
        map = mapColumns(path, names, F, opts.config.columns.cdr);
        index = map.index;
        const extra = map.extras.map((i) => names[i]!);
        if (extra.length > 0) {
          report.ignoredColumns.push(...extra);
          report.notices.push(
            `${path}: ignored extra columns (CDR files have no extra features): ${echoList(extra)}`,
          );
        }
        const hints: TemporalHint[] = new Array(names.length).fill(undefined);
        if (index[START]! >= 0) hints[index[START]!] = 'datetime';
        return hints;
      },
      record,
      ...(opts.plainFastPath ? { plainRecord } : {}),
      malformed(line, message, value) {
        bad.add(line, null, 'malformed_row', value, message);
      },
      invalidUtf8(line, column, value) {
        bad.invalidUtf8(line, columnLabel(map, F, names, column), value);
      },
    },
    opts.onProgress ?? undefined,
    part,
  );
  Object.assign(report, { format: read.format, gzip: read.gzip });
  report.subscribers = subscribers ? subscribers.count : null;
  return { report, lines: read.lines, quoteProblems: read.quoteProblems };
}
