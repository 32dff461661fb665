import { describe, expect, it } from 'vitest';
import { usableCores } from '../../src/cores.js';
import { PARALLEL_WALK_MIN_STEPS, walkThreads } from '../../src/model/threads.js';

describe('walkThreads', () => {
  const cores = usableCores();
  it.each([
    // The shipped forest (about 2,100 steps a row) on 94,080 subscribers: worth the threads asked for.
    { requested: 2, rows: 94_080, steps: 2_100, chunk: 4096, want: 2 },
    // The shipped boosted model (141 trees, about 1,035 steps a row) on the same month: 97 million steps.
    { requested: 2, rows: 94_080, steps: 1_035, chunk: 4096, want: 2 },
    // A boosted model of 23 shallow trees (about 210 steps a row) on the same month: one thread.
    { requested: 2, rows: 94_080, steps: 210, chunk: 4096, want: 1 },
    // The same model on a million subscribers: long enough again.
    { requested: 2, rows: 1_000_000, steps: 210, chunk: 4096, want: 2 },
    // Never more threads than chunks of rows.
    { requested: 8, rows: 100_000, steps: 2_100, chunk: 40_000, want: 3 },
    { requested: 1, rows: 1_000_000, steps: 2_100, chunk: 4096, want: 1 },
    { requested: 0, rows: 1_000_000, steps: 2_100, chunk: 4096, want: cores },
  ])('$rows rows × $steps steps on $requested asked: $want', ({ requested, rows, steps, chunk, want }) => {
    expect(walkThreads(requested, rows, steps, chunk)).toBe(want);
  });

  it('starts threads from PARALLEL_WALK_MIN_STEPS steps on', () => {
    expect(walkThreads(2, PARALLEL_WALK_MIN_STEPS / 1000, 999.99, 1)).toBe(1);
    expect(walkThreads(2, PARALLEL_WALK_MIN_STEPS / 1000, 1000, 1)).toBe(2);
    expect(walkThreads(2, 10, 1, 1, 0)).toBe(2);
  });
});
