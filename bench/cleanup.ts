/** Undo steps registered as resources are made, run newest first, each one even when another fails. */
export class Cleanup {
  private readonly steps: Array<{ what: string; run: () => Promise<unknown> }> = [];

  add(what: string, run: () => Promise<unknown>): void {
    this.steps.push({ what, run });
  }

  /** Runs every step once; returns the descriptions of the steps that failed. */
  async run(): Promise<string[]> {
    const failed: string[] = [];
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step.run();
      } catch (err) {
        failed.push(`${step.what}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return failed;
  }
}
