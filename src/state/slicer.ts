/**
 * Cooperative time slicing for long jobs on the event loop (snapshot writes, loads): work runs
 * for about `sliceMs`, then yields one turn so requests keep being served.
 */
export class Slicer {
  private start = performance.now();

  constructor(private readonly sliceMs = 5) {}

  due(): boolean {
    return performance.now() - this.start >= this.sliceMs;
  }

  async pause(): Promise<void> {
    await new Promise<void>((r) => setImmediate(r));
    this.start = performance.now();
  }
}
