import { afterEach, describe, expect, it } from 'vitest';
import { InputError, InternalError } from '../src/errors.js';
import { WorkerPool } from '../src/worker-pool.js';
import { startWorker } from '../src/workers.js';
import type { TestJob, TestReply } from './worker-pool-thread.js';

const pools: WorkerPool<TestJob, TestReply>[] = [];

function pool(size: number): WorkerPool<TestJob, TestReply> {
  const p = new WorkerPool<TestJob, TestReply>(
    size,
    () => startWorker(import.meta.url, 'worker-pool-thread'),
    {
      failed: (job, f) => `job ${job.kind} failed: ${f.message}`,
      crashed: (message) => `test thread failed: ${message}`,
      exited: (code) => `test thread exited with code ${code}`,
    },
  );
  pools.push(p);
  return p;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.terminate()));
});

describe('WorkerPool', () => {
  it.each([1, 3])('answers each job with its own reply, in the order given, on %i workers', async (size) => {
    const p = pool(size);
    const ns = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const replies = await Promise.all(ns.map((n) => p.run({ kind: 'square', n, steps: 0 })));
    expect(replies).toEqual(ns.map((n) => ({ kind: 'square', n, square: n * n })));
  });

  it('forwards the progress of a job to its own callback', async () => {
    const p = pool(2);
    const seen: number[][] = [[], []];
    const done = await Promise.all(
      [3, 2].map((steps, i) => p.run({ kind: 'square', n: i, steps }, (m) => seen[i]!.push(m.step))),
    );
    expect(done.map((d) => d.kind)).toEqual(['square', 'square']);
    expect(seen).toEqual([
      [1, 2, 3],
      [1, 2],
    ]);
  });

  it('makes an input error an InputError with the worker message, and keeps the worker', async () => {
    const p = pool(1);
    const failed = p.run({ kind: 'fail', input: true });
    await expect(failed).rejects.toThrow(InputError);
    await expect(failed).rejects.toThrow(/^job failed \(input: true\)$/);
    await expect(p.run({ kind: 'square', n: 4, steps: 0 })).resolves.toEqual({
      kind: 'square',
      n: 4,
      square: 16,
    });
  });

  it('makes an internal error an InternalError in the caller words, the worker stack as cause', async () => {
    const p = pool(1);
    const error = await p.run({ kind: 'fail', input: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalError);
    expect((error as Error).message).toBe('job fail failed: job failed (input: false)');
    expect(((error as Error).cause as Error).stack).toBe('at here');
  });

  it('fails the running, waiting and later jobs with an InternalError when a worker exits', async () => {
    const p = pool(1);
    const exits = p.run({ kind: 'exit' });
    const waiting = p.run({ kind: 'square', n: 2, steps: 0 }).catch((e: unknown) => e);
    await expect(exits).rejects.toThrow(new InternalError('test thread exited with code 7'));
    expect(await waiting).toBeInstanceOf(InternalError);
    await expect(p.run({ kind: 'square', n: 3, steps: 0 })).rejects.toThrow('test thread exited with code 7');
  });

  it('fails with an InternalError when a worker thread throws', async () => {
    const p = pool(2);
    const error = await p.run({ kind: 'throw' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalError);
    expect((error as Error).message).toBe('test thread failed: thread broke');
  });

  it('terminates every worker, failing the jobs still waiting', async () => {
    const p = pool(2);
    const running = p.run({ kind: 'square', n: 2, steps: 0 }).catch((e: unknown) => e);
    await p.terminate();
    expect(await running).toBeInstanceOf(InternalError);
    await expect(p.run({ kind: 'square', n: 1, steps: 0 })).rejects.toThrow(InternalError);
  });

  it('runs a job once on every idle worker', async () => {
    const p = pool(3);
    const replies = await p.runOnEach({ kind: 'square', n: 5, steps: 0 });
    expect(replies).toEqual(Array.from({ length: 3 }, () => ({ kind: 'square', n: 5, square: 25 })));
  });
});
