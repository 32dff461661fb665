import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, readHeader, readRawTable } from '../../src/index.js';
import { SHARED_DATA_MISSING, sharedPath } from '../helpers/shared-data.js';
import { tempDir } from './helpers.js';

const TELCO = sharedPath('ibm-telco/Telco-Customer-Churn.csv');

describe('readRawTable', () => {
  it.skipIf(SHARED_DATA_MISSING !== null)(
    'reads a public churn table column-major with ids as text',
    async () => {
      const t = await readRawTable(TELCO);
      expect(t.rowCount).toBe(7043);
      expect(t.names[0]).toBe('customerID');
      expect(t.columns[0]![0]).toBe('7590-VHVEG');
      expect(t.columns[t.names.indexOf('MonthlyCharges')]![0]).toBe('29.85');
      // TotalCharges is a single space for brand-new customers: read as missing.
      expect(t.columns[t.names.indexOf('TotalCharges')]!.filter((v) => v === null)).toHaveLength(11);
    },
  );

  it('fails on malformed rows naming their lines', async () => {
    const dir = tempDir();
    const p = join(dir, 'bad.csv');
    writeFileSync(p, 'a,b\n1,2\n3\n4,5,6\n');
    await expect(readRawTable(p)).rejects.toThrow(InputError);
    await expect(readRawTable(p)).rejects.toThrow(/2 malformed rows[\s\S]*line 3[\s\S]*line 4/);
  });

  it('reads only the header when asked', async () => {
    const p = join(tempDir(), 'wide.csv');
    writeFileSync(p, `customerID,tenure,Churn\n${'7590-VHVEG,1,No\n'.repeat(50_000)}`);
    const h = await readHeader(p);
    expect(h.names).toEqual(['customerID', 'tenure', 'Churn']);
    expect(h.format).toBe('csv');
  });

  it('fails on rows that are not UTF-8 and on repeated column names, naming them', async () => {
    const dir = tempDir();
    const p = join(dir, 'latin1.csv');
    writeFileSync(
      p,
      Buffer.concat([Buffer.from('id,name\n1,caf'), Buffer.from([0xe9]), Buffer.from('\n2,ok\n')]),
    );
    await expect(readRawTable(p)).rejects.toThrow(
      `${p}: 1 malformed rows:\n  line 2, column name: not valid UTF-8: "caf\\xE9"`,
    );
    const q = join(dir, 'twice.csv');
    writeFileSync(q, 'id,x,x,y,y\n1,2,3,4,5\n');
    await expect(readHeader(q)).rejects.toThrow(
      `${q}: column names repeated in the header: "x" (columns 2, 3), "y" (columns 4, 5); each column needs its own name`,
    );
  });

  it('says a file whose lines end with CR alone reads as one line, whatever its names repeat', async () => {
    const p = join(tempDir(), 'mac.csv');
    writeFileSync(p, 'id,plan,spend\r1,a,10\r2,a,12\r');
    const message = `${p}: its lines end with a carriage return alone (CR, as in old Mac files), so the file reads as one line; save it with LF or CRLF line ends`;
    await expect(readHeader(p)).rejects.toThrow(message);
    await expect(readRawTable(p)).rejects.toThrow(message);
  });

  it('says so too when the CR-only header holds a quote, and when only the rows end with CR alone', async () => {
    const dir = tempDir();
    const quoted = join(dir, 'quoted.csv');
    writeFileSync(quoted, 'id,"plan"\r1,a\r2,b\r');
    await expect(readHeader(quoted)).rejects.toThrow(`${quoted}: its lines end with a carriage return alone`);
    const rows = join(dir, 'rows.csv');
    writeFileSync(rows, 'id,plan\n1,a\r2,b\r3,c\r');
    await expect(readRawTable(rows)).rejects.toThrow(
      "line 2: 4 fields where the header has 2; it holds carriage returns (CR) that end no line here: the file's lines may end with CR alone",
    );
  });
});
