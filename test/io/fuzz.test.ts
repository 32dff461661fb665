/**
 * Property-based fuzzing of the two readers every run starts with: the CSV reader (random bytes,
 * random quoting, random chunk boundaries) and the config loader (random JSON). Runs are kept few
 * enough for the file to take a few seconds; a failure prints the seed and the shrunk input.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, loadConfig, readBilling, readCdr } from '../../src/index.js';
import { readCsvRecords } from '../../src/io/csv.js';
import type { RecordHandler } from '../../src/io/records.js';
import { retain } from '../helpers/cli.js';
import { tempDir } from './helpers.js';

const dir = tempDir();

/** Every call the reader makes, in order; bytes fed cut at `cuts` (sorted offsets). */
async function events(bytes: Buffer, cuts: number[], asBytes: boolean): Promise<unknown[]> {
  async function* chunks(): AsyncIterable<Buffer> {
    let from = 0;
    for (const at of [...cuts, bytes.length]) {
      if (at > from) yield bytes.subarray(from, at);
      from = Math.max(from, at);
    }
  }
  const out: unknown[] = [];
  const handler: RecordHandler = {
    header: (names) => {
      out.push(['header', [...names]]);
      return undefined;
    },
    record: (fields, line) => {
      out.push(['record', line, [...fields]]);
    },
    malformed: (line, message, value) => {
      out.push(['malformed', line, message, value]);
    },
    invalidUtf8: (line, column, value) => {
      out.push(['invalid', line, column, value]);
    },
  };
  if (asBytes)
    handler.plainRecord = (b, spans, line) => {
      const fields = Array.from({ length: spans.length / 2 }, (_, c) =>
        b.toString('latin1', spans[2 * c]!, spans[2 * c + 1]!),
      );
      out.push(['record', line, fields]);
      return true;
    };
  await readCsvRecords(chunks(), handler);
  return out;
}

/** Pieces CSV text is made of, the hostile ones included: quotes, line ends, multi-byte and bad bytes. */
const piece = fc.constantFrom(
  ...['a', 'b1', '7', ',', ',', '"', '""', '\n', '\n', '\r\n', '\r', ' ', 'é', '李', '😀'].map((s) =>
    Buffer.from(s),
  ),
  Buffer.from([0xff]),
  Buffer.from([0xc3]),
  Buffer.from([0xe2, 0x82]),
  Buffer.from([0x80]),
);
const csvBytes = fc
  .tuple(fc.constantFrom('a,b,c\n', 'a,b\r\n', 'x\n', ''), fc.array(piece, { maxLength: 120 }))
  .map(([head, parts]) => Buffer.concat([Buffer.from(head), ...parts]));
const withCuts = csvBytes.chain((bytes) =>
  fc.tuple(
    fc.constant(bytes),
    fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, bytes.length - 1) }), { maxLength: 8 }),
  ),
);

describe('the CSV reader on random bytes', () => {
  it('reads the same records at every chunking, as strings or as bytes, and never throws', async () => {
    await fc.assert(
      fc.asyncProperty(withCuts, fc.boolean(), async ([bytes, cuts], asBytes) => {
        const whole = await events(bytes, [], false);
        expect(
          await events(
            bytes,
            [...cuts].sort((a, b) => a - b),
            asBytes,
          ),
        ).toEqual(whole);
        // Nothing decodes to U+FFFD: a bad byte is a record's own problem, never a silent change.
        for (const e of whole as unknown[][])
          if (e[0] === 'record') expect(String(e[2])).not.toContain('\ufffd');
      }),
      { numRuns: 300 },
    );
  });
});

/** A cell: mostly good, else blank, garbage, quoted with separators inside, or holding a bad byte. */
const cell = (good: string) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(Buffer.from(good)) },
    fc.constantFrom(
      ...['', 'x', '-1', '1e999', '2024-13', '"a,b"', '"a\nb"', '"un', '=cmd|x', ' '].map((s) =>
        Buffer.from(s),
      ),
      Buffer.from([0xe9]),
      Buffer.from([0x41, 0xff, 0x42]),
    ),
  );

/** A file of the given header and rows made from a good row, cell by cell, with assorted line ends. */
function fileOf(header: string, good: readonly string[]) {
  const row = fc
    .tuple(fc.tuple(...good.map(cell)), fc.constantFrom('\n', '\r\n', ',extra\n', '\n\n'))
    .map(([cells, end]) =>
      Buffer.concat([...cells.flatMap((c, i) => (i === 0 ? [c] : [Buffer.from(','), c])), Buffer.from(end)]),
    );
  return fc.array(row, { maxLength: 40 }).map((rows) => Buffer.concat([Buffer.from(`${header}\n`), ...rows]));
}

const billingFile = fileOf('subscriber_id,month,activation_date,plan_id,billed_amount,status', [
  'S1',
  '2024-03',
  '2020-01-01',
  'P',
  '10',
  'active',
]);
const cdrFile = fileOf('subscriber_id,start_time,event_type,direction,duration_s,bytes,other_party', [
  '00123',
  '2024-03-01T10:00:00',
  'voice',
  'out',
  '60',
  '',
  '10010',
]);

/** The records (not the header) the CSV reader gives for `bytes`. */
async function recordsOf(bytes: Buffer): Promise<number> {
  return (await events(bytes, [], false)).filter((e) => (e as unknown[])[0] !== 'header').length;
}

describe('the billing and CDR readers on random rows', () => {
  let n = 0;
  const write = (bytes: Buffer) => {
    const p = join(dir, `rows-${n++}.csv`);
    writeFileSync(p, bytes);
    return p;
  };

  it('billing: every record the CSV reader gives is read, accepted or rejected', async () => {
    await fc.assert(
      fc.asyncProperty(billingFile, async (bytes) => {
        const { table, files } = await readBilling([write(bytes)], { badRows: 'report' });
        const f = files[0]!;
        expect(f.rows).toBe(await recordsOf(bytes));
        expect(f.accepted + f.rejected).toBe(f.rows);
        expect(table.n).toBe(f.accepted);
      }),
      { numRuns: 120 },
    );
  });

  it('CDR: the same, on the fast byte path and off it alike', async () => {
    await fc.assert(
      fc.asyncProperty(cdrFile, async (bytes) => {
        const p = write(bytes);
        const reads = await Promise.all(
          [true, false].map(async (plainFastPath) => {
            let events = 0;
            const f = await readCdr(p, { add: () => void events++ }, { badRows: 'report', plainFastPath });
            return { f, events };
          }),
        );
        for (const { f, events } of reads) {
          expect(f.rows).toBe(await recordsOf(bytes));
          expect(f.accepted + f.rejected).toBe(f.rows);
          expect(events).toBe(f.accepted);
        }
        expect(reads[0]!.f.byReason).toEqual(reads[1]!.f.byReason);
      }),
      { numRuns: 120 },
    );
  });
});

/** JSON values shaped like a config at every depth, and anything else. */
const SECTIONS = [
  'columns',
  'input',
  'triggers',
  'stages',
  'tiers',
  'segments',
  'targets',
  'usage',
  'locked',
];
const configValue = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(fc.constantFrom(...SECTIONS, 'other'), fc.jsonValue(), { maxKeys: 4 }),
  fc.record({
    stages: fc.dictionary(
      fc.constantFrom('onboarding_months', 'growth_months', 'warning_deciles', 'x'),
      fc.oneof(fc.integer({ min: -2, max: 12 }), fc.jsonValue()),
    ),
    segments: fc.dictionary(
      fc.constantFrom('k_min', 'k_max', 'k'),
      fc.oneof(fc.integer({ min: 0, max: 12 }), fc.jsonValue()),
    ),
    tiers: fc.record({ bounds: fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 4 }) }),
    columns: fc.record({
      billing: fc.dictionary(fc.constantFrom('subscriber_id', 'month', 'plan_id'), fc.string()),
    }),
  }),
);

/** `<file>: <dot.path>: <message>`, a path's keys bare words or quoted, `(root)` for the whole value. */
function problemLine(file: string): RegExp {
  const key = String.raw`(?:[\w<>+-]+|"(?:[^"\\]|\\.)*")`;
  return new RegExp(String.raw`^${file.replaceAll('.', '.')}: (?:\(root\)|${key}(?:\.${key})*): \S`);
}

describe('the config loader on random JSON', () => {
  it('returns a config or an InputError whose every line names the file and a dot-path', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(configValue, async (value) => {
        const name = `config-${n++}.json`;
        writeFileSync(join(dir, name), JSON.stringify(value));
        const got = await loadConfig(name, dir).catch((e: unknown) => e);
        if (!(got instanceof Error)) return;
        expect(got).toBeInstanceOf(InputError);
        for (const line of got.message.split('\n')) expect(line).toMatch(problemLine(join(dir, name)));
      }),
      { numRuns: 300 },
    );
  });

  it('never ends `retain validate` in exit 1, whatever the config file holds', async () => {
    writeFileSync(join(dir, 'b.csv'), 'subscriber_id,month,activation_date,plan_id,billed_amount,status\n');
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          configValue.map((v) => JSON.stringify(v)),
          fc.string({ maxLength: 40 }),
        ),
        async (text) => {
          const name = `cli-config-${n++}.json`;
          writeFileSync(join(dir, name), text);
          const r = await retain(['validate', 'b.csv', '--config', name], dir);
          expect([0, 3]).toContain(r.code);
          if (r.code === 3) expect(r.stderr).toContain(join(dir, name));
        },
      ),
      { numRuns: 40 },
    );
  });
});
