import { describe, expect, it } from 'vitest';
import { ContactSet } from '../../../src/features/cdr/contact-set.js';

describe('ContactSet', () => {
  it('keeps pairs distinct per slot across growth', () => {
    const set = new ContactSet(16);
    let added = 0;
    for (let slot = 0; slot < 500; slot++)
      for (let h = 0; h < 20; h++) if (set.add(slot, h * 2654435761)) added++;
    for (let slot = 0; slot < 500; slot++)
      for (let h = 0; h < 20; h++) if (set.add(slot, h * 2654435761)) added++;
    expect(added).toBe(10_000);
    expect(set.count).toBe(10_000);
    expect(set.bytes).toBeGreaterThanOrEqual(10_000 * 8);
  });
});
