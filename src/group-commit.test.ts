import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

/** A writer whose batches are held until released, to see what went together. */
function heldWriter() {
  const batches: number[][] = [];
  const releases: (() => void)[] = [];
  const write = async (inputs: number[]) => {
    batches.push(inputs);
    await new Promise<void>((release) => releases.push(release));
    if (inputs.includes(13)) throw new Error('unlucky batch');
    return inputs.map((n) => n * 10);
  };
  return { batches, release: () => releases.shift()?.(), write };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('group commit', () => {
  it('writes a lone call at once and batches the calls that arrive while it is written', async () => {
    const writer = heldWriter();
    const group = new GroupCommit(writer.write);
    const first = group.run(1);
    const later = [group.run(2), group.run(3), group.run(4)];
    await settle();
    expect(writer.batches).toEqual([[1]]);
    writer.release();
    expect(await first).toBe(10);
    await settle();
    expect(writer.batches).toEqual([[1], [2, 3, 4]]);
    writer.release();
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
  });

  it('fails every call of a failed batch with its error, and only those', async () => {
    const writer = heldWriter();
    const group = new GroupCommit(writer.write);
    const first = group.run(1);
    const doomed = [group.run(12), group.run(13)];
    const outcomes = Promise.allSettled(doomed);
    writer.release();
    await first;
    await settle();
    const after = group.run(5);
    writer.release();
    const settled = await outcomes;
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect((settled[0] as PromiseRejectedResult).reason).toEqual(new Error('unlucky batch'));
    await settle();
    writer.release();
    expect(await after).toBe(50);
  });

  it('never writes more than maxBatch inputs at once', async () => {
    const writer = heldWriter();
    const group = new GroupCommit(writer.write, 2);
    const calls = [1, 2, 3, 4, 5].map((n) => group.run(n));
    for (let i = 0; i < 4; i += 1) {
      await settle();
      writer.release();
    }
    expect(await Promise.all(calls)).toEqual([10, 20, 30, 40, 50]);
    expect(writer.batches).toEqual([[1], [2, 3], [4, 5]]);
  });
});
