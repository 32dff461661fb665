/**
 * The work-order outcomes reader (DATA-CONTRACT: work-order outcomes): files the call centre
 * returns for a campaign month, CSV or Arrow, several stacked, checked row by row like billing.
 * A bad row is rejected whole with its first problem; `(subscriber_id, month, list)` is unique
 * across the files of one read; an offer cannot be accepted on a call that did not reach the
 * subscriber, and no contact is dated before the list's month.
 */
import { monthStartDay } from '../calendar.js';
import { OUTCOME_FIELDS, type OutcomesTable } from '../contract.js';
import { echo } from '../echo.js';
import { makeFrame } from '../frame.js';
import { DictBuilder, Growable } from './builders.js';
import { cellError, parseCell } from './cells.js';
import { columnLabel, fieldPos, mapColumns } from './columns.js';
import { resolveReadOptions, withRejects } from './options.js';
import { readRecords, type TemporalHint } from './records.js';
import { checkBadShare, emptyReport, RejectCounter, where } from './rejects.js';
import type { FileReport, ReadOptions, RejectSink } from './types.js';

const F = OUTCOME_FIELDS;
const NF = F.length;
const ID = fieldPos(F, 'subscriber_id');
const MONTH = fieldPos(F, 'month');
const LIST = fieldPos(F, 'list');
const CONTACTED = fieldPos(F, 'contacted');
const DATE = fieldPos(F, 'contact_date');
const ACTION = fieldPos(F, 'action');
const ACCEPTED = fieldPos(F, 'accepted');
const CHANNEL = fieldPos(F, 'channel');

class OutcomesBuilder {
  readonly subscriber = new DictBuilder();
  readonly action = new DictBuilder();
  readonly channel = new DictBuilder();
  readonly month = new Growable(Int32Array);
  readonly list = new Growable(Uint8Array);
  readonly contacted = new Growable(Uint8Array);
  readonly date = new Growable(Float64Array);
  readonly accepted = new Growable(Float64Array);
  /** `id \t month \t list` → where the row was first seen, to name it in a duplicate's message. */
  readonly seen = new Map<string, { file: number; line: number }>();
  n = 0;

  finish(): OutcomesTable {
    return makeFrame(
      {
        subscriber_id: this.subscriber.finish(),
        month: this.month.finish(),
        list: this.list.finish(),
        contacted: this.contacted.finish(),
        contact_date: this.date.finish(),
        action: this.action.finish(),
        accepted: this.accepted.finish(),
        channel: this.channel.finish(),
      },
      this.n,
    ) as OutcomesTable;
  }
}

/** Reads outcome files into one table; throws InputError on a missing column or (policy `fail`) too many bad rows. */
export async function readOutcomes(
  paths: readonly string[],
  options: Partial<ReadOptions> = {},
): Promise<{ table: OutcomesTable; files: FileReport[] }> {
  const opts = resolveReadOptions(options);
  return withRejects(opts.rejects, async (sink) => {
    const b = new OutcomesBuilder();
    const files: FileReport[] = [];
    for (const path of paths) files.push(await readFile(path, b, files, opts, sink));
    return { table: b.finish(), files };
  });
}

async function readFile(
  path: string,
  b: OutcomesBuilder,
  earlier: readonly FileReport[],
  opts: ReadOptions,
  sink: RejectSink | null,
): Promise<FileReport> {
  const report = emptyReport(path, 'outcomes');
  const fileNo = earlier.length;
  const bad = new RejectCounter(report, sink, opts.sampleLimit);
  const err = cellError();
  const vals = new Float64Array(NF);
  const text: string[] = new Array(NF).fill('');
  const months = new Set<number>();
  const subscribers = new Set<string>();
  let index: Int32Array = new Int32Array(0);

  const record = (fields: string[], line: number): void => {
    for (let k = 0; k < NF; k++) {
      const f = F[k]!;
      const at = index[k]!;
      let s = at < 0 ? '' : fields[at]!;
      if (s === '') {
        if (f.fallback !== undefined) s = f.fallback;
        else if (f.required) {
          bad.add(line, f.name, 'missing_value', '', `${f.name} is blank`);
          return;
        } else {
          vals[k] = Number.NaN;
          text[k] = '';
          continue;
        }
      }
      const v = parseCell(f.type, s, err);
      if (Number.isNaN(v)) {
        bad.add(line, f.name, err.reason, s, `${f.name} ${err.message}: ${echo(s)}`);
        return;
      }
      vals[k] = v;
      text[k] = s;
    }
    const month = vals[MONTH]!;
    if (vals[ACCEPTED] === 1 && vals[CONTACTED] === 0) {
      bad.add(
        line,
        'accepted',
        'unknown_value',
        '1',
        'accepted is 1 but contacted is 0: an offer is accepted only on a call that reached the subscriber',
      );
      return;
    }
    if (vals[DATE]! < monthStartDay(month)) {
      bad.add(
        line,
        'contact_date',
        'bad_date',
        text[DATE]!,
        `contact_date ${echo(text[DATE]!)} is before the list's month ${text[MONTH]}`,
      );
      return;
    }
    const id = text[ID]!;
    const key = `${id}\t${month}\t${vals[LIST]}`;
    const first = b.seen.get(key);
    if (first !== undefined) {
      const firstFile = earlier[first.file] ?? report;
      bad.add(
        line,
        'subscriber_id',
        'duplicate_key',
        id,
        `subscriber ${echo(id)} already has a ${text[LIST]} work order for ${text[MONTH]} at ${firstFile.path} ${where(firstFile, first.line)}`,
      );
      return;
    }
    b.seen.set(key, { file: fileNo, line });
    b.subscriber.push(id);
    b.month.push(month);
    b.list.push(vals[LIST]!);
    b.contacted.push(vals[CONTACTED]!);
    b.date.push(vals[DATE]!);
    b.action.push(text[ACTION]!);
    b.accepted.push(vals[ACCEPTED]!);
    b.channel.push(text[CHANNEL]!);
    b.n++;
    report.rows++;
    report.accepted++;
    months.add(month);
    subscribers.add(id);
  };

  let columnOf: (col: number) => string = String;
  const read = await readRecords(
    path,
    {
      header(names): TemporalHint[] {
        const map = mapColumns(path, names, F, opts.config.columns.outcomes);
        index = map.index;
        columnOf = (col) => columnLabel(map, F, names, col);
        const ignored = map.extras.map((i) => names[i]!);
        if (ignored.length > 0) {
          report.ignoredColumns.push(...ignored);
          report.notices.push(`${path}: ignored extra columns: ${ignored.join(', ')}`);
        }
        const hints: TemporalHint[] = new Array(names.length).fill(undefined);
        F.forEach((f, k) => {
          const at = index[k]!;
          if (at >= 0 && (f.type.kind === 'month' || f.type.kind === 'date')) hints[at] = f.type.kind;
        });
        return hints;
      },
      record,
      malformed(line, message, value) {
        bad.add(line, null, 'malformed_row', value, message);
      },
      invalidUtf8(line, column, value) {
        bad.invalidUtf8(line, columnOf(column), value);
      },
    },
    opts.onProgress ?? undefined,
  );
  Object.assign(report, { format: read.format, gzip: read.gzip });
  report.months = [...months].sort((a, z) => a - z);
  report.subscribers = subscribers.size;
  if (opts.badRows === 'fail') checkBadShare(report, opts.config.input.max_bad_row_share);
  return report;
}
