interface Waiting<In, Out> {
  input: In;
  done: (output: Out) => void;
  failed: (err: unknown) => void;
}

/**
 * Group commit: calls that arrive while a batch is being written wait for it and then go
 * together, as one batch. A call that finds nothing in flight is written at once, so one
 * caller alone never waits; under load, one round trip serves many callers.
 * With `lingerMs`, a call that finds nothing in flight waits that long for company first
 * (or until maxBatch calls wait): for writes no one waits for, where fewer round trips
 * matter more than a few milliseconds.
 * `write` answers each input of a batch, in order; when it throws, every call of that batch
 * fails with its error (and nothing else does).
 */
export class GroupCommit<In, Out> {
  private waiting: Waiting<In, Out>[] = [];
  private writing = false;
  private lingering: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: (inputs: In[]) => Promise<Out[]>,
    private readonly maxBatch = 200,
    private readonly lingerMs = 0,
  ) {}

  run(input: In): Promise<Out> {
    return new Promise<Out>((done, failed) => {
      this.waiting.push({ input, done, failed });
      if (this.writing) return;
      if (this.lingerMs === 0 || this.waiting.length >= this.maxBatch) void this.drain();
      else this.lingering ??= setTimeout(() => void this.drain(), this.lingerMs);
    });
  }

  private async drain(): Promise<void> {
    clearTimeout(this.lingering);
    this.lingering = undefined;
    this.writing = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      try {
        const outputs = await this.write(batch.map((call) => call.input));
        if (outputs.length !== batch.length) throw new Error(`a batch of ${batch.length} was answered with ${outputs.length} results`);
        batch.forEach((call, i) => call.done(outputs[i]!));
      } catch (err) {
        for (const call of batch) call.failed(err);
      }
    }
    this.writing = false;
  }
}
