import { describe, expect, it } from 'vitest';
import { buildFeatures } from '../../src/features/index.js';
import { featureFileTable } from '../../src/pipeline/feature-file.js';
import { billingTable, SETTINGS } from '../features/build.js';

const billing = billingTable([
  { id: 's1', month: '2025-05' },
  { id: 's1', month: '2025-06' },
  { id: 's2', month: '2025-05' },
  { id: 's2', month: '2025-06', status: 'closed' },
  { id: 's3', month: '2025-06' },
]);
const months = [2025 * 12 + 4, 2025 * 12 + 5];

describe('featureFileTable', () => {
  const built = buildFeatures(billing, null, SETTINGS, { months });
  const { table, closedLeftOut } = featureFileTable(built);
  const column = (header: string) => {
    const c = table.columns.find((col) => col.header === header);
    if (!c) throw new Error(`no column ${header}`);
    return Array.from({ length: table.n }, (_, i) => c.value(i));
  };
  const rows = column('subscriber_id').map((id, i) => `${id} ${column('month')[i]}`);

  it('leaves closed accounts out and says how many', () => {
    expect(built.frame.n).toBe(5);
    expect(closedLeftOut).toBe(1);
    expect(rows).not.toContain('s2 2025-06');
    expect(rows.sort()).toEqual(['s1 2025-05', 's1 2025-06', 's2 2025-05', 's3 2025-06']);
  });

  it('labels a month whose next month is known, and leaves the latest blank', () => {
    const label = column('churned_next_month');
    const byRow = Object.fromEntries(rows.map((r, i) => [r, label[i]]));
    expect(byRow['s1 2025-05']).toBe(0);
    expect(byRow['s2 2025-05']).toBe(1);
    expect(byRow['s1 2025-06']).toBeNaN();
    expect(byRow['s3 2025-06']).toBeNaN();
  });

  it('writes the subscriber, month and label first, then every feature of the schema in order', () => {
    expect(table.columns.map((c) => c.header)).toEqual([
      'subscriber_id',
      'month',
      'churned_next_month',
      ...built.schema.features.map((f) => f.name),
    ]);
  });
});
