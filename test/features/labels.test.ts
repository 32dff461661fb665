import { describe, expect, it } from 'vitest';
import { STATUS } from '../../src/contract.js';
import { churnedNext } from '../../src/features/labels.js';

describe('churnedNext (DATA-CONTRACT §3)', () => {
  // biome-ignore format: a case table reads best aligned
  it.each([
    // closed in M, status in M+1 (undefined: no row), label
    [false, STATUS.active,            0],
    [false, STATUS.suspended,         0],
    [false, STATUS.arrears_suspended, 0],
    [false, STATUS.pending_cancel,    0],
    [false, STATUS.closed,            1],
    [false, undefined,                1],
    [true,  STATUS.active,            null],
    [true,  undefined,                null],
  ])('closed now %s, next status %s → %s', (closedNow, next, label) => {
    expect(churnedNext(closedNow, next)).toBe(label);
  });
});
