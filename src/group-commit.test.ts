import { describe, expect, it } from 'vitest';
import { GroupCommit, togetherOrAlone } from './group-commit.js';

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

describe('together or alone', () => {
  const alone = async (n: number) => (n === 13 ? `failed ${n}` : `alone ${n}`);

  it('writes a batch together when it can', async () => {
    const written = await togetherOrAlone([1, 2, 3], async (ns) => ns.map((n) => `together ${n}`), alone);
    expect(written).toEqual(['together 1', 'together 2', 'together 3']);
  });

  it('writes each input alone, in order, after the batch failed, so only the bad one fails', async () => {
    const together = async (ns: number[]) => {
      if (ns.includes(13)) throw new Error('one bad input');
      return ns.map(String);
    };
    expect(await togetherOrAlone([12, 13, 14], together, alone)).toEqual(['alone 12', 'failed 13', 'alone 14']);
  });

  it('writes one input alone at once, without trying a batch', async () => {
    let batches = 0;
    const written = await togetherOrAlone([7], async (ns) => (batches++, ns.map(String)), alone);
    expect({ written, batches }).toEqual({ written: ['alone 7'], batches: 0 });
  });

  it('passes on an error the fallback is not for', async () => {
    const together = async (): Promise<string[]> => {
      throw new Error('database away');
    };
    await expect(togetherOrAlone([1, 2], together, alone, (err) => (err as Error).message === 'duplicate')).rejects.toThrow('database away');
  });
});
