import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorMessage, retain as run } from '../helpers/cli.js';
import { tempDir } from '../io/helpers.js';

const BAD = resolve(import.meta.dirname, '../../fixtures/bad/billing.csv');

async function retain(cwd: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await run(args, cwd, new Date(0));
  return { code: r.code, out: r.stdout, err: r.stderr };
}

describe('retain validate', () => {
  it('exits 3 on the bad billing fixture, naming each line and reason', async () => {
    const dir = tempDir();
    copyFileSync(BAD, join(dir, 'billing.csv'));
    const r = await retain(dir, 'validate', 'billing.csv', '--rejects', 'rejects.csv');
    expect(r.code).toBe(3);
    const dataRows = readFileSync(BAD, 'utf8').trim().split('\n').length - 1;
    expect(r.out).toContain(`${dataRows} rows read, 3 accepted, 5 rejected`);
    for (const l of [
      'line 3, activation_date: bad_date',
      'line 4, billed_amount: negative_value',
      'line 5, status: unknown_value',
      'line 7: malformed_row',
      'line 8, subscriber_id: duplicate_key',
    ])
      expect(r.out).toContain(l);
    expect(r.out).toContain('months: 2024-03');
    expect(errorMessage(r.err)).toMatch(/^1 of 1 files are not clean/);
    expect(readFileSync(join(dir, 'rejects.csv'), 'utf8').trim().split('\n')).toHaveLength(6);
  });

  it('names a file whose header it cannot read once, with the reason', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'twice.csv'), 'subscriber_id,month,x,x\n001,2024-03,1,2\n');
    const r = await retain(dir, 'validate', 'twice.csv');
    expect(r.code).toBe(3);
    expect(r.out).toBe(
      `${join(dir, 'twice.csv')}: column names repeated in the header: "x" (columns 3, 4); each column needs its own name\n`,
    );
  });

  it('exits 0 on clean billing and CDR files, inferring each kind', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'b.csv'),
      'subscriber_id,month,activation_date,plan_id,billed_amount,status\n001,2024-03,2020-01-01,P,10,active\n',
    );
    writeFileSync(
      join(dir, 'c.csv'),
      'subscriber_id,start_time,event_type,direction,duration_s,bytes,other_party\n001,2024-03-01T10:00:00,voice,out,60,,10010\n',
    );
    const r = await retain(dir, 'validate', 'b.csv', 'c.csv');
    expect(r.code).toBe(0);
    expect(r.out).toContain('(billing, csv): 1 rows read, 1 accepted, 0 rejected');
    expect(r.out).toContain('(cdr, csv): 1 rows read, 1 accepted, 0 rejected');
  });

  it('validates work-order outcome files with --kind outcomes, naming each bad row', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'o.csv'),
      'subscriber_id,month,contacted,accepted\n001,2025-06,1,1\n002,2025-06,0,1\n003,2025-06,1,\n',
    );
    const r = await retain(dir, 'validate', '--kind', 'outcomes', 'o.csv');
    expect(r.code).toBe(3);
    expect(r.out).toContain('(outcomes, csv): 3 rows read, 2 accepted, 1 rejected');
    expect(r.out).toContain('line 3, accepted: unknown_value: accepted is 1 but contacted is 0');
  });

  it('says why it cannot tell the kind, and reports a missing file, still exiting 3', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.csv'), 'a,b\n1,2\n');
    const r = await retain(dir, 'validate', 'x.csv', 'missing.csv');
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/cannot tell whether this is a billing or a CDR file[\s\S]*columns found: a, b/);
    expect(r.out).toMatch(/missing\.csv: cannot read the file/);
  });

  it('exits 3 on a bad config, listing each problem', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'retain.config.json'), JSON.stringify({ input: { max_bad_row_share: -1 } }));
    writeFileSync(join(dir, 'b.csv'), 'subscriber_id,month\n');
    const r = await retain(dir, 'validate', 'b.csv');
    expect(r.code).toBe(3);
    expect(r.err).toContain('retain.config.json: input.max_bad_row_share:');
  });
});
