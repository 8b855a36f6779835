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

/**
 * A batch written together, or, when that fails (with an error `fallBackOn` accepts), each
 * input alone and in order, so an input that cannot be written fails its own call only
 * (`alone` answers its failure as an output). One input is written alone at once.
 */
export async function togetherOrAlone<In, Out>(
  inputs: In[],
  together: (inputs: In[]) => Promise<Out[]>,
  alone: (input: In) => Promise<Out>,
  fallBackOn: (err: unknown) => boolean = () => true,
): Promise<Out[]> {
  if (inputs.length > 1) {
    try {
      return await together(inputs);
    } catch (err) {
      if (!fallBackOn(err)) throw err;
    }
  }
  const outputs: Out[] = [];
  for (const input of inputs) outputs.push(await alone(input));
  return outputs;
}
