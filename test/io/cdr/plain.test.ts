import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CdrEvent, createRandom, hashString, readCdr } from '../../../src/index.js';
import { numericKey } from '../../../src/subscriber-key.js';
import { contractFields, tempDir } from '../helpers.js';

// Values of each field, clean and not: the fast path must take the clean rows exactly as the ordinary
// reader does and leave every other row to it.
const VALUES: Record<string, string[]> = {
  subscriber_id: ['1380013', '0071', '', 'A-1', ' 12', '12345678901234567'],
  start_time: [
    '2024-02-29T23:59:59',
    '2024-03-01T00:00:00',
    '2024-01-01 10:00:00',
    '2023-02-29T10:00:00',
    '2024-13-01T00:00:00',
    '2024-01-01T24:00:00',
    '2024-01-01T10:60:00',
    '2024-1-01T10:00:00',
    '2024-01-01T10:00',
    '2024-01-01T10:00:00Z',
    '',
  ],
  event_type: ['voice', 'sms', 'data', 'Voice', 'sm', 'datas', 'fax', ''],
  direction: ['in', 'out', '', 'OUT', 'In', 'ou', 'x'],
  duration_s: ['0', '60', '007', '1.0', '1.5', '-3', '', '1e3', '123456789012345', '1234567890123456', ' 5'],
  bytes: ['0', '5000000', '', '2.5', '+4', '999999999999999', '9999999999999999'],
  other_party: ['10086', '13900000001', '', 'x y'],
  charge: ['0.5', '.5', '5.', '', '-1', '1e2', '12.3456789012', '0.1234567890123456', 'abc', '.', '0'],
};

function file(columns: string[], rows: number, seed: number): string {
  const rnd = createRandom(seed, 0);
  const pick = (name: string): string => {
    const v = VALUES[name]!;
    // Mostly the first (clean) values, so that both paths see plenty of rows; some quoted, as
    // database exports write text.
    const value = rnd.int(3) === 0 ? v[rnd.int(v.length)]! : v[rnd.int(Math.min(3, v.length))]!;
    return rnd.int(5) === 0 ? `"${value}"` : value;
  };
  const lines = [columns.join(',')];
  for (let r = 0; r < rows; r++) lines.push(columns.map(pick).join(','));
  return `${lines.join('\n')}\n`;
}

async function read(path: string, plainFastPath: boolean) {
  const events: CdrEvent[] = [];
  const add = (e: CdrEvent) => {
    // The keys the fast path works out must be the ones the aggregator would work out itself.
    if (e.subscriberKey !== undefined) expect(e.subscriberKey).toBe(numericKey(e.subscriberId));
    if (e.otherPartyHash !== undefined) expect(e.otherPartyHash).toBe(hashString(e.otherParty));
    events.push(contractFields(e));
  };
  const report = await readCdr(path, { add }, { plainFastPath, badRows: 'report' });
  return { events, report };
}

describe('the plain CDR fast path', () => {
  const dir = tempDir();
  const all = Object.keys(VALUES);

  it.each([
    ['the contract order', all],
    ['another order', [...all].reverse()],
    ['without charge and bytes columns', all.filter((c) => c !== 'charge' && c !== 'bytes')],
  ])('reads every row as the ordinary reader does, columns in %s', async (_name, columns) => {
    const path = join(dir, `${_name.replaceAll(' ', '-')}.csv`);
    writeFileSync(path, file(columns, 5000, columns.length));
    const fast = await read(path, true);
    const ordinary = await read(path, false);
    expect(ordinary.report.accepted).toBeGreaterThan(300);
    expect(ordinary.report.rejected).toBeGreaterThan(500);
    expect(fast).toEqual(ordinary);
  });
});
