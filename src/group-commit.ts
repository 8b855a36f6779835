interface Waiting<In, Out> {
  input: In;
  done: (output: Out) => void;
  failed: (err: unknown) => void;
}

/**
 * Group commit: calls that arrive while a batch is being written wait for it and then go
 * together, as one batch. A call that finds nothing in flight is written at once, so one
 * caller alone never waits; under load, one round trip serves many callers.
 * `write` answers each input of a batch, in order; when it throws, every call of that batch
 * fails with its error (and nothing else does).
 */
export class GroupCommit<In, Out> {
  private waiting: Waiting<In, Out>[] = [];
  private writing = false;

  constructor(
    private readonly write: (inputs: In[]) => Promise<Out[]>,
    private readonly maxBatch = 200,
  ) {}

  run(input: In): Promise<Out> {
    return new Promise<Out>((done, failed) => {
      this.waiting.push({ input, done, failed });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
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
